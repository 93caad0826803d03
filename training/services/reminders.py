"""Reminders before an exam is due, when it is overdue, and before a certificate expires.

The daily beat task calls `training_reminders_send`; the reminders are notifications
(`portal.notify`), each (person, assignment or certificate, step) recorded once, so running
it again sends nothing twice. Keys: "training.assignment:<id>" (step 0 due soon, 1
overdue) and "training.certificate:<id>" (step 0 expires soon).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.notify.choices import LadderAudience
from portal.notify.ladders import Ladder, Rung
from portal.notify.services import Message, notify_many
from training.models import Assignment, Certificate

DUE_SOON_DAYS = 3
EXPIRES_SOON_DAYS = 30

# A person told «overdue» need not hear «due soon» as well: the latest rung only.
ASSIGNMENT_LADDER = Ladder(
    "training.assignment",
    (
        Rung(step=0, day=-DUE_SOON_DAYS, audience=LadderAudience.PERSON),
        Rung(step=1, day=1, audience=LadderAudience.PERSON),
    ),
    latest_only=True,
)
EXPIRY_LADDER = Ladder(
    "training.certificate",
    (Rung(step=0, day=-EXPIRES_SOON_DAYS, audience=LadderAudience.PERSON),),
)


@dataclass
class TrainingReminderReport:
    due_soon: int = 0
    overdue: int = 0
    expires_soon: int = 0
    notifications: int = 0


def _assignment_message(assignment: Assignment, rung: Rung) -> Message:
    values = {
        "exam": assignment.exam.title,
        "day": date_format(assignment.due_on, "SHORT_DATE_FORMAT"),
    }
    title = (
        _("Exam «%(exam)s»: to pass by %(day)s") % values
        if rung.step == 0
        else _("Exam «%(exam)s» is overdue since %(day)s") % values
    )
    return Message(
        recipient=assignment.person,
        key=f"training.assignment:{assignment.pk}",
        step=rung.step,
        title=title,
        url=reverse("training:home"),
    )


def _expiry_message(certificate: Certificate, rung: Rung) -> Message:
    values = {
        "exam": certificate.exam.title,
        "day": date_format(certificate.expires_on, "SHORT_DATE_FORMAT"),
    }
    return Message(
        recipient=certificate.person,
        key=f"training.certificate:{certificate.pk}",
        step=rung.step,
        title=_("Your certificate «%(exam)s» expires on %(day)s") % values,
        url=reverse("training:home"),
    )


@transaction.atomic
def training_reminders_send(*, today: date | None = None) -> TrainingReminderReport:
    """Record today's exam reminders (idempotent); they are sent after commit."""
    today = today or timezone.localdate()
    open_assignments = Assignment.objects.filter(
        completed_at=None,
        person__is_active=True,
        due_on__lte=today + timedelta(DUE_SOON_DAYS),
    ).select_related("person", "exam")
    expiring = Certificate.objects.filter(
        revoked_at=None,
        person__is_active=True,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(EXPIRES_SOON_DAYS),
    ).select_related("person", "exam")
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for assignment in open_assignments:
            for rung in ASSIGNMENT_LADDER.reached(anchor=assignment.due_on, today=today):
                messages.append(_assignment_message(assignment, rung))
        for certificate in expiring:
            for rung in EXPIRY_LADDER.reached(anchor=certificate.expires_on, today=today):
                messages.append(_expiry_message(certificate, rung))
    created = notify_many(messages)
    report = TrainingReminderReport(notifications=len(created))
    for notification in created:
        if notification.key.startswith("training.certificate:"):
            report.expires_soon += 1
        elif notification.step == 0:
            report.due_soon += 1
        else:
            report.overdue += 1
    return report
