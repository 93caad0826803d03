"""The ledger's rules at their edges, beyond `test_ledger.py`: each refusal for its own
reason, amounts to their own people, the budget and the caps at exactly their limits, a
deduction weighted, whole-board ties and a board of exactly top + bottom stores. No
database: these run under `make mutation` (mutmut on `kpi/bonus/ledger.py`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kpi.bonus.ledger import (
    Amount,
    Payee,
    Ranked,
    choose_top_bottom,
    ranks,
    split,
    threshold,
    zero_sum,
)

D = Decimal


@pytest.mark.parametrize(
    ("total", "weights", "reason"),
    [
        (D("-1.00"), [D(1)], "a sum to share cannot be negative"),
        (D("1.005"), [D(1)], "a sum to share is whole kopecks"),
        # The weights add up to something (1), yet a negative one is refused as such.
        (D("1.00"), [D(2), D(-1)], "weights cannot be negative"),
        (D("1.00"), [], "nobody to share a sum among"),
        (D("1.00"), [D(0), D(0)], "nobody to share a sum among"),
    ],
)
def test_a_sum_that_cannot_be_shared_is_refused_for_its_own_reason(total, weights, reason):
    # Given a sum and weights that break a sharing rule, when it is shared
    # Then it is refused, saying which rule it broke
    with pytest.raises(ValueError, match=f"^{reason}$"):
        split(total, weights)


def test_a_top_whose_people_carry_no_weight_receives_nothing_and_nobody_pays():
    # Given top stores whose cashiers identified no receipts (a cashier-share scheme)
    top = [Payee("t1", D(0), D(0)), Payee("t2", D(0), D(0))]
    bottom = [Payee("b1", D(1), D("20000"))]

    # When the zero-sum is computed
    awards, taken = zero_sum(top=top, bottom=bottom, per_person=D("3000"))

    # Then there is no one to receive the pool, so no one at the bottom pays either
    assert (awards, taken) == ([], [])


def test_zero_sum_awards_go_to_the_top_stores_own_people_by_weight():
    # Given two top people (full time and half time) and one bottom person
    top = [Payee(("T1", "0001"), D(1), D(0)), Payee(("T1", "0002"), D("0.5"), D(0))]
    bottom = [Payee(("B1", "0003"), D(1), D("20000"))]

    # When the bottom person loses 3,000
    awards, taken = zero_sum(top=top, bottom=bottom, per_person=D("3000"))

    # Then each top person's line carries their own key and their FTE share of it
    assert awards == [
        Amount(("T1", "0001"), D("2000.00")),
        Amount(("T1", "0002"), D("1000.00")),
    ]
    assert taken == [Amount(("B1", "0003"), D("-3000.00"))]


def test_threshold_awards_exactly_at_the_budget_are_paid_as_set_and_not_marked_capped():
    # Given two managers at plan, 5,000 each, and a budget of exactly 10,000
    met = [Payee("m1", D(1), D(0)), Payee("m2", D(1), D(0))]

    # When the awards are computed
    awards, _ = threshold(
        met=met, missed=[], award=D("5000"), deduction=D(0), budget_cap=D("10000")
    )

    # Then the budget holds them all: each is paid in full and no line says "capped"
    assert awards == [Amount("m1", D("5000.00")), Amount("m2", D("5000.00"))]


def test_a_threshold_deduction_is_the_deduction_times_the_weight_within_the_cap():
    # Given people below plan on 0.5, 1.25 and 1 FTE, the last one's variable bonus
    # exactly the deduction
    missed = [
        Payee("half", D("0.5"), D("20000")),
        Payee("more", D("1.25"), D("20000")),
        Payee("at_cap", D(1), D("2000.00")),
    ]

    # When a 2,000 deduction is applied
    _, taken = threshold(met=[], missed=missed, award=D(0), deduction=D("2000"))

    # Then each loses 2,000 times their weight; a deduction equal to the cap is not capped
    assert taken == [
        Amount("half", D("-1000.00")),
        Amount("more", D("-2500.00")),
        Amount("at_cap", D("-2000.00"), capped=False),
    ]


def test_when_every_store_ties_all_share_first_place_and_nobody_is_at_the_bottom():
    # Given six stores with the same value as shown
    rows = [Ranked(code, D("50.0"), (code,)) for code in ("A", "B", "C", "D", "E", "F")]

    # When they are ranked and the top 3 and bottom 3 chosen
    top, bottom = choose_top_bottom(rows, top_n=3, bottom_n=3)

    # Then all share rank 1, all are at the top, and no store is left to pay
    assert ranks(rows) == dict.fromkeys("ABCDEF", 1)
    assert (top, bottom) == (set("ABCDEF"), set())


def test_a_single_ranked_store_is_first():
    assert ranks([Ranked("A", D("12.5"))]) == {"A": 1}


def test_a_board_of_exactly_top_plus_bottom_stores_chooses_every_store():
    # Given exactly six ranked stores for a 3 + 3 scheme
    values = {"A": 60, "B": 50, "C": 40, "D": 30, "E": 20, "F": 10}
    rows = [Ranked(code, D(value)) for code, value in values.items()]

    # When the top and bottom are chosen
    top, bottom = choose_top_bottom(rows, top_n=3, bottom_n=3)

    # Then the three best are at the top and the three worst at the bottom
    assert (top, bottom) == ({"A", "B", "C"}, {"D", "E", "F"})
