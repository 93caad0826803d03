"""The desk's reports for a period and the person's scope (`tickets_visible_to`): volume by
category, store, region, month and week; SLA, first response, first contact resolution,
reopen rate and CSAT by category, store, region and agent; the root causes.

Two sets of tickets, both within the scope and the filters:
- *filed*: created in the period — the volume;
- *resolved*: resolved in the period (resolved or closed now; a reopened ticket counts
  again once it is resolved again) — everything about how tickets ended: SLA, first
  response, first contact, reopen rate, CSAT, root causes, agents.
Merged tickets are left out: their complaint is counted in the ticket they joined.

Every figure is counted by the database, in three queries (four with the agents)
whatever the number of tickets: one per grouping (category × root cause, store, day),
the totals, the regions, the months and the weeks being sums of those rows. Shares are
`portal.numbers` percentages of exact counts, the average rating `ratio_of` (half up, two
decimals)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import Decimal

import rules
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from incidents.choices import Category, RootCause, Status
from incidents.models import Ticket
from incidents.selectors.tickets import tickets_visible_to
from portal.numbers import percent_of, ratio_of

# Agents' names are for the desk's supervisors and HQ; the store side never sees them.

SATISFIED_FROM = 4  # a rating of 4 or 5 is a satisfied customer


@dataclass(frozen=True)
class ReportFilters:
    """The period (days, both included, in the portal's time zone) and the cut of the
    person's scope: a region, a store, a category (None / "" for all)."""

    start: dt.date
    end: dt.date
    region_id: int | None = None
    store_id: int | None = None
    category: str = ""


def period_bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) in the portal's time zone: the figures are
    the same whoever reads them."""
    zone = timezone.get_default_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


@dataclass(frozen=True)
class Counts:
    """Counts of one group of tickets; the rates are read from them."""

    filed: int = 0
    resolved: int = 0
    sla_met: int = 0
    first_response_met: int = 0
    first_contact: int = 0
    reopened: int = 0
    ratings: int = 0
    rating_sum: int = 0
    satisfied: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, n) + getattr(other, n) for n in COUNT_FIELDS))

    @property
    def sla_rate(self) -> Decimal | None:
        """Resolved tickets that kept every target, in percent."""
        return percent_of(self.sla_met, self.resolved)

    @property
    def first_response_rate(self) -> Decimal | None:
        return percent_of(self.first_response_met, self.resolved)

    @property
    def first_contact_rate(self) -> Decimal | None:
        return percent_of(self.first_contact, self.resolved)

    @property
    def reopen_rate(self) -> Decimal | None:
        return percent_of(self.reopened, self.resolved)

    @property
    def csat_average(self) -> Decimal | None:
        return ratio_of(self.rating_sum, self.ratings)

    @property
    def satisfied_rate(self) -> Decimal | None:
        """Ratings of 4 or 5 among the ratings, in percent."""
        return percent_of(self.satisfied, self.ratings)


COUNT_FIELDS = tuple(f.name for f in fields(Counts))


def _counted(filed: Q, resolved: Q) -> dict:
    """The annotations of `Counts`, each a conditional count of the group's rows.

    SLA met: resolved by the resolution target, first answered by the first-response
    target, and never marked missed by the escalation beat (which alone sees a missed
    next-response target); a ticket resolved late between two runs of the beat counts as
    missed too."""
    in_time = Q(
        breached=False,
        resolved_at__lte=F("resolution_due"),
        first_responded_at__lte=F("first_response_due"),
    )
    return {
        "filed": Count("pk", filter=filed),
        "resolved": Count("pk", filter=resolved),
        "sla_met": Count("pk", filter=resolved & in_time),
        "first_response_met": Count(
            "pk", filter=resolved & Q(first_responded_at__lte=F("first_response_due"))
        ),
        "first_contact": Count("pk", filter=resolved & Q(first_contact=True)),
        "reopened": Count("pk", filter=resolved & Q(reopened__gt=0)),
        "ratings": Count("pk", filter=resolved & Q(csat_rating__isnull=False)),
        "rating_sum": Coalesce(Sum("csat_rating", filter=resolved), 0),
        "satisfied": Count("pk", filter=resolved & Q(csat_rating__gte=SATISFIED_FROM)),
    }


def _counts(row: dict) -> Counts:
    return Counts(**{name: row[name] or 0 for name in COUNT_FIELDS})


@dataclass(frozen=True)
class Line:
    """One row of a report table: what it is about (`key`: a category or root cause code,
    a store, region or agent id; None for tickets without a store or agent), its name,
    and its counts. Stores carry their code and region; root causes their share."""

    key: str | int | None
    label: str
    counts: Counts
    code: str = ""
    region: str = ""
    share: Decimal | None = None


@dataclass(frozen=True)
class Bucket:
    """Tickets filed in a month or an ISO week (cut to the period at its ends)."""

    start: dt.date
    end: dt.date
    label: str
    filed: int


@dataclass(frozen=True)
class DeskReport:
    filters: ReportFilters
    total: Counts
    categories: list[Line]
    regions: list[Line]
    stores: list[Line]
    months: list[Bucket]
    weeks: list[Bucket]
    causes: list[Line]
    agents: list[Line] | None  # None: the person may not see the agents' names


def _tickets(*, user, filters: ReportFilters) -> QuerySet[Ticket]:
    tickets = tickets_visible_to(user=user).exclude(status=Status.MERGED)
    if filters.region_id is not None:
        tickets = tickets.filter(store__region_id=filters.region_id)
    if filters.store_id is not None:
        tickets = tickets.filter(store_id=filters.store_id)
    if filters.category:
        tickets = tickets.filter(category=filters.category)
    return tickets.order_by()


def desk_report(*, user, filters: ReportFilters) -> DeskReport:
    """Everything the reports page, its CSV and its PDF show, for `user`'s scope: three
    queries, four when `user` may see the agents."""
    low, high = period_bounds(filters.start, filters.end)
    filed = Q(created_at__gte=low, created_at__lt=high)
    resolved = Q(resolved_at__gte=low, resolved_at__lt=high)
    tickets = _tickets(user=user, filters=filters)
    counted = _counted(filed, resolved)
    in_period = tickets.filter(filed | resolved)

    by_cause = list(in_period.values("category", "root_cause").annotate(**counted))
    by_store = list(
        in_period.values(
            "store_id", "store__code", "store__name", "store__region_id", "store__region__name"
        ).annotate(**counted)
    )
    days = dict(
        tickets.filter(filed)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    categories = _categories(by_cause)
    agents = None
    if rules.has_perm("incidents.open_agent_figures", user):  # the rule alone, no query
        agents = _agents(tickets.filter(resolved), counted)
    return DeskReport(
        filters=filters,
        total=sum((line.counts for line in categories), Counts()),
        categories=categories,
        regions=_regions(by_store),
        stores=_stores(by_store),
        months=_months(days, filters.start, filters.end),
        weeks=_weeks(days, filters.start, filters.end),
        causes=_causes(by_cause),
        agents=agents,
    )


def _by_filed(lines: Iterable[Line]) -> list[Line]:
    """Most filed first, then most resolved, then by code or name; tickets without a
    store last."""
    return sorted(
        lines,
        key=lambda x: (x.key is None, -x.counts.filed, -x.counts.resolved, x.code, x.label),
    )


def _categories(rows: list[dict]) -> list[Line]:
    totals: dict[str, Counts] = defaultdict(Counts)
    for row in rows:
        totals[row["category"]] += _counts(row)
    return _by_filed(
        Line(code, str(Category(code).label) if code in Category.values else code, counts)
        for code, counts in totals.items()
    )


def _causes(rows: list[dict]) -> list[Line]:
    """Root causes of the resolved tickets, most frequent first, with their share."""
    totals: dict[str, Counts] = defaultdict(Counts)
    for row in rows:
        if row["resolved"]:
            totals[row["root_cause"]] += _counts(row)
    resolved = sum(counts.resolved for counts in totals.values())
    lines = [
        Line(
            code,
            str(RootCause(code).label) if code in RootCause.values else _("Not given"),
            counts,
            share=percent_of(counts.resolved, resolved),
        )
        for code, counts in totals.items()
    ]
    return sorted(lines, key=lambda x: (-x.counts.resolved, x.label))


def _stores(rows: list[dict]) -> list[Line]:
    return _by_filed(
        Line(
            row["store_id"],
            row["store__name"] or _("Without a store"),
            _counts(row),
            code=row["store__code"] or "",
            region=row["store__region__name"] or "",
        )
        for row in rows
    )


def _regions(rows: list[dict]) -> list[Line]:
    totals: dict[int | None, Counts] = defaultdict(Counts)
    names: dict[int | None, str] = {}
    for row in rows:
        key = row["store__region_id"]
        totals[key] += _counts(row)
        names[key] = row["store__region__name"] or _("Without a store")
    return _by_filed(Line(key, names[key], counts) for key, counts in totals.items())


def _agents(resolved: QuerySet[Ticket], counted: dict) -> list[Line]:
    """Per agent, the tickets they resolved in the period (the assignee at resolution)."""
    rows = resolved.values(
        "assignee_id", "assignee__last_name", "assignee__first_name", "assignee__middle_name"
    ).annotate(**counted)
    lines = []
    for row in rows:
        parts = (row["assignee__last_name"], row["assignee__first_name"])
        name = " ".join(p for p in (*parts, row["assignee__middle_name"]) if p)
        lines.append(Line(row["assignee_id"], name or _("Nobody"), _counts(row)))
    return sorted(lines, key=lambda x: (x.key is None, -x.counts.resolved, x.label))


def _short(day: dt.date) -> str:
    return formats.date_format(day, "d.m")


def _long(day: dt.date) -> str:
    return formats.date_format(day, "d.m.Y")


def _months(days: dict[dt.date, int], start: dt.date, end: dt.date) -> list[Bucket]:
    buckets = []
    first = start.replace(day=1)
    while first <= end:
        following = (first + dt.timedelta(days=32)).replace(day=1)
        last = following - dt.timedelta(days=1)
        filed = sum(n for day, n in days.items() if first <= day <= last)
        label = formats.date_format(first, "m.Y")
        buckets.append(Bucket(max(first, start), min(last, end), label, filed))
        first = following
    return buckets


def _weeks(days: dict[dt.date, int], start: dt.date, end: dt.date) -> list[Bucket]:
    buckets = []
    monday = start - dt.timedelta(days=start.weekday())
    while monday <= end:
        sunday = monday + dt.timedelta(days=6)
        low, high = max(monday, start), min(sunday, end)
        filed = sum(n for day, n in days.items() if low <= day <= high)
        buckets.append(Bucket(low, high, f"{_short(low)} – {_long(high)}", filed))
        monday += dt.timedelta(days=7)
    return buckets
