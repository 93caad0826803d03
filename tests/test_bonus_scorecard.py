"""The store scorecard across apps: each component read from its own app (penetration and
plans from kpi, the mystery-shopper score from audits, certified staff from training, SOP
confirmations from portal.sop, complaints and «not identified» complaints from the desk),
made through those apps' own services; a store first on penetration but failing its
audit, its staff uncertified and unread, and complained about, does not win; the board's
queries do not grow with the stores."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audits.tests.factories import receipts_load, visit_published
from incidents.choices import Category
from incidents.services.guided import receipt_check
from incidents.tests.factories import MSK, ticket
from kpi.bonus.selectors.scorecard import scorecard_values, store_scorecard_board
from kpi.models import Plan
from kpi.periods import month_of
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import StoreFactory, person
from portal.sop.services import acknowledgement_record
from portal.sop.tests.factories import publish_sop
from training.services.attempts import answers_save, attempt_start, attempt_submit
from training.tests.factories import right_answer, sample_exam

pytestmark = pytest.mark.django_db

D = Decimal
FAILING = {"Кассир предложил карту лояльности": "no", "Кассир спросил номер телефона": "no"}


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.KPI_MIN_RECEIPTS_PER_DAY = 1


def _this_month():
    return month_of(timezone.localdate())


def _certify(seller, exam) -> None:
    attempt = attempt_start(person=seller, exam=exam)
    for item in attempt.questions.select_related("question"):
        answers_save(
            person=seller, attempt=attempt, answers={item.position: right_answer(item.question)}
        )
    attempt_submit(person=seller, attempt=attempt)


@pytest.fixture
def chain(world, django_capture_on_commit_callbacks):
    """This month (a plan of 50 %), 10 receipts a store on its first day:
    A1 6 identified (120 % of plan), a failed audit, sellers neither certified nor having
    read the SOP, two complaints, one about a receipt not identified;
    A2 5 identified (100 %), a passed audit, its seller certified and having read the SOP;
    B1 4 identified (80 %), no audit (no data), nothing else."""
    first = _this_month().start
    capture = django_capture_on_commit_callbacks
    Plan.objects.create(kpi="penetration", starts_on=first, ends_on=_this_month().end, target=D(50))
    a1, a2, b1 = world.store_a1, world.store_a2, world.store_b1
    for store, identified in ((a1, 6), (a2, 5), (b1, 4)):
        receipts_load(capture, store, first, receipts=10, identified=identified)
    world.failed = visit_published(world, FAILING, store=a1)
    world.passed = visit_published(world, store=a2)
    _certify(world.staff_a2, sample_exam(attempts_limit=0, cooloff_hours=0))
    page = publish_sop(title="Карта на кассе", roles=[Role.STORE_STAFF])
    acknowledgement_record(person=world.staff_a2, page=page, revision_id=page.live_revision_id)
    noon = dt.datetime.combine(first, dt.time(12), tzinfo=MSK)
    agent = world.people[Role.CALL_CENTER_AGENT]
    ticket(at=noon, store=a1, category=Category.STAFF_BEHAVIOUR)
    points = ticket(at=noon, store=a1, category=Category.BONUS_NOT_CREDITED)
    receipt_check(points, actor=agent, store=a1, number=f"{first:%y%m%d}-8")
    return world


def _board():
    return store_scorecard_board(stores=Store.objects.all(), period=_this_month())


def test_each_component_comes_from_its_app(chain):
    board = _board()

    raw = {row.store.code: {key: part.raw for key, part in row.parts.items()} for row in board.rows}
    assert raw["A1"] == {
        "penetration": D("120.0"),
        "audit": chain.failed.score,
        "coverage": D("0.0"),
        "sop": D("0.0"),
        "complaints": D("200.00"),  # two per ten receipts
        "not_identified": D("100.00"),  # one per ten receipts
    }
    assert raw["A2"] == {
        "penetration": D("100.0"),
        "audit": chain.passed.score,
        "coverage": D("100.0"),
        "sop": D("100.0"),
        "complaints": D("0.00"),
        "not_identified": D("0.00"),
    }
    assert raw["B1"]["audit"] is None  # no visit: «no data», not 0
    assert chain.failed.score < chain.passed.score
    assert board.missing == []


def test_first_on_penetration_but_failing_the_rest_does_not_win(chain):
    board = _board()

    order = [row.store.code for row in board.ranked]
    a1 = board.row_of(chain.store_a1.pk)
    assert order[0] == "A2" and order[-1] == "A1"
    assert a1.parts["penetration"].score == 100  # the best penetration of the three
    assert a1.parts["complaints"].score == a1.parts["not_identified"].score == 0
    b1 = board.row_of(chain.store_b1.pk)
    assert b1.parts["audit"].missing and b1.composite is not None  # scored on the rest
    values = scorecard_values(stores=Store.objects.all(), period=_this_month())
    assert values[chain.store_a2.pk] == board.row_of(chain.store_a2.pk).composite


def test_the_board_costs_the_same_queries_for_more_stores(
    chain, django_capture_on_commit_callbacks
):
    _board()
    with CaptureQueriesContext(connection) as small:
        _board()
    first = _this_month().start
    for n in range(6):
        store = StoreFactory(code=f"A{n + 5}", region=chain.region_a)
        person(Role.STORE_STAFF, store=store)
        receipts_load(django_capture_on_commit_callbacks, store, first, receipts=5, identified=n)
        ticket(
            at=dt.datetime.combine(first, dt.time(12), tzinfo=MSK),
            store=store,
            category=Category.OTHER,
        )
    _board()

    with CaptureQueriesContext(connection) as large:
        board = _board()

    assert len(board.ranked) == 9
    assert len(large.captured_queries) == len(small.captured_queries)
