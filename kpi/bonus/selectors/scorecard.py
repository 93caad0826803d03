"""The store scorecard: one ranked view of a region's (or the network's) stores combining
penetration against plan, the latest mystery-shopper score, certified-staff coverage,
SOP confirmation, complaints per 1,000 receipts and «not identified» complaints per
1,000 receipts, each scored 0–100 and weighted as HQ sets (`ScorecardWeights`), so that
no store wins on penetration alone. It is also a scheme's metric (`scorecard_values`).

How each component is scored (0 worst, 100 best):
- penetration: attainment of the penetration plan (value over plan, %), capped at 120 %
  and mapped to 0–100 (on plan = 83.33, 120 % and above = 100); no plan or no receipts:
  no data;
- the mystery-shopper score (the latest published visit within a year up to the period's
  end), certified-staff coverage and SOP confirmation are percentages already and are
  taken as they are (coverage and SOP as of today: their apps keep no history);
- complaints and «not identified» complaints, each per 1,000 of the store's receipts of
  the period (per 1,000 so that a big store is not punished for its size), are lower is
  better: 100 for none, 0 for the worst ranked store of the board, linear between
  (everyone 100 when no ranked store has any); a store without receipts has no rate.

A component a store has no data for is shown as «no data», never as 0: the composite is
the weighted mean of the components the store has (weights renormalised over them), half
up to hundredths. A component no store has is missing for everyone. Eligibility and the
tie rule are the KPI leaderboard's (`kpi.selectors.Board`): too few receipts, or the LP
not launched by the period's end, and the store is listed unranked; equal composites
share a rank, listed by more receipts, then store code. A fixed number of queries
whatever the number of stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from audits.selectors.analytics import store_audit_scores
from incidents.selectors.scorecard import (
    complaints_per_thousand_receipts,
    not_identified_receipts,
)
from kpi.bonus.models import ScorecardWeights
from kpi.metrics import BY_CODE, Totals
from kpi.periods import Period
from kpi.selectors import min_receipts_for, plan_attainment, plans_for, store_totals
from portal.numbers import Kind, ratio_of
from portal.org.models import Region, Store
from portal.org.scoping import ScopeLevel, scope_for
from portal.org.selectors import regions_visible_to, stores_of
from portal.sop.compliance import store_compliance_shares
from training.selectors.status import certified_coverage

PENETRATION = BY_CODE["penetration"]
ATTAINMENT_CAP = Decimal(120)  # % of plan scoring full marks
AUDIT_LOOKBACK_DAYS = 365  # the latest visit within a year up to the period's end
PER = 1000
HUNDRED = Decimal(100)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Component:
    """One part of the scorecard; `key` is its weight's field on `ScorecardWeights`."""

    key: str
    label: str | Promise
    unit: Kind  # of its raw value
    lower_is_better: bool = False


COMPONENTS: tuple[Component, ...] = (
    Component("penetration", _("Penetration vs plan"), Kind.PERCENT),
    Component("audit", _("Mystery-shopper score"), Kind.PERCENT),
    Component("coverage", _("Certified staff"), Kind.PERCENT),
    Component("sop", _("SOP confirmed"), Kind.PERCENT),
    Component("complaints", _("Complaints per 1,000 receipts"), Kind.DECIMAL, True),
    Component("not_identified", _("«Not identified» per 1,000 receipts"), Kind.DECIMAL, True),
)
KEYS = tuple(c.key for c in COMPONENTS)


@dataclass(frozen=True)
class Weights:
    """The weights applied (whole numbers 0–100): the latest `ScorecardWeights` row, or
    the model's defaults when HQ never set any (`changed_at` None)."""

    penetration: int
    audit: int
    coverage: int
    sop: int
    complaints: int
    not_identified: int
    changed_by: object | None = None
    changed_at: dt.datetime | None = None

    def of(self, key: str) -> int:
        return getattr(self, key)

    @classmethod
    def defaults(cls) -> Weights:
        return cls(**{key: ScorecardWeights._meta.get_field(key).default for key in KEYS})

    @classmethod
    def from_row(cls, row: ScorecardWeights | Mapping | Weights) -> Weights:
        if isinstance(row, Weights):
            return row
        if isinstance(row, Mapping):
            return cls(**{key: int(row[key]) for key in KEYS})
        return cls(
            **{key: getattr(row, key) for key in KEYS},
            changed_by=row.changed_by,
            changed_at=row.changed_at,
        )


def scorecard_weights() -> Weights:
    """The weights that apply now (one query)."""
    row = ScorecardWeights.objects.select_related("changed_by").first()
    return Weights.from_row(row) if row else Weights.defaults()


