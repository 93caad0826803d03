"""The LP KPIs and how each is computed (the UI shows these definitions).

All figures come from store-day facts summed over a period, so they are additive and
cheap: ratios are taken of the sums, never averaged over days.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _


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


def _ratio(numerator, denominator, places: str = "0.0001") -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal(places), ROUND_HALF_UP)


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    definition: str
    percent: bool

    def of(self, totals: Totals) -> Decimal | None:
        return COMPUTE[self.code](totals)


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
        _("LP penetration"),
        _("Receipts identified with a loyalty card or phone, out of all receipts."),
        True,
    ),
    Kpi(
        "contact_capture",
        _("Contact capture"),
        _("New members whose phone was captured, out of all new members."),
        True,
    ),
    Kpi(
        "lp_turnover_share",
        _("LP share of turnover"),
        _("Turnover of identified receipts, out of all turnover."),
        True,
    ),
    Kpi("average_receipt", _("Average receipt"), _("Turnover divided by receipts."), False),
    Kpi(
        "average_lp_receipt",
        _("Average LP receipt"),
        _("Turnover of identified receipts divided by their number."),
        False,
    ),
    Kpi("items_per_receipt", _("Items per receipt"), _("Items sold divided by receipts."), False),
    Kpi(
        "receipts_per_participant",
        _("Receipts per participant"),
        _("Identified receipts per card seen on a day, summed over the period's days."),
        False,
    ),
]
BY_CODE = {kpi.code: kpi for kpi in KPIS}
