"""The LP KPIs and how each is computed (the UI shows these definitions).

All figures come from store-day facts: sums over a period, so they are additive and
cheap (ratios are taken of the sums, never averaged over days), except the participant
counts, which are the union of the days' card lists (`PARTICIPANT_KPIS`).
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from kpi.choices import KpiCode


@dataclass(frozen=True)
class Totals:
    """Sums of store-day facts over a period (one store or many)."""

    receipts: int = 0
    identified: int = 0
    turnover: Decimal = Decimal(0)
    lp_turnover: Decimal = Decimal(0)
    items: int = 0
    card_days: int = 0  # sum of distinct cards per day: a card seen on 3 days counts 3
    new_members: int = 0
    phones: int = 0
    emails: int = 0

    def __add__(self, other: Totals) -> Totals:
        return Totals(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


def _ratio(numerator, denominator, places: str = "0.0001") -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), ROUND_HALF_UP)


@dataclass(frozen=True)
class Kpi:
    code: str
    definition: str
    percent: bool

    @property
    def label(self) -> str:
        return KpiCode(self.code).label

    def of(self, totals: Totals) -> Decimal | None:
        return COMPUTE[self.code](totals)

    def plan_value(self, target: Decimal) -> Decimal:
        """A plan's target on the scale of `of()`: plans write shares as percentages."""
        return target / 100 if self.percent else target

    def shown(self, value: Decimal | None) -> Decimal | None:
        """The value as people read it: shares in percent (2 places), amounts as is."""
        if value is None:
            return None
        return (value * 100).quantize(Decimal("0.01")) if self.percent else value


COMPUTE = {
    "penetration": lambda t: _ratio(t.identified, t.receipts),
    "contact_capture": lambda t: _ratio(t.phones, t.new_members),
    "lp_turnover_share": lambda t: _ratio(t.lp_turnover, t.turnover),
    "average_receipt": lambda t: _ratio(t.turnover, t.receipts, "0.01"),
    "average_lp_receipt": lambda t: _ratio(t.lp_turnover, t.identified, "0.01"),
    "items_per_receipt": lambda t: _ratio(t.items, t.receipts, "0.01"),
    "receipts_per_participant": lambda t: _ratio(t.identified, t.card_days, "0.01"),
}

KPIS = [
    Kpi(
        "penetration",
        _("Receipts identified with a loyalty card or phone, out of all receipts."),
        True,
    ),
    Kpi(
        "contact_capture",
        _("New members whose phone was captured, out of all new members."),
        True,
    ),
    Kpi(
        "lp_turnover_share",
        _("Turnover of identified receipts, out of all turnover."),
        True,
    ),
    Kpi("average_receipt", _("Turnover divided by receipts."), False),
    Kpi(
        "average_lp_receipt",
        _("Turnover of identified receipts divided by their number."),
        False,
    ),
    Kpi("items_per_receipt", _("Items sold divided by receipts."), False),
    Kpi(
        "receipts_per_participant",
        _("Identified receipts per card seen on a day, summed over the period's days."),
        False,
    ),
]

# KPIs about the loyalty programme itself: a store that has not launched it is not ranked.
LP_ONLY = frozenset(
    {
        "penetration",
        "contact_capture",
        "lp_turnover_share",
        "average_lp_receipt",
        "receipts_per_participant",
    }
)

# KPIs computed from store days (additive): these can be ranked and planned cheaply.
RANKED = list(KPIS)

# KPIs that count distinct cards over a period: a union of the store days' card lists,
# not a sum, so they are shown for one store at a time, not ranked across the network.
PARTICIPANT_KPIS = [
    Kpi(
        "active_participants",
        _("Different loyalty cards that made at least one purchase in the period."),
        False,
    ),
    Kpi(
        "participant_growth",
        _("Change in active participants against the previous period of the same length."),
        True,
    ),
]
KPIS = KPIS + PARTICIPANT_KPIS
BY_CODE = {kpi.code: kpi for kpi in KPIS}
