"""Reads of schemes and statements, scoped at the source: HQ sees the network, a
regional manager the schemes covering their region and its statements, a store manager
the statements their store is in (its own results and lines only), store staff their
own lines. The hotline and auditors see none."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.http import Http404

from kpi.bonus.choices import OPEN_STATEMENT, LineKind, StatementStatus
from kpi.bonus.compute import statement_compute
from kpi.bonus.models import Dispute, Line, Scheme, Statement, StatementEvent, StoreResult
from kpi.periods import Period
from portal.org.choices import Role
from portal.org.scoping import ScopeLevel, scope_for

SHOWN_TO_STORES = (StatementStatus.REVIEW, StatementStatus.REGION_APPROVED, StatementStatus.LOCKED)


def schemes_visible_to(*, user) -> QuerySet[Scheme]:
    """HQ: every scheme; a regional manager: those covering their region (or the whole
    network); anyone else: none."""
    if not user.is_authenticated or not user.has_perm("bonus.open_schemes"):
        return Scheme.objects.none()
    scope = scope_for(user)
    schemes = Scheme.objects.all()
    if scope.level is ScopeLevel.NETWORK:
        return schemes
    return schemes.filter(Q(regions=scope.region_id) | Q(regions__isnull=True)).distinct()


def scheme_get_visible(*, user, pk: int) -> Scheme:
    scheme = schemes_visible_to(user=user).filter(pk=pk).select_related("created_by").first()
    if scheme is None:
        raise Http404
    return scheme


def statements_visible_to(*, user) -> QuerySet[Statement]:
    """HQ: all; a regional manager: their region's and the network statements of schemes
    covering it; a store manager: the statements (past their draft) their store is in."""
    if not user.is_authenticated or not user.has_perm("bonus.open_statements"):
        return Statement.objects.none()
    scope = scope_for(user)
    statements = Statement.objects.select_related("scheme", "region")
    if scope.level is ScopeLevel.NETWORK:
        return statements
    if scope.level is ScopeLevel.REGION:
        covering = schemes_visible_to(user=user).values("pk")
        return statements.filter(
            Q(region_id=scope.region_id) | Q(region__isnull=True, scheme__in=covering)
        )
    if scope.level is ScopeLevel.STORE and user.role == Role.STORE_MANAGER:
        return statements.filter(
            status__in=SHOWN_TO_STORES,
            pk__in=StoreResult.objects.filter(store_id=scope.store_id).values("statement_id"),
        )
    return Statement.objects.none()


def statement_get_visible(*, user, pk: int) -> Statement:
    statement = statements_visible_to(user=user).filter(pk=pk).first()
    if statement is None:
        raise Http404
    return statement


def statement_lines(*, user, statement: Statement) -> QuerySet[Line]:
    """The statement's lines this person may read (their scope's stores)."""
    lines = statement.lines.select_related("store", "corrects__statement")
    return scope_for(user).filter(lines, store_field="store")


def statement_results(*, user, statement: Statement) -> QuerySet[StoreResult]:
    results = statement.results.select_related("store__region")
    return scope_for(user).filter(results, store_field="store").order_by("rank", "store__code")


def statement_disputes(*, user, statement: Statement) -> QuerySet[Dispute]:
    disputes = statement.disputes.select_related("store", "person", "raised_by", "decided_by")
    return scope_for(user).filter(disputes, store_field="store")


def statement_events(statement: Statement) -> QuerySet[StatementEvent]:
    return statement.events.select_related("actor").order_by("at", "pk")


def line_get_visible(*, user, pk: int) -> Line:
    """A line of a statement the person sees, within their scope (404 otherwise)."""
    visible = statements_visible_to(user=user).values("pk")
    line = (
        scope_for(user)
        .filter(Line.objects.filter(statement__in=visible), store_field="store")
        .select_related("statement__scheme", "statement__region", "store", "person")
        .filter(pk=pk)
        .first()
    )
    if line is None:
        raise Http404
    return line


def dispute_get_visible(*, user, pk: int) -> Dispute:
    visible = statements_visible_to(user=user).values("pk")
    dispute = (
        scope_for(user)
        .filter(Dispute.objects.filter(statement__in=visible), store_field="store")
        .select_related("statement", "raised_by", "person", "store")
        .filter(pk=pk)
        .first()
    )
    if dispute is None:
        raise Http404
    return dispute


def own_lines(*, user) -> QuerySet[Line]:
    """A person's own lines of statements shown to stores (not drafts), newest first."""
    if not user.is_authenticated:
        return Line.objects.none()
    return (
        Line.objects.filter(person=user, statement__status__in=SHOWN_TO_STORES)
        .select_related("statement__scheme", "store", "corrects__statement")
        .order_by("-statement__starts_on", "pk")
    )


@dataclass(frozen=True)
class PayrollRow:
    personnel_number: str
    name: str
    store: str
    period: str
    code: str
    amount: Decimal


def payroll_rows(statement: Statement) -> list[PayrollRow]:
    """The payroll file of a locked statement: one row per line, an accrual code for
    what is paid and a deduction code (and a positive amount) for what is taken."""
    scheme = statement.scheme
    period = Period(statement.period_kind, statement.starts_on, statement.ends_on)
    return [
        PayrollRow(
            personnel_number=line.personnel_number,
            name=line.name,
            store=line.store.code,
            period=period.slug,
            code=scheme.accrual_code if line.amount > 0 else scheme.deduction_code,
            amount=abs(line.amount),
        )
        for line in statement.lines.select_related("store").order_by(
            "store__code", "personnel_number", "pk"
        )
    ]


@dataclass(frozen=True)
class LateChange:
    person_id: int
    name: str
    store: str
    locked: Decimal
    now: Decimal
    line: Line | None

    @property
    def difference(self) -> Decimal:
        return self.now - self.locked


def late_changes(statement: Statement) -> list[LateChange]:
    """For a locked statement: what its period computes to now (receipts loaded since,
    flags decided since) against what was locked, per person — the corrections HQ may
    file. Empty when nothing changed."""
    if statement.status in OPEN_STATEMENT:
        return []
    computation = statement_compute(
        scheme=statement.scheme,
        period=Period(statement.period_kind, statement.starts_on, statement.ends_on),
        region=statement.region,
        suspended=statement.suspended,
        excluded_people=statement.excluded_people,
        excluded_stores=statement.excluded_stores,
    )
    locked = {
        (line.store_id, line.person_id): line
        for line in statement.lines.exclude(kind=LineKind.ADJUSTMENT).select_related("store")
    }
    now = {(line.store.pk, line.person.pk): line for line in computation.lines}
    changes = []
    for key in sorted(set(locked) | set(now)):
        before, after = locked.get(key), now.get(key)
        old = before.amount if before else Decimal("0.00")
        new = after.amount if after else Decimal("0.00")
        if old != new:
            changes.append(
                LateChange(
                    person_id=key[1],
                    name=(before.name if before else after.person.full_name),
                    store=(before.store.code if before else after.store.code),
                    locked=old,
                    now=new,
                    line=before,
                )
            )
    return changes
