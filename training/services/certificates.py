"""Certificates: issued by a passing attempt, checked on the public verification page."""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.utils import timezone

from training.choices import AttemptEventKind
from training.models import Assignment, Attempt, AttemptEvent, Certificate


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


@transaction.atomic
def exam_passed(*, attempt: Attempt) -> Certificate | None:
    """What a passing attempt earns: for an exam, its certificate (once), valid for the
    exam's months; for a delta retest, the person's existing certificate stands again.
    Either way the person's open assignments of that exam are done."""
    exam = attempt.exam
    issued = attempt.finished_at or timezone.now()
    Assignment.objects.filter(
        person_id=attempt.person_id, exam=exam, completed_at__isnull=True
    ).update(completed_at=issued)
    if not exam.issues_certificates:
        return None
    existing = Certificate.objects.filter(attempt=attempt).first()
    if existing:
        return existing
    certificate = Certificate.objects.create(
        person_id=attempt.person_id,
        exam=exam,
        attempt=attempt,
        score=attempt.score,
        issued_at=issued,
        expires_on=add_months(timezone.localdate(issued), exam.validity_months),
    )
    AttemptEvent.objects.create(
        attempt=attempt,
        kind=AttemptEventKind.CERTIFICATE_ISSUED,
        payload={"code": certificate.code},
    )
    return certificate
