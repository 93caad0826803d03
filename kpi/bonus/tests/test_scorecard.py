"""The store scorecard: each component scored 0–100, missing ones shown missing and left
out of the composite, HQ's weights, the leaderboard's eligibility and tie rule, the
scheme metric, who sees which board, and a fixed number of queries.

Components of other apps that need their own worlds (audits, certificates, SOP
confirmations) are tested across apps in tests/test_bonus_scorecard.py; here they have
no data, which is the case of a component missing for everyone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from kpi.bonus.models import ScorecardWeights
from kpi.bonus.selectors.scorecard import (
    Weights,
    scorecard_scope,
    scorecard_values,
    scorecard_weights,
    store_scorecard_board,
)
from kpi.bonus.services.scorecard import scorecard_weights_set
from kpi.bonus.tests.factories_scorecard import NOVEMBER, complaint, fact, hq, penetration_plan
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 10)
D = Decimal
ONLY_PENETRATION = {
    "penetration": 100,
    "audit": 0,
    "coverage": 0,
    "sop": 0,
    "complaints": 0,
    "not_identified": 0,
}


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.KPI_MIN_RECEIPTS_PER_DAY = 10  # 300 receipts over November


def _store(code: str, *, receipts: int = 1000, identified: int = 500, region=None, **kw):
    store = StoreFactory(code=code, region=region or RegionFactory(code="N", name="Север"), **kw)
    fact(store, DAY, receipts=receipts, identified=identified)
    return store


def _board(weights=None, stores=None):
    return store_scorecard_board(
        stores=stores if stores is not None else Store.objects.all(),
        period=NOVEMBER,
        weights=weights,
    )


def _ranking(board) -> list[tuple[str, int, Decimal]]:
    return [(row.store.code, row.rank, row.composite) for row in board.ranked]


def test_components_no_app_has_data_for_are_missing_for_everyone_and_left_out():
    """Given receipts and a plan but no audit, exam or SOP anywhere, those three read «no
    data» for every store (never 0), and the score is the weighted mean of the rest."""
    penetration_plan(50)
    _store("P1", identified=500)  # 50 % on a plan of 50 %: attainment 100 %

    board = _board()

    row = board.row_of(Store.objects.get(code="P1").pk)
    assert [c.key for c in board.missing] == ["audit", "coverage", "sop"]
    assert row.missing == ["audit", "coverage", "sop"]
    assert all(row.parts[key].raw is None for key in row.missing)
    assert row.parts["penetration"].raw == D("100.0")
    assert row.parts["penetration"].score == D("83.33")  # 100 of a cap of 120
    assert row.parts["complaints"].score == row.parts["not_identified"].score == 100
    # (40 × 83.33 + 10 × 100 + 5 × 100) / (40 + 10 + 5), half up to hundredths
    assert row.composite == D("87.88")
    shares = {a.component.key: (a.share, a.missing) for a in board.applied}
    assert shares["penetration"] == (D("72.7"), False)
    assert shares["audit"] == (None, True)


def test_a_store_without_a_plan_has_no_penetration_score_and_is_scored_on_the_rest():
    north, south = RegionFactory(code="N", name="Север"), RegionFactory(code="S", name="Юг")
    penetration_plan(50, region=north)
    _store("N1", region=north)
    _store("S1", region=south)

    board = _board()

    south_row = board.row_of(Store.objects.get(code="S1").pk)
    assert south_row.penetration == D("50.0") and south_row.plan is None
    assert south_row.parts["penetration"].missing
    assert south_row.composite == 100  # complaints and «not identified»: none
    assert [c.key for c in board.missing] == ["audit", "coverage", "sop"]  # N1 has a plan


def test_complaints_count_per_thousand_receipts_and_the_worst_store_scores_zero():
    """Two complaints in 1,000 receipts are twice as bad as two in 2,000: per 1,000 so a
    big store is not punished for its size."""
    small, big, calm = _store("C1"), _store("C2", receipts=2000, identified=1000), _store("C3")
    complaint(small, DAY)
    complaint(small, DAY)
    complaint(big, DAY)
    complaint(big, DAY)

    board = _board()

    parts = {
        code: board.row_of(s.pk).parts["complaints"]
        for code, s in (("C1", small), ("C2", big), ("C3", calm))
    }
    assert {code: (p.raw, p.score) for code, p in parts.items()} == {
        "C1": (D("2.00"), D("0.00")),
        "C2": (D("1.00"), D("50.00")),
        "C3": (D("0.00"), D("100")),
    }


def test_not_identified_complaints_count_per_thousand_receipts():
    store = _store("U1")
    _store("U2")
    made = complaint(store, DAY, category="bonus_not_credited")
    type(made).objects.filter(pk=made.pk).update(
        receipt_number="251110-1", receipt_finding="not_identified"
    )

    board = _board()

    assert board.row_of(store.pk).parts["not_identified"].raw == D("1.00")
    assert board.row_of(store.pk).parts["not_identified"].score == 0
    assert board.row_of(Store.objects.get(code="U2").pk).parts["not_identified"].score == 100


def test_a_store_strong_on_penetration_but_with_the_most_complaints_does_not_win():
    """Given P (120 % of plan) with the network's worst complaint rate and Q (96 % of
    plan) without complaints, Q ranks first with HQ's default weights."""
    penetration_plan(50)
    strong = _store("P", identified=600)  # 60 %: 120 % of plan, full marks
    _store("Q", identified=480)  # 48 %: 96 % of plan
    for _n in range(3):
        complaint(strong, DAY)

    board = _board()

    assert _ranking(board) == [
        ("Q", 1, D("85.45")),  # (40 × 80 + 10 × 100 + 5 × 100) / 55
        ("P", 2, D("81.82")),  # (40 × 100 + 10 × 0 + 5 × 100) / 55
    ]
    assert board.row_of(strong.pk).parts["penetration"].score == 100