def scorecard_weights_history(*, limit: int = 50) -> list[ScorecardWeights]:
    """HQ's changes of the weights, newest first, with who made them (one query)."""
    return list(ScorecardWeights.objects.select_related("changed_by")[:limit])


@dataclass(frozen=True)
class Part:
    """One component of one store: its value in its unit and its score 0–100 (both
    None: no data)."""

    raw: Decimal | None
    score: Decimal | None = None

    @property
    def missing(self) -> bool:
        return self.score is None


@dataclass
class ScorecardRow:
    store: Store
    receipts: int
    penetration: Decimal | None  # the KPI's value, %
    plan: Decimal | None  # the penetration plan's target, %
    parts: dict[str, Part]
    composite: Decimal | None = None
    rank: int | None = None
    highlight: str = ""  # "top" / "bottom" / ""
    unranked_because: str = ""  # "too_few" / "not_launched" / "no_value"

    @property
    def missing(self) -> list[str]:
        return [key for key in KEYS if self.parts[key].missing]


@dataclass(frozen=True)
class AppliedWeight:
    component: Component
    weight: int
    share: Decimal | None  # % of the weights of components with data anywhere
    missing: bool  # no store of the board has data for it


@dataclass
class ScorecardBoard:
    """The stores ranked on the composite (see the module's docstring for the rules)."""

    period: Period
    weights: Weights
    min_receipts: int
    ranked: list[ScorecardRow]
    unranked: list[ScorecardRow]
    components: tuple[Component, ...] = COMPONENTS
    missing: list[Component] = field(default_factory=list)

    @property
    def rows(self) -> list[ScorecardRow]:
        return self.ranked + self.unranked

    def row_of(self, store_id: int) -> ScorecardRow | None:
        return next((r for r in self.rows if r.store.pk == store_id), None)

    @property
    def applied(self) -> list[AppliedWeight]:
        present = [c for c in self.components if c not in self.missing]
        total = sum(self.weights.of(c.key) for c in present)
        return [
            AppliedWeight(
                c,
                self.weights.of(c.key),
                None
                if c in self.missing or not total
                else ratio_of(self.weights.of(c.key) * 100, total, Decimal("0.1")),
                c in self.missing,
            )
            for c in self.components
        ]


def _score_share(value: Decimal | None) -> Decimal | None:
    """A percentage as a score (clamped to 0–100)."""
    if value is None:
        return None
    return min(max(Decimal(value), ZERO), HUNDRED).quantize(Decimal("0.01"))


def _score_attainment(attainment: Decimal | None) -> Decimal | None:
    if attainment is None:
        return None
    return ratio_of(min(max(attainment, ZERO), ATTAINMENT_CAP) * 100, ATTAINMENT_CAP)


def _score_against_worst(value: Decimal | None, worst: Decimal) -> Decimal | None:
    """Lower is better: 100 for none, 0 for the worst (beyond it too), linear between."""
    if value is None:
        return None
    if not worst:
        return HUNDRED if not value else ZERO
    return max(ratio_of((worst - min(value, worst)) * 100, worst), ZERO)


def _composite(parts: dict[str, Part], weights: Weights) -> Decimal | None:
    weighed = [(weights.of(key), part.score) for key, part in parts.items() if not part.missing]
    total = sum(weight for weight, _score in weighed)
    if not total:
        return None
    return ratio_of(sum(weight * score for weight, score in weighed), total)


def _ranked(rows: list[ScorecardRow]) -> list[ScorecardRow]:
    """The leaderboard's tie rule on the composite: equal values share a rank, listed by
    more receipts, then store code; top and bottom 3 marked from 6 ranked stores."""
    rows = sorted(rows, key=lambda r: (-r.composite, -r.receipts, r.store.code))
    for position, row in enumerate(rows, 1):
        tied = position > 1 and row.composite == rows[position - 2].composite
        row.rank = rows[position - 2].rank if tied else position
        row.highlight = ""
    if len(rows) >= 6:
        for row in rows[:3]:
            row.highlight = "top"
        for row in rows[-3:]:
            row.highlight = "bottom"
    return rows


