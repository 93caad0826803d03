"""Did the scheme work? Its metric before and after it started, for the scheme's top,
middle and bottom stores, against stores outside the scheme (difference in differences).

The method, as the report page states it:
- Periods: the scheme's own (months or weeks). «After» is the period holding
  `scheme.starts_on` and those following it, up to 12 and not past `end` (the last one
  may be partial); «before» is the 6 periods just before it.
- A store's value before (after) is the metric over the summed store days of the whole
  window (ratios of sums, as every KPI in the portal), so a store counts once, whatever
  its size. A store is compared only if it has a value on both sides (and, for an LP
  metric, launched the LP before the window began: a launch inside it is no effect).
- Scheme stores are the active stores of the scheme's regions (none: the network); they
  are split into thirds by their value before (top, middle, bottom). Stores outside those
  regions are the control group, split into thirds the same way, so each third is held
  against the like third outside (low stores tend to rise anyway: regression to the mean
  is not credited to the scheme). A network scheme has no control group: the report
  compares before and after only and says so.
- Effect = mean change of the scheme's stores − mean change of the control's stores.
  Its 95 % interval is a bootstrap over stores (1,000 resamples with a fixed seed, so the
  same data gives the same report), the 2.5th and 97.5th percentiles.
- Verdict: the interval above zero: it worked; below zero: it went the wrong way;
  across zero: no clear effect; fewer than 3 stores on a side or fewer than 2 periods with
  figures before or after: too little data.
- The scorecard metric is a blend of components whose history the apps do not all keep,
  so a scorecard scheme is judged on penetration (the report says so).

Four queries whatever the number of stores and periods: the scheme's regions, the stores,
the latest day (when `end` is not given) and one grouped read of store days.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kpi.bonus.choices import SCORECARD, PeriodKind
from kpi.bonus.models import Scheme
from kpi.metrics import BY_CODE, Kpi, Totals
from kpi.models import StoreDay
from kpi.periods import MONTH, WEEK, Period, month_of, week_of
from kpi.selectors import latest_day
from portal.numbers import format_number
from portal.org.models import Store
from portal.org.scoping import ScopeLevel, scope_for

BEFORE_PERIODS, AFTER_PERIODS = 6, 12
RESAMPLES, SEED = 1000, 14
MIN_STORES, MIN_PERIODS = 3, 2
STEP = Decimal("0.01")

TOP, MIDDLE, BOTTOM, ALL = "top", "middle", "bottom", "all"
THIRDS = (TOP, MIDDLE, BOTTOM)
GROUP_LABELS: dict[str, str | Promise] = {
    TOP: gettext_lazy("Top third"),
    MIDDLE: gettext_lazy("Middle third"),
    BOTTOM: gettext_lazy("Bottom third"),
    ALL: gettext_lazy("All stores of the scheme"),
}
WORKED, NO_EFFECT, WRONG_WAY, TOO_LITTLE = "worked", "no_effect", "wrong_way", "too_little"
NO_CONTROL_NETWORK, NO_CONTROL_TOO_FEW = "network", "too_few"


@dataclass(frozen=True)
class Interval:
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class GroupEffect:
    """One group of scheme stores against the like group outside the scheme (the
    control's figures None when there is no control group)."""

    key: str
    stores: int
    before: Decimal | None
    after: Decimal | None
    control_stores: int
    control_before: Decimal | None
    control_after: Decimal | None
    effect: Decimal | None  # the difference in differences (no control: the change)
    interval: Interval | None
    verdict: str

    @property
    def label(self) -> str | Promise:
        return GROUP_LABELS[self.key]

    @property
    def change(self) -> Decimal | None:
        return _minus(self.after, self.before)

    @property
    def control_change(self) -> Decimal | None:
        return _minus(self.control_after, self.control_before)


@dataclass(frozen=True)
class Series:
    """A line of the chart: a group's mean value in each period (None: no figures)."""

    key: str
    label: str | Promise
    values: list[Decimal | None]
    control: bool = False


@dataclass
class EffectReport:
    scheme: Scheme
    kpi: Kpi
    instead_of_scorecard: bool  # a scorecard scheme, judged on penetration
    before: list[Period]
    after: list[Period]
    end: dt.date
    controlled: bool
    no_control_reason: str  # "network" / "too_few" / ""
    groups: list[GroupEffect]
    overall: GroupEffect
    series: list[Series] = field(default_factory=list)
    too_little_reason: str = ""
    left_out: int = 0  # stores without figures on both sides (or launched inside the window)

    @property
    def verdict(self) -> str:
        return self.overall.verdict

    @property
    def periods(self) -> list[Period]:
        return self.before + self.after

    @property
    def rows(self) -> list[GroupEffect]:
        return [*self.groups, self.overall]

    def verdict_text(self) -> str:
        """The verdict in plain language, in the active language."""
        return verdict_text(self)


def _minus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None or b is None else a - b


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(STEP, rounding=ROUND_HALF_UP)


def _decimal(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(STEP, rounding=ROUND_HALF_UP)


def _interval(changes: list[Decimal], control: list[Decimal] | None) -> Interval:
    """The 95 % bootstrap interval of mean(changes) − mean(control) (of mean(changes)
    without a control): stores drawn with replacement on each side, fixed seed."""
    rng = random.Random(SEED)
    ours = [float(c) for c in changes]
    theirs = [float(c) for c in control or ()]
    draws = []
    for _draw in range(RESAMPLES):
        value = sum(rng.choices(ours, k=len(ours))) / len(ours)
        if theirs:
            value -= sum(rng.choices(theirs, k=len(theirs))) / len(theirs)
        draws.append(value)
    draws.sort()
    return Interval(
        _decimal(draws[int(RESAMPLES * 0.025)]), _decimal(draws[int(RESAMPLES * 0.975) - 1])
    )


@dataclass
class _Unit:
    """One store's figures: its value over the window before and after, and per period."""

    store: Store
    before: Decimal
    after: Decimal
    by_period: dict[dt.date, Decimal]

    @property
    def change(self) -> Decimal:
        return self.after - self.before


def _thirds(units: list[_Unit]) -> dict[str, list[_Unit]]:
    """Top, middle and bottom thirds by the value before (ties by store code); with 10
    stores 4, 3 and 3."""
    ordered = sorted(units, key=lambda u: (-u.before, u.store.code))
    groups: dict[str, list[_Unit]] = {key: [] for key in THIRDS}
    for position, unit in enumerate(ordered):
        groups[THIRDS[position * 3 // len(ordered)]].append(unit)
    return groups


def _verdict(interval: Interval | None, *, enough: bool) -> str:
    if not enough or interval is None:
        return TOO_LITTLE
    if interval.low > 0:
        return WORKED
    if interval.high < 0:
        return WRONG_WAY
    return NO_EFFECT


def _group(key: str, ours: list[_Unit], theirs: list[_Unit] | None, *, enough: bool) -> GroupEffect:
    changes = [u.change for u in ours]
    control = [u.change for u in theirs] if theirs is not None else None
    enough = enough and len(ours) >= MIN_STORES and (control is None or len(control) >= MIN_STORES)
    interval = _interval(changes, control) if ours and (control is None or control) else None
    before, after = _mean([u.before for u in ours]), _mean([u.after for u in ours])
    control_before = _mean([u.before for u in theirs]) if theirs else None
    control_after = _mean([u.after for u in theirs]) if theirs else None
    effect = _minus(after, before)
    if control is not None:
        effect = _minus(effect, _minus(control_after, control_before))
    return GroupEffect(
        key=key,
        stores=len(ours),
        before=before,
        after=after,
        control_stores=len(theirs or ()),
        control_before=control_before,
        control_after=control_after,
        effect=effect,
        interval=interval,
        verdict=_verdict(interval, enough=enough),
    )


def _windows(scheme: Scheme, end: dt.date) -> tuple[list[Period], list[Period]]:
    of = week_of if scheme.period == PeriodKind.WEEK else month_of
    first = of(scheme.starts_on)
    before = [first.shifted(-steps) for steps in range(BEFORE_PERIODS, 0, -1)]
    after, period = [], first
    while period.start <= end and len(after) < AFTER_PERIODS:
        after.append(period)
        period = period.shifted(1)
    return before, after


def _store_periods(
    *, kpi: Kpi, store_ids, kind: str, start: dt.date, end: dt.date
) -> dict[int, dict[dt.date, Totals]]:
    """{store id: {period's first day: its totals of the metric's two fields}} (one query)."""
    trunc = TruncWeek("day") if kind == WEEK else TruncMonth("day")
    rows = (
        StoreDay.objects.filter(store_id__in=store_ids, day__gte=start, day__lte=end)
        .annotate(period=trunc)
        .values("store_id", "period")
        .annotate(part=Sum(kpi.numerator), whole=Sum(kpi.denominator))
        .order_by()
    )
    result: dict[int, dict[dt.date, Totals]] = {}
    for row in rows:
        first = row["period"]
        first = first.date() if isinstance(first, dt.datetime) else first
        totals = Totals(**{kpi.numerator: row["part"] or 0, kpi.denominator: row["whole"] or 0})
        result.setdefault(row["store_id"], {})[first] = totals
    return result


def _unit(store: Store, kpi: Kpi, periods: dict[dt.date, Totals], before, after) -> _Unit | None:
    def window(chosen: list[Period]) -> Decimal | None:
        totals = [periods[p.start] for p in chosen if p.start in periods]
        return kpi.of(sum(totals, Totals())) if totals else None

    value_before, value_after = window(before), window(after)
    if value_before is None or value_after is None:
        return None
    by_period = {first: value for first, t in periods.items() if (value := kpi.of(t)) is not None}
    return _Unit(store, value_before, value_after, by_period)


def _series(
    periods: list[Period], groups: dict[str, list[_Unit]], control: list[_Unit] | None
) -> list[Series]:
    def line(units: list[_Unit]) -> list[Decimal | None]:
        return [
            _mean([u.by_period[p.start] for u in units if p.start in u.by_period]) for p in periods
        ]

    lines = [Series(key, GROUP_LABELS[key], line(groups[key])) for key in THIRDS if groups[key]]
    if control:
        lines.append(Series("control", _("Outside the scheme"), line(control), control=True))
    return lines


def scheme_effect(*, scheme: Scheme, end: dt.date | None = None) -> EffectReport:
    """The scheme's effect on its metric up to `end` (default: the latest day with
    receipts); see the module's docstring for the method."""
    kpi = BY_CODE["penetration"] if scheme.metric == SCORECARD else BY_CODE[scheme.metric]
    end = end or latest_day() or timezone.localdate()
    kind = WEEK if scheme.period == PeriodKind.WEEK else MONTH
    before, after = _windows(scheme, end)
    region_ids = set(scheme.regions.values_list("pk", flat=True))
    stores = list(Store.objects.filter(is_active=True).order_by("code"))
    last_day = min(after[-1].end, end) if after else before[-1].end
    figures = _store_periods(
        kpi=kpi,
        store_ids=[s.pk for s in stores],
        kind=kind,
        start=before[0].start,
        end=last_day,
    )
    ours: list[_Unit] = []
    theirs: list[_Unit] = []
    left_out = 0
    for store in stores:
        in_scheme = not region_ids or store.region_id in region_ids
        launched = store.lp_launch_date and store.lp_launch_date <= before[0].start
        unit = None
        if launched or not kpi.lp_only:
            unit = _unit(store, kpi, figures.get(store.pk, {}), before, after)
        if unit is None:
            left_out += in_scheme
            continue
        (ours if in_scheme else theirs).append(unit)
    with_figures = {first for u in ours for first in u.by_period}
    periods_before = sum(p.start in with_figures for p in before)
    periods_after = sum(p.start in with_figures for p in after)
    too_little = ""
    if len(ours) < MIN_STORES:
        too_little = "stores"
    elif min(periods_before, periods_after) < MIN_PERIODS:
        too_little = "periods"
    no_control = ""
    if not region_ids:
        no_control = NO_CONTROL_NETWORK
    elif len(theirs) < MIN_STORES:
        no_control = NO_CONTROL_TOO_FEW
    control = None if no_control else theirs
    groups = _thirds(ours) if ours else {key: [] for key in THIRDS}
    control_groups = _thirds(control) if control else {key: None for key in THIRDS}
    return EffectReport(
        scheme=scheme,
        kpi=kpi,
        instead_of_scorecard=scheme.metric == SCORECARD,
        before=before,
        after=after,
        end=end,
        controlled=control is not None,
        no_control_reason=no_control,
        groups=[
            _group(key, groups[key], control_groups[key], enough=not too_little) for key in THIRDS
        ],
        overall=_group(ALL, ours, control, enough=not too_little),
        series=_series(before + after, groups, control),
        too_little_reason=too_little,
        left_out=left_out,
    )


def verdict_text(report: EffectReport) -> str:
    """«It worked: …», «No clear effect …», «It went the wrong way: …» or «Too little
    data …», with the effect and its interval in the metric's unit."""
    overall, kpi = report.overall, report.kpi
    if report.verdict == TOO_LITTLE:
        return _(
            "Too little data: fewer than %(stores)s stores with figures before and after the "
            "start, or fewer than %(periods)s periods with figures on either side."
        ) % {"stores": MIN_STORES, "periods": MIN_PERIODS}
    values = {
        "metric": kpi.label,
        "effect": format_number(abs(overall.effect), kpi.change_unit),
        "low": kpi.format_change(overall.interval.low),
        "high": kpi.format_change(overall.interval.high),
    }
    if not report.controlled:
        texts = {
            WORKED: _(
                "%(metric)s rose by %(effect)s after the start (95%% interval %(low)s to "
                "%(high)s). There is no control group, so a season or a campaign may explain "
                "it as well as the scheme."
            ),
            WRONG_WAY: _(
                "%(metric)s fell by %(effect)s after the start (95%% interval %(low)s to "
                "%(high)s). There is no control group to tell the scheme from other causes."
            ),
            NO_EFFECT: _(
                "No clear change after the start: the interval includes zero (95%% interval "
                "%(low)s to %(high)s). There is no control group."
            ),
        }
        return texts[report.verdict] % values
    texts = {
        WORKED: _(
            "It worked: %(metric)s rose by %(effect)s more than in stores outside the scheme "
            "(95%% interval %(low)s to %(high)s)."
        ),
        WRONG_WAY: _(
            "It went the wrong way: %(metric)s changed by %(effect)s less than in stores "
            "outside the scheme (95%% interval %(low)s to %(high)s)."
        ),
        NO_EFFECT: _(
            "No clear effect: the interval includes zero (95%% interval %(low)s to %(high)s)."
        ),
    }
    return texts[report.verdict] % values


def scheme_for_effect(*, user, pk: int) -> Scheme:
    """The scheme whose effect the user may read: HQ any; a regional manager a scheme
    covering their region (or the whole network); 404 for everything else."""
    scheme = Scheme.objects.filter(pk=pk).first()
    if scheme is None or not user.has_perm("bonus.open_effect", scheme):
        raise Http404
    scope = scope_for(user)
    if scope.level is ScopeLevel.NETWORK:
        return scheme
    regions = set(scheme.regions.values_list("pk", flat=True))
    if scope.level is ScopeLevel.REGION and (not regions or scope.region_id in regions):
        return scheme
    raise Http404
