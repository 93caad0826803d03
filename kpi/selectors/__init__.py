"""Reads of the kpi app: store-day facts summed over periods, plans, leaderboards, trends.

Every read works on `StoreDay` (one row per store and day), never on receipts, so a
page costs the same number of queries — and about the same time — whatever the number
of receipts behind it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kpi.choices import BatchStatus
from kpi.metrics import BY_CODE, RANKED, Kpi, Totals
from kpi.models import (
    DriftCheck,
    ImportBatch,
    ImportBatchEvent,
    PendingReceipt,
    Plan,
    StoreDay,
)
from kpi.periods import MONTH, DefaultPeriod, Period, default_period, week_of
from kpi.selectors.receipts import CashierReceipts as CashierReceipts  # re-exported
from kpi.selectors.receipts import ReceiptLookup as ReceiptLookup  # re-exported
from kpi.selectors.receipts import cashier_receipts as cashier_receipts  # re-exported
from kpi.selectors.receipts import receipt_lookup as receipt_lookup  # re-exported
from kpi.selectors.receipts import receipts_on as receipts_on  # re-exported
from kpi.services import day_bounds
from portal.numbers import percent_of
from portal.org.models import Region, Store
from portal.org.selectors import regions_visible_to

TOTALS = {
    "receipts": Sum("receipts"),
    "identified": Sum("identified"),
    "turnover": Sum("turnover"),
    "lp_turnover": Sum("lp_turnover"),
    "items": Sum("items"),
    "card_days": Sum("distinct_cards"),
    "new_members": Sum("new_members"),
    "phones": Sum("phones"),
    "emails": Sum("emails"),
}


def store_totals(*, stores: QuerySet[Store], start: date, end: date) -> dict[int, Totals]:
    """{store id: sums of its days in [start, end]} for the given stores (one query)."""
    rows = (
        StoreDay.objects.filter(store__in=stores, day__gte=start, day__lte=end)
        .values("store_id")
        .annotate(**TOTALS)
        .order_by()
    )
    return {row.pop("store_id"): Totals(**row) for row in rows}


def min_receipts_for(period: Period) -> int:
    """A store needs this many receipts in the period to be ranked (too few receipts and
    a share is luck, not work): a set number for each day of the period so far."""
    days_so_far = (min(period.end, timezone.localdate()) - period.start).days + 1
    return settings.KPI_MIN_RECEIPTS_PER_DAY * max(days_so_far, 1)


def _plans(
    *,
    kpi: str | None,
    starts_by: date,
    ends_from: date,
    store_ids: Iterable[int] = (),
    region_ids: Iterable[int | None] = (),
) -> list[Plan]:
    """The network's plans and those of these stores and regions that start on or before
    `starts_by` and end on or after `ends_from` (to cover a period: its start and end),
    oldest first."""
    plans = Plan.objects.filter(
        Q(store__isnull=True, region__isnull=True)
        | Q(store__in=list(store_ids))
        | Q(region__in=[r for r in region_ids if r is not None]),
        starts_on__lte=starts_by,
        ends_on__gte=ends_from,
    ).order_by("created_at", "pk")
    return list(plans.filter(kpi=kpi) if kpi else plans)


def _most_specific(plans: Iterable[Plan], *, store: Store, start: date, end: date) -> Plan | None:
    """The plan that applies to `store` over [start, end]: the store's own, else its
    region's, else the network's, among those covering the whole period; the latest
    created wins (`plans` come oldest first)."""
    best = None
    for plan in plans:
        if plan.store_id not in (None, store.pk) or plan.region_id not in (None, store.region_id):
            continue
        if plan.starts_on > start or plan.ends_on < end:
            continue
        if best is None or (bool(plan.store_id), bool(plan.region_id)) >= (
            bool(best.store_id),
            bool(best.region_id),
        ):
            best = plan
    return best


def plans_for(*, kpi: str, stores: list[Store], period: Period) -> dict[int, Plan]:
    """{store id: the plan that applies over the period} (one query; stores grouped by
    what they can inherit, so many stores and plans stay cheap)."""
    plans = _plans(
        kpi=kpi,
        starts_by=period.start,
        ends_from=period.end,
        store_ids=[s.pk for s in stores],
        region_ids={s.region_id for s in stores},
    )
    by_store, by_region, network = {}, {}, None
    for plan in plans:  # oldest first: the latest of each kind stays
        if plan.store_id:
            by_store[plan.store_id] = plan
        elif plan.region_id:
            by_region[plan.region_id] = plan
        else:
            network = plan
    return {
        s.pk: plan
        for s in stores
        if (plan := by_store.get(s.pk) or by_region.get(s.region_id) or network)
    }


def scope_plan(*, kpi: str, region: Region | None, period: Period) -> Plan | None:
    """The plan of a region (or, with None, of the network) covering the period."""
    plans = _plans(
        kpi=kpi,
        starts_by=period.start,
        ends_from=period.end,
        region_ids=[region.pk] if region else [],
    )
    own = [p for p in plans if p.store_id is None and p.region_id == (region and region.pk)]
    return own[-1] if own else None


@dataclass
class Row:
    store: Store
    totals: Totals
    value: Decimal | None
    previous: Decimal | None
    plan: Plan | None
    attainment: Decimal | None  # value over plan, as a percentage (100 = on plan)
    rank: int | None = None
    highlight: str = ""  # "top" / "bottom" / ""
    unranked_because: str = ""  # "too_few" receipts / LP "not_launched" in the store

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous


def plan_attainment(value: Decimal | int | None, plan: Plan | None) -> Decimal | None:
    """The value over the plan's target (both in the KPI's unit), as a percentage
    (100 = on plan)."""
    if value is None or plan is None:
        return None
    return percent_of(value, plan.target)


@dataclass
class Board:
    """A ranked list of stores on one KPI over one period.

    Tie rule: values equal at the shown precision share a rank (1, 2, 2, 4); tied stores
    are listed by more receipts first, then by store code. Stores below the minimum
    volume, and stores that had not launched the LP by the end of the period (for LP
    KPIs), are listed after the ranked ones, without a rank."""

    kpi: Kpi
    period: Period
    previous_period: Period
    min_receipts: int
    ranked: list[Row]
    unranked: list[Row]

    def within(self, region_id: int) -> Board:
        """The same board for one region's stores, ranked among themselves (no query)."""
        ranked = [replace(r) for r in self.ranked if r.store.region_id == region_id]
        unranked = [r for r in self.unranked if r.store.region_id == region_id]
        return replace(self, ranked=_ranked(ranked), unranked=unranked)

    def row_of(self, store_id: int) -> Row | None:
        return next((r for r in self.ranked + self.unranked if r.store.pk == store_id), None)

    def gap_to_next_place(self, row: Row) -> Decimal | None:
        """How much more `row` needs to share the next better rank (None when first or
        not ranked)."""
        if row.rank is None or row.rank == 1:
            return None
        better = [r.value for r in self.ranked if r.rank < row.rank]
        return min(better) - row.value if better else None


