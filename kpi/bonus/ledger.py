"""The money of a statement, pure: who of the chosen stores' people gets or loses how
much, to the kopeck. No database: `kpi.bonus.compute` feeds it the period's ranking and
people, and the hypothesis tests feed it anything.

Rules (shown on every scheme's page):
- **Sharing a sum** (`split`): each share is rounded *down* to the kopeck, then the
  kopecks left over go one each to the largest remainders; equal remainders go to the
  earlier payee in the given order (the store's code, then the personnel number). The
  shares add up to the sum exactly.
- **Deductions** reduce the variable bonus and never go beyond it: each person's
  deduction is capped at their own cap (`Payee.cap`); what the cap holds back is not
  deducted from anyone else.
- **Zero-sum**: what the bottom stores' people lose, and nothing more, is shared among
  the top stores' people by weight (equal, FTE, or a cashier's identified receipts), so
  awards minus deductions is exactly 0.00. With no one to receive it, no one pays.
- **Plan threshold**: a fixed award (times the weight) at or above plan, a fixed
  deduction (times the weight, capped) below; if the awards exceed the budget cap, the
  cap is shared among the awarded in proportion to their awards.
- **Ranking ties** (`choose_top_bottom`): values equal as shown share a rank (1, 2, 2,
  4); every store tied at the last chosen place is chosen too. A store chosen for the top
  is never also at the bottom, and with fewer ranked stores than top + bottom nobody is
  chosen (a zero-sum between too few stores is a lottery).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")
ZERO = Decimal("0.00")


def kopecks(value: Decimal) -> Decimal:
    """A sum of money as written on a statement: half up to the kopeck."""
    return value.quantize(KOPECK, rounding=ROUND_HALF_UP)


def split(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """`total` (kopeck-exact, not negative) shared in proportion to `weights` (not
    negative, not all zero unless `total` is zero): largest remainders, earlier first.
    The shares add up to `total` exactly."""
    if total < 0:
        raise ValueError("a sum to share cannot be negative")
    if total != total.quantize(KOPECK):
        raise ValueError("a sum to share is whole kopecks")
    if any(w < 0 for w in weights):
        raise ValueError("weights cannot be negative")
    whole = sum(weights, Decimal(0))
    if not weights or whole == 0:
        if total:
            raise ValueError("nobody to share a sum among")
        return [ZERO for _ in weights]
    exact = [total * w / whole for w in weights]
    shares = [e.quantize(KOPECK, rounding=ROUND_DOWN) for e in exact]
    left = int((total - sum(shares, ZERO)) / KOPECK)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in by_remainder[:left]:
        shares[i] += KOPECK
    return shares


@dataclass(frozen=True)
class Payee:
    """A person in a chosen store: `weight` shares the pool (1 each when equal), `cap`
    is the most that may be deducted (their variable bonus)."""

    key: Hashable
    weight: Decimal
    cap: Decimal


@dataclass(frozen=True)
class Amount:
    key: Hashable
    amount: Decimal  # signed: a deduction is negative
    capped: bool = False


def deductions(payees: Sequence[Payee], *, per_person: Decimal) -> list[Amount]:
    """`per_person` times each one's weight relative to the mean weight (so the total is
    `per_person` times the number of people), each capped at the person's cap."""
    if not payees:
        return []
    shares = split(kopecks(per_person) * len(payees), [p.weight for p in payees])
    result = []
    for payee, share in zip(payees, shares, strict=True):
        taken = min(share, max(payee.cap, ZERO))
        result.append(Amount(payee.key, -taken, capped=taken < share))
    return result


def zero_sum(
    *, top: Sequence[Payee], bottom: Sequence[Payee], per_person: Decimal
) -> tuple[list[Amount], list[Amount]]:
    """(awards of the top stores' people, deductions of the bottom stores' people):
    the awards share exactly what the deductions took, so they balance to 0.00."""
    if not top or not any(p.weight > 0 for p in top):
        return [], []
    taken = deductions(bottom, per_person=per_person)
    pool = -sum((a.amount for a in taken), ZERO)
    awards = split(pool, [p.weight for p in top])
    return [Amount(p.key, share) for p, share in zip(top, awards, strict=True)], taken


def threshold(
    *,
    met: Sequence[Payee],
    missed: Sequence[Payee],
    award: Decimal,
    deduction: Decimal,
    budget_cap: Decimal | None = None,
) -> tuple[list[Amount], list[Amount]]:
    """(awards of the people of stores at or above plan, deductions of those below):
    the award and the deduction times each one's weight, deductions capped, and awards
    scaled down to the budget cap when they would exceed it."""
    wanted = [kopecks(award * p.weight) for p in met]
    total = sum(wanted, ZERO)
    capped_awards = budget_cap is not None and total > budget_cap
    if capped_awards:
        wanted = split(kopecks(budget_cap), wanted)
    awards = [
        Amount(p.key, amount, capped=capped_awards) for p, amount in zip(met, wanted, strict=True)
    ]
    taken = []
    for payee in missed:
        share = kopecks(deduction * payee.weight)
        amount = min(share, max(payee.cap, ZERO))
        taken.append(Amount(payee.key, -amount, capped=amount < share))
    return awards, taken


@dataclass(frozen=True)
class Ranked:
    key: Hashable
    value: Decimal
    tiebreak: tuple = ()  # the listing order of tied values (more receipts, then code)


def ranks(rows: Sequence[Ranked]) -> dict[Hashable, int]:
    """{key: rank}, best (highest value) first; equal values share a rank (1, 2, 2, 4)."""
    ordered = sorted(rows, key=lambda r: (-r.value, r.tiebreak))
    result: dict[Hashable, int] = {}
    for position, row in enumerate(ordered, 1):
        if position > 1 and row.value == ordered[position - 2].value:
            result[row.key] = result[ordered[position - 2].key]
        else:
            result[row.key] = position
    return result


def choose_top_bottom(
    rows: Sequence[Ranked], *, top_n: int, bottom_n: int
) -> tuple[set[Hashable], set[Hashable]]:
    """(top stores, bottom stores) by the tie rule above: rank ≤ `top_n` from the top,
    and rank ≤ `bottom_n` counted from the bottom (values equal share it), minus the top."""
    if len(rows) < top_n + bottom_n:
        return set(), set()
    from_top = ranks(rows)
    from_bottom = ranks([Ranked(r.key, -r.value, r.tiebreak) for r in rows])
    top = {key for key, rank in from_top.items() if rank <= top_n}
    bottom = {key for key, rank in from_bottom.items() if rank <= bottom_n} - top
    return top, bottom
