"""SOP reminders sent before portal.notify become notifications: nobody is told twice."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.notify.models import Notification
from portal.notify.tests.migration_state import apps_after, migration_function, table_restore
from portal.org.choices import Role
from portal.sop.models import SopVersion
from portal.sop.services import sop_reminders_send
from portal.sop.tests.factories import publish_sop

pytestmark = pytest.mark.django_db


def test_reminders_sent_before_the_upgrade_are_not_sent_again(
    world, django_capture_on_commit_callbacks
):
    # Given a deployment whose old engine reminded the seller and escalated to her manager
    page = publish_sop(title="Срочно", roles=[Role.STORE_STAFF], stores=[world.store_a1])
    version = SopVersion.objects.get(page_id=page.pk)
    seller, manager = world.people[Role.STORE_STAFF], world.people[Role.STORE_MANAGER]
    apps = apps_after("sop", "0006_sop_reminders_to_notify")
    OldReminder = table_restore(apps, "sop", "SopReminder")
    sent_at = timezone.now() - datetime.timedelta(days=1)
    OldReminder.objects.create(
        person_id=seller.pk,
        version_id=version.pk,
        stage="reader",
        recipients=seller.email,
        sent_at=sent_at,
    )
    OldReminder.objects.create(
        person_id=seller.pk,
        version_id=version.pk,
        stage="store_manager",
        recipients=manager.email.upper(),
        sent_at=sent_at,
    )

    # When the data migration runs
    migration_function(
        "portal.sop.migrations.0006_sop_reminders_to_notify", "reminders_to_notifications"
    )(apps, None)

    # Then both are notifications, read and delivered, under the new engine's keys
    moved = Notification.objects.order_by("step")
    assert [(n.recipient, n.key, n.step) for n in moved] == [
        (seller, f"sop.reading:{version.pk}:{seller.pk}", 0),
        (manager, f"sop.reading:{version.pk}:{seller.pk}", 1),
    ]
    assert all(n.read_at == sent_at and n.deliveries.get().sent_at == sent_at for n in moved)
    assert "Срочно" in moved[0].title

    # When the new engine runs the day after the due date
    with django_capture_on_commit_callbacks(execute=True):
        report = sop_reminders_send(today=timezone.localdate() + datetime.timedelta(days=8))

    # Then only the colleague's reminder and escalation are new; the seller hears nothing
    assert (report.reminders, report.store_escalations) == (1, 1)
    recipients = [address for message in mail.outbox for address in message.to]
    assert seller.email not in recipients
    assert recipients.count(manager.email) == 1
    digest = next(m.body for m in mail.outbox if m.to == [manager.email])
    assert digest.count("не подтвердил(а)") == 1  # the colleague only
    assert manager.notifications.count() == 2