def leaderboard(*, kpi: Kpi, stores: QuerySet[Store], period: Period) -> Board:
    """The stores ranked on `kpi` over `period`, with plan and previous period: four
    queries whatever the number of stores or receipts."""
    store_list = list(stores.select_related("region").order_by("code"))
    previous_period = period.previous()
    now = store_totals(stores=stores, start=period.start, end=period.end)
    before = store_totals(stores=stores, start=previous_period.start, end=previous_period.end)
    plans = plans_for(kpi=kpi.code, stores=store_list, period=period)
    minimum = min_receipts_for(period)
    ranked, unranked = [], []
    for store in store_list:
        totals = now.get(store.pk, Totals())
        previous = before.get(store.pk)
        value, plan = kpi.of(totals), plans.get(store.pk)
        row = Row(
            store=store,
            totals=totals,
            value=value,
            previous=kpi.of(previous) if previous else None,
            plan=plan,
            attainment=plan_attainment(value, plan),
        )
        if kpi.lp_only and not (store.lp_launch_date and store.lp_launch_date <= period.end):
            row.unranked_because = "not_launched"
        elif totals.receipts < minimum or row.value is None:
            row.unranked_because = "too_few"
        (unranked if row.unranked_because else ranked).append(row)
    return Board(kpi, period, previous_period, minimum, _ranked(ranked), unranked)


