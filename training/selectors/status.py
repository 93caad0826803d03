"""Certification status per person, per store, and coverage for the KPI scorecard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.numbers import percent_of
from portal.org.models import Store, User
from portal.org.selectors import StoreRef, store_refs
from portal.reporting import network_counts
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
    people = people.filter(is_active=True)
    ids = people.values("pk")  # a subquery: no list of ids travels to the database
    people = list(people.order_by("last_name", "first_name"))
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
    store: StoreRef | None
    people: int = 0
    certified: int = 0
    overdue: int = 0

    @property
    def share(self) -> Decimal | None:
        return percent_of(self.certified, self.people)


COVERAGE_ROLES = ("store_staff",)


def _coverage_counts(*, exam: Exam, today: date) -> dict[str, Count]:
    """Counts of people by the status `certification_of` gives them, taken in SQL:
    certified = a valid certificate and nothing open; overdue = an open assignment
    (the exam or one of its retests) past due."""
    valid = Certificate.objects.filter(
        person=OuterRef("pk"), exam=exam, revoked_at=None, expires_on__gte=today
    )
    todo = Assignment.objects.filter(person=OuterRef("pk"), completed_at=None).filter(
        models.Q(exam=exam) | models.Q(exam__delta_of=exam)
    )
    return {
        "people": Count("pk"),
        "certified": Count("pk", filter=Exists(valid) & ~Exists(todo)),
        "overdue": Count("pk", filter=Exists(todo.filter(due_on__lt=today))),
    }


def coverage_by_store(
    *,
    stores: QuerySet[Store],
    exam: Exam,
    roles: tuple[str, ...] = COVERAGE_ROLES,
    today: date | None = None,
) -> list[StoreCoverage]:
    """Certified share of the exam's audience per store (default: the sellers), by code.

    Two queries whatever the number of stores and people (the statuses are counted by
    the database; `certification_of` gives the same per person)."""
    today = today or timezone.localdate()
    rows = {store.pk: StoreCoverage(store) for store in store_refs(stores)}
    counts = (
        User.objects.filter(store__in=stores, role__in=roles, is_active=True)
        .values("store_id")
        .annotate(**_coverage_counts(exam=exam, today=today))
        .order_by()
    )
    with network_counts():
        counts = list(counts)
    for row in counts:
        coverage = rows[row["store_id"]]
        coverage.people, coverage.certified = row["people"], row["certified"]
        coverage.overdue = row["overdue"]
    return list(rows.values())


def coverage_total(
    *,
    stores: QuerySet[Store],
    exam: Exam,
    roles: tuple[str, ...] = COVERAGE_ROLES,
    today: date | None = None,
) -> StoreCoverage:
    """The same counts summed over `stores`, in one query (`store` is left unset)."""
    today = today or timezone.localdate()
    with network_counts():
        row = User.objects.filter(store__in=stores, role__in=roles, is_active=True).aggregate(
            **_coverage_counts(exam=exam, today=today)
        )
    return StoreCoverage(None, row["people"], row["certified"], row["overdue"])


def certified_coverage(*, stores: QuerySet[Store]) -> dict[int, Decimal | None]:
    """{store id: % of sellers holding a current LP certificate} for the KPI scorecard."""
    exam = main_exams().first()
    if exam is None:
        return {store.pk: None for store in stores}
    return {row.store.pk: row.share for row in coverage_by_store(stores=stores, exam=exam)}


def open_attempt(*, person: User, exam: Exam) -> Attempt | None:
    return Attempt.objects.filter(person=person, exam=exam, state="in_progress").first()
