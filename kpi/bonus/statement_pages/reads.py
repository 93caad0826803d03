"""Reads the statement pages need beyond `kpi.bonus.selectors.statements`, each built on
those scoped selectors (never a wider set) and costing a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from kpi.bonus.choices import (
    DisputeStatus,
    SchemeEventKind,
    StatementStatus,
)
from kpi.bonus.models import Adjustment, Dispute, Line, Scheme, SchemeEvent, Statement
from kpi.bonus.selectors.statements import (
    schemes_visible_to,
    statement_lines,
    statements_visible_to,
)
from kpi.bonus.statement_pages.approval import allowed, may_approve
from portal.org.models import Region, User
from portal.org.scoping import scope_for

AWAITING = (StatementStatus.REVIEW, StatementStatus.REGION_APPROVED)
CAP = 50  # the dashboard looks at this many open statements at most


def filter_choices(statements: QuerySet[Statement]) -> tuple[QuerySet[Scheme], QuerySet[Region]]:
    """The schemes and regions of the statements a person sees: the list's filters."""
    schemes = Scheme.objects.filter(pk__in=statements.values("scheme_id")).order_by("name")
    regions = Region.objects.filter(pk__in=statements.values("region_id")).order_by("code")
    return schemes, regions


def statement_people(statement: Statement) -> dict[int, User]:
    """Who prepared, last changed and approved the statement, in one query."""
    ids = [
        statement.prepared_by_id,
        statement.changed_by_id,
        statement.region_approved_by_id,
        statement.hq_approved_by_id,
    ]
    return User.objects.in_bulk([pk for pk in ids if pk])


def lines_of_stores(
    *, user, statement: Statement, store_ids: list[int], with_orphans: bool = False
) -> list[Line]:
    """The statement's lines (within the person's scope) of `store_ids`, by store and
    name, with the corrections filed against each; `with_orphans` adds the lines of
    stores the statement has no result for (a correction of a store since closed)."""
    where = Q(store_id__in=store_ids)
    if with_orphans:
        where |= ~Q(store_id__in=statement.results.values("store_id"))
    corrections = Adjustment.objects.select_related("applied__statement", "created_by")
    return list(
        statement_lines(user=user, statement=statement)
        .filter(where)
        .prefetch_related(Prefetch("adjustments", queryset=corrections.order_by("created_at")))
        .order_by("store__code", "name", "pk")
    )


def store_lines(*, user, statement: Statement, store_id: int) -> list[Line]:
    return lines_of_stores(user=user, statement=statement, store_ids=[store_id])


def awaiting_approval(*, user) -> list[Statement]:
    """The open statements this person may approve now, oldest first (of the first
    `CAP` they see awaiting an approval: the rules decide, not a copy of them in SQL)."""
    candidates = (
        statements_visible_to(user=user)
        .filter(status__in=AWAITING)
        .order_by("starts_on", "pk")[:CAP]
    )
    return [statement for statement in candidates if may_approve(user, statement)]


def disputes_to_decide(*, user) -> list[Dispute]:
    """Open disputes of the statements this person sees that they may decide."""
    disputes = Dispute.objects.filter(
        statement__in=statements_visible_to(user=user).values("pk"), status=DisputeStatus.OPEN
    )
    open_disputes = (
        scope_for(user)
        .filter(disputes, store_field="store")
        .select_related("statement__scheme", "store")
        .order_by("raised_at", "pk")[:CAP]
    )
    return [d for d in open_disputes if allowed(user, "bonus.decide_dispute", d)]


def scheme_turns(*, user, limit: int = 3) -> list[SchemeEvent]:
    """The latest times a scheme the person follows suspended or resumed itself."""
    return list(
        SchemeEvent.objects.filter(
            scheme__in=schemes_visible_to(user=user).values("pk"),
            kind__in=[SchemeEventKind.SUSPENDED, SchemeEventKind.RESUMED],
        )
        .select_related("scheme")
        .order_by("-at", "-pk")[:limit]
    )


def store_statements(*, user, limit: int = 12) -> list[Statement]:
    """The latest statements a store manager's store is in (their page's links)."""
    return list(statements_visible_to(user=user).order_by("-starts_on", "-pk")[:limit])
