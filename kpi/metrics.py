"""The KPI registry: every KPI of the loyalty programme declared once — its formula,
unit, whether it is about the LP itself, its label and definition. Metrics, plans,
pages, charts, PDFs and CSV files read these declarations; `kpi.choices.KpiCode` (the
plan's field) is built from them.

Figures come from store-day facts summed over a period, so they are additive and cheap:
ratios are taken of the sums, never averaged over days. A KPI's value is in its unit:
shares are percentages rounded by the portal's rule (`portal.numbers`: half up, one
decimal), so ranks and plans compare the values as people read them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.numbers import Kind, format_number, percent_of, ratio_of, raw_number


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
        # Field by field (`astuple` deep-copies: a board of 1,000 stores spent 0.1 s here).
        return Totals(*(getattr(self, name) + getattr(other, name) for name in TOTALS_FIELDS))


TOTALS_FIELDS = tuple(item.name for item in fields(Totals))


@dataclass(frozen=True)
class Kpi:
    """One KPI. `numerator` / `denominator` name `Totals` fields (the formula over store
    days); KPIs without them count distinct cards (`kpi.selectors`: a union of the store
    days' card lists, not a sum), so they are shown for one store at a time, never
    ranked or planned across the network. `lp_only`: about the loyalty programme
    itself, so a store that has not launched it is not ranked."""

    code: str
    label: str | Promise
    definition: str | Promise
    unit: Kind
    numerator: str | None = None
    denominator: str | None = None
    lp_only: bool = False

    @property
    def from_store_days(self) -> bool:
        return self.numerator is not None

    @property
    def percent(self) -> bool:
        return self.unit == Kind.PERCENT

    @property
    def change_unit(self) -> Kind:
        """A change of a share is in percentage points; of anything else, in its unit."""
        return Kind.POINTS if self.percent else self.unit

    def of(self, totals: Totals) -> Decimal | None:
        """The KPI over summed store days, in its unit (None: nothing to divide by)."""
        if not self.from_store_days:
            raise ValueError(f"{self.code} is not computed from store days")
        part, whole = getattr(totals, self.numerator), getattr(totals, self.denominator)
        return percent_of(part, whole) if self.percent else ratio_of(part, whole)

    def format(self, value: Decimal | int | None) -> str:
        """A value as people read it, in the active language («75,0 %», «1 234,50 ₽»)."""
        return format_number(value, self.unit)

    def format_change(self, value: Decimal | int | None) -> str:
        """A change against another value («+2,5 п.п.», «−120,00 ₽»)."""
        return format_number(value, self.change_unit, signed=True)

    def raw(self, value: Decimal | int | None) -> str:
        """A value for a machine (CSV): «75.0», «1234.50»."""
        return raw_number(value, self.unit)

    def raw_change(self, value: Decimal | int | None) -> str:
        return raw_number(value, self.change_unit)


KPIS: tuple[Kpi, ...] = (
    Kpi(
        "penetration",
        _("LP penetration"),
        _("Receipts identified with a loyalty card or phone, out of all receipts."),
        Kind.PERCENT,
        numerator="identified",
        denominator="receipts",
        lp_only=True,
    ),
    Kpi(
        "contact_capture",
        _("Contact capture"),
        _("New members whose phone was captured, out of all new members."),
        Kind.PERCENT,
        numerator="phones",
        denominator="new_members",
        lp_only=True,
    ),
    Kpi(
        "lp_turnover_share",
        _("LP share of turnover"),
        _("Turnover of identified receipts, out of all turnover."),
        Kind.PERCENT,
        numerator="lp_turnover",
        denominator="turnover",
        lp_only=True,
    ),
    Kpi(
        "average_receipt",
        _("Average receipt"),
        _("Turnover divided by receipts."),
        Kind.MONEY,
        numerator="turnover",
        denominator="receipts",
    ),
    Kpi(
        "average_lp_receipt",
        _("Average LP receipt"),
        _("Turnover of identified receipts divided by their number."),
        Kind.MONEY,
        numerator="lp_turnover",
        denominator="identified",
        lp_only=True,
    ),
    Kpi(
        "items_per_receipt",
        _("Items per receipt"),
        _("Items sold divided by receipts."),
        Kind.DECIMAL,
        numerator="items",
        denominator="receipts",
    ),
    Kpi(
        "receipts_per_participant",
        _("Receipts per participant"),
        _("Identified receipts per card seen on a day, summed over the period's days."),
        Kind.DECIMAL,
        numerator="identified",
        denominator="card_days",
        lp_only=True,
    ),
    Kpi(
        "active_participants",
        _("Active participants"),
        _("Different loyalty cards that made at least one purchase in the period."),
        Kind.COUNT,
    ),
    Kpi(
        "participant_growth",
        _("Participant growth"),
        _("Change in active participants against the previous period of the same length."),
        Kind.PERCENT,
    ),
)
BY_CODE = {kpi.code: kpi for kpi in KPIS}
# Computed from store days (additive): these can be ranked and planned cheaply.
RANKED = [kpi for kpi in KPIS if kpi.from_store_days]