def _ranked(rows: list[Row]) -> list[Row]:
    """Rows in rank order with their rank and top/bottom-3 marks (the tie rule of
    `Board`)."""
    rows = sorted(rows, key=lambda r: (-r.value, -r.totals.receipts, r.store.code))
    for position, row in enumerate(rows, 1):
        tied = position > 1 and row.value == rows[position - 2].value
        row.rank = rows[position - 2].rank if tied else position
        row.highlight = ""
    if len(rows) >= 6:
        for row in rows[:3]:
            row.highlight = "top"
        for row in rows[-3:]:
            row.highlight = "bottom"
    return rows


@dataclass(frozen=True)
class TrendPoint:
    period: Period
    value: Decimal | None
    target: Decimal | None


def store_trend(*, store: Store, kpi: Kpi, weeks: int = 26, end: date) -> list[TrendPoint]:
    """The store's KPI week by week up to the week of `end`, with each week's plan (two
    queries)."""
    last = week_of(end)
    first = last.shifted(-(weeks - 1))
    days = (
        StoreDay.objects.filter(store=store, day__gte=first.start, day__lte=last.end)
        .values("day")
        .annotate(**TOTALS)
        .order_by()
    )
    by_week: dict[date, Totals] = {}
    for row in days:
        week = week_of(row.pop("day")).start
        by_week[week] = by_week.get(week, Totals()) + Totals(**row)
    plans = _plans(  # those overlapping the weeks shown
        kpi=kpi.code,
        starts_by=last.end,
        ends_from=first.start,
        store_ids=[store.pk],
        region_ids=[store.region_id],
    )
    points = []
    period = first
    for _week in range(weeks):
        totals = by_week.get(period.start)
        applying = _most_specific(plans, store=store, start=period.start, end=period.end)
        points.append(
            TrendPoint(
                period,
                kpi.of(totals) if totals else None,
                applying.target if applying else None,
            )
        )
        period = period.shifted(1)
    return points


def latest_day() -> date | None:
    """The last day any store has facts for."""
    return StoreDay.objects.order_by("-day").values_list("day", flat=True).first()


def board_default_period(*, kind: str = MONTH, latest: date | None) -> DefaultPeriod:
    """The period boards and dashboards show when none is asked for: the running week or
    month once it has `KPI_RUNNING_PERIOD_MIN_DAYS` days of receipts (up to `latest`),
    else the last complete one — unless nothing was loaded before the running one."""
    chosen = default_period(kind, latest_day=latest, min_days=settings.KPI_RUNNING_PERIOD_MIN_DAYS)
    if chosen.running and not StoreDay.objects.filter(day__lt=chosen.running.start).exists():
        return DefaultPeriod(chosen.running)
    return chosen


def regions_for_board(user) -> QuerySet[Region]:
    return regions_visible_to(user=user).order_by("name")


def import_log(*, user, status: str | None = None) -> QuerySet[ImportBatch]:
    """Batches the user may see: HQ all of them, others their own uploads; only those
    in `status` when given (an unknown status is ignored)."""
    batches = ImportBatch.objects.select_related("created_by").order_by("-created_at")
    if status in BatchStatus.values:
        batches = batches.filter(status=status)
    if user.has_perm("kpi.see_all_imports"):
        return batches
    return batches.filter(created_by=user)


def batch_events(batch: ImportBatch) -> list[ImportBatchEvent]:
    """The decisions on a batch, oldest first, with who took them."""
    return list(batch.events.select_related("actor"))


@dataclass(frozen=True)
class PendingSummary:
    receipts: int
    batches: int


def pending_receipts(*, stores: QuerySet[Store], start: date, end: date) -> PendingSummary:
    """Receipts of batches waiting for approval for these stores in [start, end], and
    how many batches hold them (one query): the boards say they are not counted yet."""
    counts = PendingReceipt.objects.filter(
        store__in=stores,
        issued_at__gte=day_bounds(start)[0],
        issued_at__lt=day_bounds(end)[1],
    ).aggregate(receipts=Count("pk"), batches=Count("batch", distinct=True))
    return PendingSummary(**counts)