def _raw_components(
    *, stores: QuerySet[Store], store_list: list[Store], period: Period
) -> tuple[dict[int, Totals], dict[int, object], dict[str, Mapping[int, Decimal | None]]]:
    """Every app's figures for the stores: a fixed number of queries."""
    ids = [s.pk for s in store_list]
    totals = store_totals(stores=stores, start=period.start, end=period.end)
    plans = plans_for(kpi=PENETRATION.code, stores=store_list, period=period)
    audits = store_audit_scores(
        stores=ids, start=period.end - dt.timedelta(days=AUDIT_LOOKBACK_DAYS - 1), end=period.end
    )
    complaints = complaints_per_thousand_receipts(start=period.start, end=period.end, store_ids=ids)
    not_identified = not_identified_receipts(start=period.start, end=period.end, store_ids=ids)
    receipts = {pk: t.receipts for pk, t in totals.items() if t.receipts}
    raw = {
        "audit": {pk: score.latest for pk, score in audits.items()},
        "coverage": certified_coverage(stores=stores),
        "sop": store_compliance_shares(stores=stores),
        "complaints": complaints,
        "not_identified": {
            pk: ratio_of(not_identified.get(pk, 0) * PER, count) for pk, count in receipts.items()
        },
    }
    return totals, plans, raw


def store_scorecard_board(
    *,
    stores: QuerySet[Store],
    period: Period,
    weights: Weights | ScorecardWeights | Mapping | None = None,
) -> ScorecardBoard:
    """The stores ranked on the scorecard over `period` with `weights` (None: those HQ
    set). About twenty queries, the same for 5 or 5,000 stores."""
    weights = scorecard_weights() if weights is None else Weights.from_row(weights)
    store_list = list(stores.select_related("region").order_by("code"))
    totals, plans, raw = _raw_components(stores=stores, store_list=store_list, period=period)
    minimum = min_receipts_for(period)
    rows = []
    for store in store_list:
        store_total = totals.get(store.pk, Totals())
        plan = plans.get(store.pk)
        value = PENETRATION.of(store_total)
        attainment = plan_attainment(value, plan)
        parts = {"penetration": Part(attainment, _score_attainment(attainment))}
        for key in ("audit", "coverage", "sop"):
            share = raw[key].get(store.pk)
            parts[key] = Part(share, _score_share(share))
        for key in ("complaints", "not_identified"):
            parts[key] = Part(raw[key].get(store.pk))
        row = ScorecardRow(
            store=store,
            receipts=store_total.receipts,
            penetration=value,
            plan=plan.target if plan else None,
            parts=parts,
        )
        if not (store.lp_launch_date and store.lp_launch_date <= period.end):
            row.unranked_because = "not_launched"
        elif store_total.receipts < minimum:
            row.unranked_because = "too_few"
        rows.append(row)
    eligible = [r for r in rows if not r.unranked_because] or rows
    for key in ("complaints", "not_identified"):
        known = [r.parts[key].raw for r in eligible if r.parts[key].raw is not None]
        worst = max(known, default=ZERO)
        for row in rows:
            row.parts[key] = Part(
                row.parts[key].raw, _score_against_worst(row.parts[key].raw, worst)
            )
    ranked, unranked = [], []
    for row in rows:
        row.composite = _composite(row.parts, weights)
        if not row.unranked_because and row.composite is None:
            row.unranked_because = "no_value"
        (unranked if row.unranked_because else ranked).append(row)
    missing = [c for c in COMPONENTS if all(r.parts[c.key].missing for r in rows)]
    return ScorecardBoard(
        period=period,
        weights=weights,
        min_receipts=minimum,
        ranked=_ranked(ranked),
        unranked=unranked,
        missing=missing,
    )


def scorecard_values(*, stores: QuerySet[Store], period: Period) -> dict[int, Decimal | None]:
    """{store id: its composite score over the period (None: not ranked)} for a scheme
    whose metric is the scorecard, with the weights HQ set."""
    board = store_scorecard_board(stores=stores, period=period)
    return {row.store.pk: row.composite if row.rank is not None else None for row in board.rows}


@dataclass(frozen=True)
class ScorecardScope:
    """Which board a person is shown: the network (`region` None) or one region, and the
    choices they have."""

    region: Region | None
    regions: list[Region]
    network_allowed: bool

    @property
    def stores(self) -> QuerySet[Store]:
        return stores_of(region=self.region, active_only=True)


def scorecard_scope(*, user, region_code: str | None) -> ScorecardScope:
    """HQ: the network (by default, or "all") or any region; a regional manager: their
    region only (anything else is 404); everyone else 403."""
    if not user.has_perm("bonus.open_scorecard"):
        raise PermissionDenied
    network_allowed = scope_for(user).level is ScopeLevel.NETWORK
    regions = list(regions_visible_to(user=user).order_by("name"))
    if not region_code or region_code == "all":
        if network_allowed:
            return ScorecardScope(None, regions, True)
        if region_code == "all" or not regions:
            raise Http404(_("Unknown region."))
        own = next((r for r in regions if r.pk == user.region_id), regions[0])
        return ScorecardScope(own, regions, False)
    region = next((r for r in regions if r.code == region_code), None)
    if region is None:
        raise Http404(_("Unknown region."))
    return ScorecardScope(region, regions, network_allowed)
