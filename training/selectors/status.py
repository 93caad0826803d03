"""Certification status per person, per store, and coverage for the KPI scorecard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.numbers import percent_of
from portal.org.models import Store, User
from training.models import Assignment, Attempt, Certificate, Exam


class CertStatus(models.TextChoices):
    CERTIFIED = "certified", _("Certified")
    DUE = "due", _("Due")
    OVERDUE = "overdue", _("Overdue")
    EXPIRED = "expired", _("Expired")
    NOT_REQUIRED = "not_required", _("Not required")


@dataclass
class PersonCertification:
    person: User
    status: CertStatus
    certificate: Certificate | None
    assignments: list[Assignment]

    @property
    def due_on(self) -> date | None:
        return min((a.due_on for a in self.assignments), default=None)


def main_exams() -> QuerySet[Exam]:
    return Exam.objects.filter(delta_of__isnull=True, is_active=True).order_by("title")


def certification_of(
    *, people: QuerySet[User], exam: Exam, today: date | None = None
) -> list[PersonCertification]:
    """Each active person's status for `exam` (its retests included), in three queries."""
    today = today or timezone.localdate()
    people = list(people.filter(is_active=True).order_by("last_name", "first_name"))
    ids = [p.pk for p in people]
    certificates: dict[int, Certificate] = {}
    for cert in Certificate.objects.filter(person_id__in=ids, exam=exam, revoked_at=None).order_by(
        "expires_on"
    ):
        certificates[cert.person_id] = cert  # the one lasting longest wins
    open_assignments: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in Assignment.objects.filter(person_id__in=ids, completed_at=None).filter(
        models.Q(exam=exam) | models.Q(exam__delta_of=exam)
    ):
        open_assignments[assignment.person_id].append(assignment)
    rows = []
    for person in people:
        cert, todo = certificates.get(person.pk), open_assignments.get(person.pk, [])
        valid = cert is not None and cert.is_valid_on(today)
        if valid and not todo:
            status = CertStatus.CERTIFIED
        elif todo and min(a.due_on for a in todo) < today:
            status = CertStatus.OVERDUE
        elif cert is not None and not valid:
            status = CertStatus.EXPIRED
        elif todo:
            status = CertStatus.DUE
        else:
            status = CertStatus.NOT_REQUIRED
        rows.append(PersonCertification(person, status, cert, todo))
    return rows


@dataclass
class StoreCoverage:
    store: Store
    people: int = 0
    certified: int = 0
    overdue: int = 0

    @property
    def share(self) -> Decimal | None:
        return percent_of(self.certified, self.people)


def coverage_by_store(
    *, stores: QuerySet[Store], exam: Exam, roles: tuple[str, ...] = ("store_staff",)
) -> list[StoreCoverage]:
    """Certified share of the exam's audience per store (default: the sellers)."""
    rows = {s.pk: StoreCoverage(s) for s in stores.select_related("region").order_by("code")}
    people = User.objects.filter(store__in=stores, role__in=roles)
    for row in certification_of(people=people, exam=exam):
        coverage = rows[row.person.store_id]
        coverage.people += 1
        coverage.certified += row.status == CertStatus.CERTIFIED
        coverage.overdue += row.status == CertStatus.OVERDUE
    return list(rows.values())


def certified_coverage(*, stores: QuerySet[Store]) -> dict[int, Decimal | None]:
    """{store id: % of sellers holding a current LP certificate} for the KPI scorecard."""
    exam = main_exams().first()
    if exam is None:
        return {store.pk: None for store in stores}
    return {row.store.pk: row.share for row in coverage_by_store(stores=stores, exam=exam)}


def open_attempt(*, person: User, exam: Exam) -> Attempt | None:
    return Attempt.objects.filter(person=person, exam=exam, state="in_progress").first()