def drift_checks(limit: int = 10) -> list[DriftCheck]:
    return list(DriftCheck.objects.order_by("-started_at")[:limit])


def active_participants(*, store: Store, start: date, end: date) -> int:
    """Different cards seen at the store in [start, end]: the union of its store days'
    card lists (one query over at most the period's days, never the receipts)."""
    cards: set[str] = set()
    for day_cards in StoreDay.objects.filter(store=store, day__gte=start, day__lte=end).values_list(
        "cards", flat=True
    ):
        cards.update(day_cards)
    return len(cards)


@dataclass(frozen=True)
class Figure:
    kpi: Kpi
    value: Decimal | int | None
    previous: Decimal | int | None
    target: Decimal | None
    attainment: Decimal | None


@dataclass(frozen=True)
class StorePlace:
    """The store's place on the KPI shown: in its region (`label` its name) or the network."""

    label: str | None
    row: Row | None
    of: int
    gap: Decimal | None
    top: list[Row]


@dataclass(frozen=True)
class StoreScorecard:
    """One store over a period (`store_scorecard`)."""

    store: Store
    kpi: Kpi
    period: Period
    previous_period: Period
    totals: Totals
    figures: list[Figure]  # every ranked KPI, with plan and previous period
    participants: list[Figure]  # active participants and their growth
    places: list[StorePlace]  # in the region, then in the network
    min_receipts: int
    trend: list[TrendPoint]


def store_scorecard(*, store: Store, kpi: Kpi, period: Period) -> StoreScorecard:
    """One store over a period: every KPI with plan and previous period, its place on
    `kpi` in its region and in the network (with the gap to the next place), and the
    weekly trend of `kpi`. Everything is read from store days, never from receipts."""
    previous_period = period.previous()
    one = Store.objects.filter(pk=store.pk)
    now = store_totals(stores=one, start=period.start, end=period.end).get(store.pk, Totals())
    before = store_totals(stores=one, start=previous_period.start, end=previous_period.end)
    before = before.get(store.pk)
    plans = _plans(
        kpi=None,
        starts_by=period.start,
        ends_from=period.end,
        store_ids=[store.pk],
        region_ids=[store.region_id],
    )

    def figure(each: Kpi, value, previous) -> Figure:
        plan = _most_specific(
            [p for p in plans if p.kpi == each.code],
            store=store,
            start=period.start,
            end=period.end,
        )
        return Figure(
            each, value, previous, plan.target if plan else None, plan_attainment(value, plan)
        )

    figures = [figure(each, each.of(now), each.of(before) if before else None) for each in RANKED]
    # Counts compare like with like: a month so far against the same days of the month
    # before, not against the whole of it.
    so_far = min(period.end, timezone.localdate())
    active = active_participants(store=store, start=period.start, end=so_far)
    active_before = active_participants(
        store=store,
        start=previous_period.start,
        end=min(previous_period.end, previous_period.start + (so_far - period.start)),
    )
    growth = percent_of(active - active_before, active_before)
    participants = [
        figure(BY_CODE["active_participants"], active, active_before),
        figure(BY_CODE["participant_growth"], growth, None),
    ]
    network_board = leaderboard(kpi=kpi, stores=Store.objects.filter(is_active=True), period=period)
    region_board = network_board.within(store.region_id)
    places = []
    for label, board in ((store.region.name, region_board), (None, network_board)):
        row = board.row_of(store.pk)
        places.append(
            StorePlace(
                label=label,
                row=row,
                of=len(board.ranked),
                gap=board.gap_to_next_place(row) if row else None,
                top=board.ranked[:3],
            )
        )
    return StoreScorecard(
        store=store,
        kpi=kpi,
        period=period,
        previous_period=previous_period,
        totals=now,
        figures=figures,
        participants=participants,
        places=places,
        min_receipts=region_board.min_receipts,
        trend=store_trend(store=store, kpi=kpi, end=min(period.end, timezone.localdate())),
    )


def batch_summary(batch: ImportBatch) -> dict:
    """Which stores and days a loaded batch touched."""
    pairs = batch.store_days or []
    days = sorted({day for _store, day in pairs})
    return {
        "stores_touched": len({store for store, _day in pairs}),
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "days_touched": len(days),
    }
