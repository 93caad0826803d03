"""Training reminders sent before portal.notify become notifications: nobody is told twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from portal.notify.models import Notification
from portal.notify.tests.migration_state import apps_after, migration_function, table_restore
from training.models import Assignment, AssignmentRule
from training.services.assignments import assignments_sync
from training.services.reminders import training_reminders_send
from training.tests.factories import sample_exam

pytestmark = pytest.mark.django_db


def test_reminders_sent_before_the_upgrade_are_not_sent_again(
    world, django_capture_on_commit_callbacks
):
    # Given the old engine told the seller her exam is due soon
    exam = sample_exam(title="Основы ПЛ")
    AssignmentRule.objects.create(exam=exam, role="store_staff", store=world.store_a1)
    assignments_sync()
    seller = world.people["store_staff"]
    assignment = Assignment.objects.get(person=seller, completed_at=None)
    apps = apps_after("training", "0008_training_reminders_to_notify")
    OldReminder = table_restore(apps, "training", "TrainingReminder")
    sent_at = timezone.now() - timedelta(days=1)
    OldReminder.objects.create(
        person_id=seller.pk, kind="due_soon", assignment_id=assignment.pk, sent_at=sent_at
    )

    # When the data migration runs
    migration_function(
        "training.migrations.0008_training_reminders_to_notify", "reminders_to_notifications"
    )(apps, None)

    # Then it is a notification, read and delivered, under the new engine's key
    moved = Notification.objects.get()
    assert (moved.recipient, moved.key, moved.step) == (
        seller,
        f"training.assignment:{assignment.pk}",
        0,
    )
    assert moved.read_at == sent_at and moved.deliveries.get().sent_at == sent_at
    assert "Основы ПЛ" in moved.title

    # When the new engine runs before the due date, then after it (a day's run each)
    with django_capture_on_commit_callbacks(execute=True):
        soon = training_reminders_send(today=assignment.due_on - timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        late = training_reminders_send(today=assignment.due_on + timedelta(days=1))

    # Then the seller hears only of the overdue exam; her colleague of both
    assert (soon.due_soon, late.overdue) == (1, 2)
    recipients = [address for message in mail.outbox for address in message.to]
    assert recipients.count(seller.email) == 1
    assert recipients.count(world.colleague_a1.email) == 2
