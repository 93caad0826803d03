"""Certified coverage counted by the database equals the per-person statuses of
`certification_of` (the reference), on sellers in every state a certificate and an
assignment can leave them in, at a fixed number of queries."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from portal.org.choices import Role
from portal.org.models import Store, User
from portal.org.tests.factories import RegionFactory, StoreFactory, person
from training.choices import AttemptState
from training.models import Assignment, Attempt, Certificate, Exam
from training.models.exams import AssignmentReason
from training.selectors.status import (
    CertStatus,
    certification_of,
    certified_coverage,
    coverage_by_store,
    coverage_total,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS = [TODAY - datetime.timedelta(days=30), TODAY, TODAY + datetime.timedelta(days=45)]


def _day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def _certificate(someone, exam, *, expires: int, revoked: bool = False) -> None:
    number = Attempt.objects.filter(person=someone, exam=exam).count() + 1
    attempt = Attempt.objects.create(
        person=someone,
        exam=exam,
        number=number,
        state=AttemptState.SUBMITTED,
        deadline=timezone.now(),
        finished_at=timezone.now(),
        score=90,
        passed=True,
    )
    Certificate.objects.create(
        person=someone,
        exam=exam,
        attempt=attempt,
        score=90,
        expires_on=_day(expires),
        revoked_at=timezone.now() if revoked else None,
    )


def _assign(someone, exam, *, due: int, done: bool = False) -> None:
    Assignment.objects.create(
        person=someone,
        exam=exam,
        reason=AssignmentReason.RULE,
        due_on=_day(due),
        completed_at=timezone.now() if done else None,
    )


@pytest.fixture
def network(db):
    """Four stores in two regions; sellers (and managers, not counted) in every state."""
    region_a, region_b = RegionFactory(code="CA"), RegionFactory(code="CB")
    stores = [
        StoreFactory(code="C1", region=region_a),
        StoreFactory(code="C2", region=region_a),
        StoreFactory(code="C3", region=region_b),
        StoreFactory(code="C4", region=region_b),  # nobody works here
    ]
    exam = Exam.objects.create(code="cov-main", title="Основной", pass_mark=60)
    retest = Exam.objects.create(code="cov-delta", title="Дельта", pass_mark=60, delta_of=exam)
    other = Exam.objects.create(code="cov-other", title="Я другой", pass_mark=60)
    states = [
        lambda p: _certificate(p, exam, expires=100),  # certified
        lambda p: (_certificate(p, exam, expires=100), _assign(p, retest, due=5)),  # due
        lambda p: (_certificate(p, exam, expires=100), _assign(p, retest, due=-3)),  # overdue
        lambda p: _certificate(p, exam, expires=-10),  # expired
        lambda p: _certificate(p, exam, expires=100, revoked=True),  # withdrawn
        lambda p: (_certificate(p, exam, expires=-400), _certificate(p, exam, expires=20)),
        lambda p: _assign(p, exam, due=-1),  # overdue, never certified
        lambda p: _assign(p, exam, due=10),  # due
        lambda p: (_assign(p, exam, due=-20, done=True), _certificate(p, exam, expires=35)),
        lambda p: _certificate(p, other, expires=100),  # another exam: not required here
        lambda p: None,  # nothing at all
    ]
    for n in range(33):
        role = Role.STORE_MANAGER if n % 8 == 0 else Role.STORE_STAFF
        someone = person(role, store=stores[n % 3])
        states[n % len(states)](someone)
        if n % 10 == 9:
            User.objects.filter(pk=someone.pk).update(is_active=False)
    return exam


def _reference(stores, exam, today, roles=("store_staff",)) -> dict[int, tuple[int, int, int]]:
    """Per store: (people, certified, overdue) from the per-person statuses."""
    counts: dict[int, Counter] = {store.pk: Counter() for store in stores}
    people = User.objects.filter(store__in=stores, role__in=roles)
    for row in certification_of(people=people, exam=exam, today=today):
        counts[row.person.store_id].update(
            people=1,
            certified=row.status == CertStatus.CERTIFIED,
            overdue=row.status == CertStatus.OVERDUE,
        )
    return {pk: (c["people"], c["certified"], c["overdue"]) for pk, c in counts.items()}


@pytest.mark.parametrize("today", DAYS)
def test_database_counts_equal_the_per_person_statuses(network, today):
    exam = network
    for roles in (("store_staff",), ("store_staff", "store_manager")):
        for stores in (Store.objects.all(), Store.objects.filter(code__in=["C1", "C4"])):
            rows = coverage_by_store(stores=stores, exam=exam, roles=roles, today=today)
            expected = _reference(stores, exam, today, roles)
            assert {r.store.pk: (r.people, r.certified, r.overdue) for r in rows} == expected
            total = coverage_total(stores=stores, exam=exam, roles=roles, today=today)
            sums = [sum(column) for column in zip(*expected.values(), strict=True)]
            assert [total.people, total.certified, total.overdue] == sums
    statuses = Counter(r.status for r in certification_of(people=User.objects.all(), exam=exam))
    assert len(statuses) == len(CertStatus)  # the fixture reaches every status


def test_certified_coverage_is_each_stores_share(network):
    shares = certified_coverage(stores=Store.objects.all())  # the first main exam by title
    rows = coverage_by_store(stores=Store.objects.all(), exam=network)
    assert shares == {row.store.pk: row.share for row in rows}
    assert shares[Store.objects.get(code="C4").pk] is None
    assert any(share not in (None, 0, 100) for share in shares.values())


def test_counts_cost_the_same_queries_for_more_stores_and_people(
    network, django_assert_num_queries
):
    with django_assert_num_queries(4):  # 2 and network_counts' two settings
        coverage_by_store(stores=Store.objects.all(), exam=network)
    for n in range(4):
        store = StoreFactory(code=f"C9{n}")
        for _ in range(3):
            _certificate(person(Role.STORE_STAFF, store=store), network, expires=50)
    with django_assert_num_queries(4):  # 2 and network_counts' two settings
        coverage_by_store(stores=Store.objects.all(), exam=network)
    with django_assert_num_queries(3):
        coverage_total(stores=Store.objects.all(), exam=network)
