"""Certificates: issued by a passing attempt, withdrawn by HQ, checked on the public
verification page."""

from __future__ import annotations

import calendar
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.events.services import event_record
from portal.org.models import User
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
    event_record(
        AttemptEvent,
        attempt=attempt,
        kind=AttemptEventKind.CERTIFICATE_ISSUED,
        actor=None,
        payload={"code": certificate.code},
    )
    return certificate


class CertificateRevokeRefused(Exception):
    """A withdrawal the service does not make (said why)."""


@transaction.atomic
def certificate_revoke(certificate: Certificate, *, actor: User, reason: str) -> Certificate:
    """Withdraw a certificate: LP managers and administrators only
    (`training.revoke_certificate`), a reason required. Atomic; the withdrawal is an
    event row of the attempt that earned it (who, why). Withdrawing a withdrawn
    certificate changes nothing (its first date and reason stay).

    From then on the public check shows it as withdrawn with its date, its PDF says so,
    coverage and reports no longer count it, and `assignments_sync`, queued after commit
    (and daily anyway), assigns the exam again (reason "certificate withdrawn")."""
    from training.tasks import assignments

    reason = " ".join(reason.split())
    if not reason:
        raise CertificateRevokeRefused(_("Say why the certificate is withdrawn."))
    if not actor.has_perm("training.revoke_certificate", certificate):
        raise PermissionDenied
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        return locked
    locked.revoked_at = timezone.now()
    locked.revoked_reason = reason[:255]
    locked.save(update_fields=["revoked_at", "revoked_reason"])
    event_record(
        AttemptEvent,
        attempt_id=locked.attempt_id,
        kind=AttemptEventKind.CERTIFICATE_REVOKED,
        actor=actor,
        payload={"code": locked.code, "reason": locked.revoked_reason},
    )
    transaction.on_commit(assignments.delay)
    return locked
