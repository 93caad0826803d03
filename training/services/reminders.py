"""Reminders before an exam is due, when it is overdue, and before a certificate expires.

The daily beat task calls `training_reminders_send`; each (kind, assignment/certificate)
is sent once (a unique row), so running it again sends nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from training.models import Assignment, Certificate, TrainingReminder
from training.models.exams import TrainingReminderKind

DUE_SOON_DAYS = 3
EXPIRES_SOON_DAYS = 30


@dataclass
class TrainingReminderReport:
    due_soon: int = 0
    overdue: int = 0
    expires_soon: int = 0
    emails: int = 0


@transaction.atomic
def training_reminders_send(*, today: date | None = None) -> TrainingReminderReport:
    today = today or timezone.localdate()
    report = TrainingReminderReport()
    sent_assignments = set(
        TrainingReminder.objects.filter(assignment__isnull=False).values_list(
            "kind", "assignment_id"
        )
    )
    sent_certificates = set(
        TrainingReminder.objects.filter(certificate__isnull=False).values_list(
            "kind", "certificate_id"
        )
    )
    rows, mails = [], defaultdict(list)
    open_assignments = Assignment.objects.filter(
        completed_at=None, person__is_active=True, due_on__lte=today + timedelta(DUE_SOON_DAYS)
    ).select_related("person", "exam")
    for assignment in open_assignments:
        kind = (
            TrainingReminderKind.OVERDUE
            if assignment.due_on < today
            else TrainingReminderKind.DUE_SOON
        )
        if (kind, assignment.pk) in sent_assignments:
            continue
        rows.append(TrainingReminder(person=assignment.person, kind=kind, assignment=assignment))
        mails[assignment.person].append((kind, assignment.exam.title, assignment.due_on))
        setattr(report, kind, getattr(report, kind) + 1)
    expiring = Certificate.objects.filter(
        revoked_at=None,
        person__is_active=True,
        expires_on__gte=today,
        expires_on__lte=today + timedelta(EXPIRES_SOON_DAYS),
    ).select_related("person", "exam")
    for certificate in expiring:
        kind = TrainingReminderKind.EXPIRES_SOON
        if (kind, certificate.pk) in sent_certificates:
            continue
        rows.append(TrainingReminder(person=certificate.person, kind=kind, certificate=certificate))
        mails[certificate.person].append((kind, certificate.exam.title, certificate.expires_on))
        report.expires_soon += 1
    TrainingReminder.objects.bulk_create(rows)
    with translation.override(settings.LANGUAGE_CODE):
        for person, entries in mails.items():
            if not person.email:
                continue
            send_mail(
                subject=_("LP portal: your exams"),
                message=render_to_string(
                    "email/training/reminder.txt",
                    {
                        "person": person,
                        "entries": entries,
                        "base_url": settings.WAGTAILADMIN_BASE_URL,
                    },
                ),
                from_email=None,
                recipient_list=[person.email],
            )
            report.emails += 1
    return report
