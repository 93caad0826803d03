"""Reads of a scheme's own page and its simulation, scoped at the source: the schemes
come from `schemes_visible_to`, the statements from `statements_visible_to`, and a
regional manager's simulation computes their region only (of a network ranking, their
region's stores are listed)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from kpi.bonus.choices import SchemeEventKind, SchemeStatus
from kpi.bonus.compute import (
    Computation,
    LineComputed,
    StoreComputed,
    scheme_regions,
    statement_compute,
)
from kpi.bonus.explain import line_explanation
from kpi.bonus.models import Line, Scheme, SchemeEvent, Statement
from kpi.bonus.selectors.statements import schemes_visible_to, statements_visible_to
from kpi.periods import Period
from portal.org.models import Region, User
from portal.org.scoping import ScopeLevel, scope_for


def schemes_listed(*, user) -> QuerySet[Scheme]:
    """The schemes the person follows, with their regions, for the list page."""
    return (
        schemes_visible_to(user=user).prefetch_related("regions").order_by("status", "name", "pk")
    )


def scheme_statements(*, user, scheme: Scheme) -> QuerySet[Statement]:
    """The scheme's statements the person may open, newest first."""
    return (
        statements_visible_to(user=user)
        .filter(scheme=scheme)
        .select_related("region", "prepared_by")
        .order_by("-starts_on", "region__code")
    )


def scheme_events(scheme: Scheme) -> list[SchemeEvent]:
    """Who changed what, newest first."""
    return list(scheme.events.select_related("actor").order_by("-at", "-pk"))


def scheme_status_event(scheme: Scheme, events: list[SchemeEvent]) -> SchemeEvent | None:
    """The event that put the scheme in its current state (suspended or archived)."""
    kind = {
        SchemeStatus.SUSPENDED: SchemeEventKind.SUSPENDED,
        SchemeStatus.ARCHIVED: SchemeEventKind.ARCHIVED,
    }.get(scheme.status)
    return next((event for event in events if event.kind == kind), None) if kind else None


def regions_named(pks: set[int]) -> dict[int, str]:
    """{region key: its code} for the regions an event's payload names."""
    if not pks:
        return {}
    return dict(Region.objects.filter(pk__in=pks).values_list("pk", "code"))


@dataclass(frozen=True)
class SimulatedLine:
    person: User
    kind: str
    amount: Decimal
    capped: bool
    explanation: str


@dataclass
class SimulatedStore:
    result: StoreComputed
    lines: list[SimulatedLine] = field(default_factory=list)

    @property
    def store(self):
        return self.result.store


@dataclass
class SimulatedStatement:
    """One statement's worth as a close would compute it now; `stores` are those the
    person may see (`partial` when a network ranking is cut to their region)."""

    region: Region | None
    computation: Computation
    stores: list[SimulatedStore]
    partial: bool = False

    @property
    def awarded(self) -> Decimal:
        return self.computation.awarded

    @property
    def deducted(self) -> Decimal:
        return self.computation.deducted

    @property
    def balance(self) -> Decimal:
        return self.awarded - self.deducted


def _explained(line: LineComputed) -> SimulatedLine:
    unsaved = Line(kind=line.kind, amount=line.amount, capped=line.capped, basis=line.basis)
    return SimulatedLine(
        line.person, line.kind, line.amount, line.capped, line_explanation(unsaved)
    )


def _ranked_first(result: StoreComputed) -> tuple:
    return (result.rank is None, result.rank or 0, result.store.code)


def scheme_simulation(*, user, scheme: Scheme, period: Period) -> list[SimulatedStatement]:
    """`scheme`'s statements for `period` as a close would compute them from the data as
    it stands, writing nothing: as if active (a suspended scheme's close would pay
    nothing). A fixed number of queries per statement, whatever the stores and people."""
    scope = scope_for(user)
    regional = scope.level is not ScopeLevel.NETWORK
    simulated = []
    for region in scheme_regions(scheme):
        if regional and region is not None and region.pk != scope.region_id:
            continue
        computation = statement_compute(scheme=scheme, period=period, region=region)
        lines: dict[int, list[SimulatedLine]] = defaultdict(list)
        for line in computation.lines:
            lines[line.store.pk].append(_explained(line))
        stores = [
            SimulatedStore(result, lines.get(result.store.pk, []))
            for result in sorted(computation.results, key=_ranked_first)
            if not regional or result.store.region_id == scope.region_id
        ]
        partial = regional and region is None
        simulated.append(SimulatedStatement(region, computation, stores, partial))
    return simulated


def period_statements(*, user, scheme: Scheme, period: Period) -> list[Statement]:
    """The statements the person may open of `scheme` for `period` (already closed)."""
    return list(
        statements_visible_to(user=user)
        .filter(scheme=scheme, starts_on=period.start)
        .select_related("region")
        .order_by("region__code")
    )