def test_hq_weights_change_the_order():
    penetration_plan(50)
    strong = _store("P", identified=600)
    _store("Q", identified=480)
    complaint(strong, DAY)
    assert [code for code, *_rest in _ranking(_board())] == ["Q", "P"]

    scorecard_weights_set(actor=hq(), **ONLY_PENETRATION)

    assert [code for code, *_rest in _ranking(_board())] == ["P", "Q"]
    assert _ranking(_board(weights=Weights.defaults()))[0][0] == "Q"  # a simulation's weights


def test_equal_scores_share_a_rank_listed_by_receipts_then_code():
    penetration_plan(50)
    _store("T2", receipts=1000, identified=500)
    _store("T1", receipts=1000, identified=500)
    _store("T3", receipts=2000, identified=1000)  # the same share, more receipts
    _store("T4", receipts=1000, identified=400)

    board = _board()

    assert [(code, rank) for code, rank, _score in _ranking(board)] == [
        ("T3", 1),
        ("T1", 1),
        ("T2", 1),
        ("T4", 4),
    ]


def test_too_few_receipts_or_no_lp_launch_leave_a_store_unranked_with_its_components():
    penetration_plan(50)
    ranked = _store("R1")
    few = _store("R2", receipts=200, identified=100)  # fewer than 300 in November
    waiting = _store("R3", lp_launch_date=None)

    board = _board()
    values = scorecard_values(stores=Store.objects.all(), period=NOVEMBER)

    reasons = {row.store.code: row.unranked_because for row in board.unranked}
    assert reasons == {"R2": "too_few", "R3": "not_launched"}
    assert board.row_of(few.pk).composite is not None  # shown, not ranked
    assert values == {ranked.pk: board.row_of(ranked.pk).composite, few.pk: None, waiting.pk: None}


def test_a_store_with_no_data_for_any_weighted_component_is_not_ranked():
    _store("Z1")  # no plan anywhere: penetration missing; only penetration weighs

    board = _board(weights=ONLY_PENETRATION)

    assert board.ranked == []
    assert [(r.store.code, r.unranked_because, r.composite) for r in board.unranked] == [
        ("Z1", "no_value", None)
    ]


def test_the_board_costs_the_same_queries_for_more_stores():
    penetration_plan(50)
    for code in ("Q1", "Q2"):
        complaint(_store(code), DAY)
    _board()  # the first read counts the stores' SOP figures of the day

    with CaptureQueriesContext(connection) as small:
        _board()
    for n in range(3, 15):
        store = _store(f"Q{n}", identified=300 + n)
        complaint(store, DAY)
    _board()
    with CaptureQueriesContext(connection) as large:
        board = _board()

    assert len(board.ranked) == 14
    assert len(large.captured_queries) == len(small.captured_queries)


# The weights: HQ only, whole numbers 0–100, at least one above zero; the latest applies.


def test_without_any_change_the_model_defaults_apply():
    weights = scorecard_weights()

    assert (weights.penetration, weights.audit, weights.coverage) == (40, 20, 15)
    assert (weights.sop, weights.complaints, weights.not_identified) == (10, 10, 5)
    assert weights.changed_at is None


def test_hq_sets_new_weights_kept_as_history():
    lp = hq()
    scorecard_weights_set(actor=lp, **ONLY_PENETRATION)
    scorecard_weights_set(actor=lp, **(ONLY_PENETRATION | {"audit": 50}))

    weights = scorecard_weights()

    assert (weights.penetration, weights.audit, weights.changed_by) == (100, 50, lp)
    assert ScorecardWeights.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"audit": 101},
        {"audit": -1},
        {"audit": "5"},
        {"audit": 2.5},
        dict.fromkeys(ONLY_PENETRATION, 0),
    ],
)
def test_weights_out_of_range_or_all_zero_are_refused_and_nothing_is_written(change):
    with pytest.raises(ValidationError):
        scorecard_weights_set(actor=hq(), **(ONLY_PENETRATION | change))

    assert not ScorecardWeights.objects.exists()


@pytest.mark.parametrize("role", [Role.REGIONAL_MANAGER, Role.STORE_MANAGER])
def test_only_hq_sets_weights(role):
    with pytest.raises(PermissionDenied):
        scorecard_weights_set(actor=person(role), **ONLY_PENETRATION)

    assert not ScorecardWeights.objects.exists()


# Which board a person is shown.


def test_hq_sees_the_network_by_default_or_any_region(world):
    lp = world.people[Role.LP_MANAGER]

    assert scorecard_scope(user=lp, region_code=None).region is None
    assert scorecard_scope(user=lp, region_code="all").region is None
    assert scorecard_scope(user=lp, region_code="RB").region == world.region_b


def test_a_regional_manager_sees_their_region_only(world):
    manager = world.people[Role.REGIONAL_MANAGER]

    shown = scorecard_scope(user=manager, region_code=None)

    assert shown.region == world.region_a and not shown.network_allowed
    assert set(shown.stores) == {world.store_a1, world.store_a2}
    for other in ("RB", "all", "nope"):
        with pytest.raises(Http404):
            scorecard_scope(user=manager, region_code=other)


@pytest.mark.parametrize(
    "role", [Role.STORE_STAFF, Role.STORE_MANAGER, Role.AUDITOR, Role.CALL_CENTER_SUPERVISOR]
)
def test_everyone_else_is_refused(world, role):
    with pytest.raises(PermissionDenied):
        scorecard_scope(user=world.people[role], region_code=None)
