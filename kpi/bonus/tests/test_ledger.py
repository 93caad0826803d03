"""The ledger's rules, as examples and as properties over random stores, people,
weights, caps and ties (no database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi.bonus.ledger import (
    KOPECK,
    ZERO,
    Payee,
    Ranked,
    choose_top_bottom,
    deductions,
    kopecks,
    ranks,
    split,
    threshold,
    zero_sum,
)

D = Decimal
money = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)
weights = st.decimals(min_value=D("0.01"), max_value=D("1.50"), places=2, allow_nan=False)


@st.composite
def payees(draw, prefix: str, min_size: int = 0):
    n = draw(st.integers(min_value=min_size, max_value=25))
    return [
        Payee((prefix, i), draw(weights), draw(st.one_of(money, st.just(ZERO)))) for i in range(n)
    ]


def test_a_hundred_roubles_among_three_gives_the_spare_kopeck_to_the_first():
    assert split(D("100.00"), [D(1), D(1), D(1)]) == [D("33.34"), D("33.33"), D("33.33")]


def test_the_largest_remainder_gets_the_kopeck_whatever_its_place():
    # 10.00 by 1:2 → 3.333… and 6.666…: the second has the larger remainder.
    assert split(D("10.00"), [D(1), D(2)]) == [D("3.33"), D("6.67")]


def test_a_sum_with_fractions_of_a_kopeck_or_a_negative_sum_is_refused():
    with pytest.raises(ValueError):
        split(D("1.005"), [D(1)])
    with pytest.raises(ValueError):
        split(D("-1.00"), [D(1)])
    with pytest.raises(ValueError):
        split(D("1.00"), [])
    with pytest.raises(ValueError):
        split(D("1.00"), [D(1), D(-1)])


def test_nothing_shared_among_nobody_is_nothing():
    assert split(ZERO, []) == []
    assert split(ZERO, [D(0), D(0)]) == [ZERO, ZERO]


def test_avtorus_three_worst_stores_pay_the_three_best():
    # Given 3 bottom stores of 4 people and 3 top stores of 10 people, 3,000 ₽ each
    bottom = [Payee(("b", i), D(1), D("20000")) for i in range(12)]
    top = [Payee(("t", i), D(1), D("20000")) for i in range(30)]
    awards, taken = zero_sum(top=top, bottom=bottom, per_person=D("3000"))
    # then each of the 12 loses 3,000 and each of the 30 gains 1,200
    assert {a.amount for a in taken} == {D("-3000.00")}
    assert {a.amount for a in awards} == {D("1200.00")}
    assert sum(a.amount for a in awards + taken) == ZERO


def test_a_deduction_stops_at_the_variable_bonus_and_the_pool_shrinks_with_it():
    bottom = [Payee("low", D(1), D("1000.00")), Payee("high", D(1), D("50000"))]
    top = [Payee("t", D(1), D(0))]
    awards, taken = zero_sum(top=top, bottom=bottom, per_person=D("3000"))
    assert [(a.amount, a.capped) for a in taken] == [(D("-1000.00"), True), (D("-3000.00"), False)]
    assert awards[0].amount == D("4000.00")


def test_with_nobody_at_the_top_nobody_pays():
    assert zero_sum(top=[], bottom=[Payee("b", D(1), D(9999))], per_person=D(100)) == ([], [])


def test_fte_weights_share_a_deduction_by_fte_around_the_per_person_amount():
    taken = deductions(
        [Payee("full", D(1), D(10**6)), Payee("half", D("0.5"), D(10**6))], per_person=D("3000")
    )
    # 6,000 in total, 2:1 → 4,000 and 2,000
    assert [a.amount for a in taken] == [D("-4000.00"), D("-2000.00")]


def test_threshold_awards_and_deductions_with_a_budget_cap():
    met = [Payee(i, D(1), D(0)) for i in range(3)]
    missed = [Payee("m", D(1), D("500"))]
    awards, taken = threshold(
        met=met, missed=missed, award=D("5000"), deduction=D("2000"), budget_cap=D("10000")
    )
    assert [a.amount for a in awards] == [D("3333.34"), D("3333.33"), D("3333.33")]
    assert all(a.capped for a in awards)
    assert [(a.amount, a.capped) for a in taken] == [(D("-500.00"), True)]


def test_threshold_within_its_budget_pays_the_award_as_set():
    awards, _ = threshold(
        met=[Payee(1, D(1), D(0)), Payee(2, D("0.5"), D(0))],
        missed=[],
        award=D("5000"),
        deduction=D(0),
        budget_cap=D("100000"),
    )
    assert [(a.amount, a.capped) for a in awards] == [(D("5000.00"), False), (D("2500.00"), False)]


def test_kopecks_round_half_up():
    assert kopecks(D("0.005")) == D("0.01")
    assert kopecks(D("0.0049")) == D("0.00")
    assert kopecks(D("-0.005")) == D("-0.01")


def test_ties_share_a_rank_and_the_tied_last_place_is_chosen_too():
    rows = [
        Ranked(k, D(v), (k,))
        for k, v in [
            ("a", 90),
            ("b", 80),
            ("c", 80),
            ("d", 70),
            ("e", 60),
            ("f", 50),
            ("g", 50),
            ("h", 40),
        ]
    ]
    assert ranks(rows) == {"a": 1, "b": 2, "c": 2, "d": 4, "e": 5, "f": 6, "g": 6, "h": 8}
    top, bottom = choose_top_bottom(rows, top_n=2, bottom_n=2)
    assert top == {"a", "b", "c"}
    assert bottom == {"h", "f", "g"}


def test_too_few_ranked_stores_choose_nobody():
    rows = [Ranked(k, D(v)) for k, v in [("a", 3), ("b", 2), ("c", 1)]]
    assert choose_top_bottom(rows, top_n=2, bottom_n=2) == (set(), set())


# Properties ---------------------------------------------------------------------------


@given(total=money, ws=st.lists(weights, min_size=1, max_size=40))
def test_shares_add_up_exactly_and_each_is_within_a_kopeck_of_its_part(total, ws):
    shares = split(total, ws)
    assert sum(shares, ZERO) == total
    whole = sum(ws)
    for share, w in zip(shares, ws, strict=True):
        assert share == share.quantize(KOPECK)
        assert abs(share - total * w / whole) < KOPECK


@settings(max_examples=300)
@given(top=payees("t"), bottom=payees("b"), per_person=money)
def test_zero_sum_balances_to_exactly_nothing_and_no_deduction_passes_its_cap(
    top, bottom, per_person
):
    awards, taken = zero_sum(top=top, bottom=bottom, per_person=per_person)
    assert sum((a.amount for a in awards + taken), ZERO) == ZERO
    caps = {p.key: p.cap for p in bottom}
    for amount in taken:
        assert ZERO >= amount.amount >= -caps[amount.key]
        assert amount.amount == amount.amount.quantize(KOPECK)
    assert all(a.amount >= 0 for a in awards)
    if not top:
        assert taken == []


@given(
    met=payees("m"),
    missed=payees("x"),
    award=money,
    deduction=money,
    cap=st.one_of(st.none(), money),
)
def test_threshold_stays_within_the_budget_and_the_caps(met, missed, award, deduction, cap):
    awards, taken = threshold(
        met=met, missed=missed, award=award, deduction=deduction, budget_cap=cap
    )
    if cap is not None:
        assert sum((a.amount for a in awards), ZERO) <= cap
    caps = {p.key: p.cap for p in missed}
    assert all(ZERO >= a.amount >= -caps[a.key] for a in taken)


values = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False)


@given(
    vals=st.lists(values, min_size=0, max_size=30),
    top_n=st.integers(1, 5),
    bottom_n=st.integers(1, 5),
)
def test_the_chosen_follow_the_tie_rule(vals, top_n, bottom_n):
    rows = [Ranked(i, v, (i,)) for i, v in enumerate(vals)]
    top, bottom = choose_top_bottom(rows, top_n=top_n, bottom_n=bottom_n)
    assert not top & bottom
    if len(rows) < top_n + bottom_n:
        assert top == bottom == set()
        return
    value = {r.key: r.value for r in rows}
    # every store at least as good as a chosen top store is chosen; no store tied with a
    # chosen one is left out; at least top_n are chosen
    if top:
        lowest_top = min(value[k] for k in top)
        assert {k for k in value if value[k] >= lowest_top} == top
        assert len(top) >= top_n
    if bottom:
        highest_bottom = max(value[k] for k in bottom)
        assert {k for k in value if value[k] <= highest_bottom} - top == bottom
