"""A statement's page: its path and who took each step, why this viewer may not approve
it, the scope's value against plan, the totals, the stores' results and their lines
(by store, each with why), the disputes and their decisions, and, once locked, what the
period computes to now (`?late=1`) with a correction to file per changed line.

A fixed number of queries whatever the number of stores and people (the lines come a
page of stores at a time)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from kpi.bonus import clock
from kpi.bonus.choices import DisputeStatus, StatementStatus
from kpi.bonus.explain import line_explanation
from kpi.bonus.models import Line, Statement, StoreResult
from kpi.bonus.selectors.statements import (
    late_changes,
    statement_disputes,
    statement_events,
    statement_get_visible,
    statement_results,
)
from kpi.bonus.statement_forms import DecisionForm
from kpi.bonus.statement_pages.approval import (
    allowed,
    approval_path,
    approval_refusals,
    may_approve,
)
from kpi.bonus.statement_pages.brief import scheme_brief, scope_text
from kpi.bonus.statement_pages.reads import lines_of_stores, statement_people
from kpi.bonus.statement_pages.tables import period_label, results_table

STORES_PER_PAGE = 25
LATE_REASON = gettext_lazy("Receipts loaded or flags decided after the lock")


@dataclass
class StoreGroup:
    """One store's result (None: a correction of a store the statement has no result
    for) and its lines."""

    result: StoreResult | None
    lines: list[Line] = field(default_factory=list)

    @property
    def store(self):
        return self.result.store if self.result else self.lines[0].store


def open_for_disputes(statement: Statement) -> bool:
    return statement.status == StatementStatus.REVIEW and (
        statement.dispute_until is None or clock.today() <= statement.dispute_until
    )


def _groups(results: list[StoreResult], lines: list[Line]) -> list[StoreGroup]:
    groups = {r.store_id: StoreGroup(r) for r in results}
    orphans: dict[int, StoreGroup] = {}
    for line in lines:
        group = groups.get(line.store_id) or orphans.setdefault(line.store_id, StoreGroup(None))
        group.lines.append(line)
    return [*groups.values(), *orphans.values()]


def _lines_annotated(user, statement: Statement, lines: list[Line], disputes) -> None:
    """What each line shows: why, its open dispute, and whether this viewer may dispute
    it now."""
    disputable = open_for_disputes(statement)
    disputed = {d.line_id: d for d in disputes if d.status == DisputeStatus.OPEN}
    for line in lines:
        line.explanation = line_explanation(line)
        line.open_dispute = disputed.get(line.pk)
        line.may_dispute = (
            disputable and line.open_dispute is None and allowed(user, "bonus.dispute_line", line)
        )


def _adjust_url(change) -> str:
    """The correction form of the locked line, prefilled with the difference ('' when
    the person had no line: nothing to correct)."""
    if change.line is None:
        return ""
    query = urlencode({"amount": change.difference, "reason": str(LATE_REASON)})
    return f"{reverse('bonus:line_adjust', args=[change.line.pk])}?{query}"


def _late_context(request: HttpRequest, statement: Statement) -> dict:
    """For HQ on a locked statement asked with `?late=1`: what changed since the lock, and
    a correction to file per changed line."""
    shown = request.GET.get("late") == "1"
    may_check = statement.is_locked and request.user.has_perm("bonus.adjust_line")
    if not (shown and may_check):
        return {"may_check_late": may_check, "late": None}
    changes = [
        {"change": change, "adjust_url": _adjust_url(change)} for change in late_changes(statement)
    ]
    return {"may_check_late": may_check, "late": changes}


def _actions(user, statement: Statement, *, follows: bool, open_disputes: bool) -> dict:
    """What this viewer may do with the statement now, and why they may not approve it."""
    awaits_region = statement.status == StatementStatus.REVIEW
    return {
        "may_open": statement.status == StatementStatus.DRAFT
        and user.has_perm("bonus.close_period"),
        "may_approve": may_approve(user, statement) and not (awaits_region and open_disputes),
        "approval_refusals": approval_refusals(user, statement) if follows else [],
        "open_disputes_block": follows and awaits_region and open_disputes,
        "may_restate": allowed(user, "bonus.restate", statement),
        "may_export": allowed(user, "bonus.export_payroll", statement),
        "disputable": open_for_disputes(statement),
    }


@login_required
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    statement = statement_get_visible(user=user, pk=pk)
    scheme = statement.scheme
    follows = user.has_perm("bonus.open_schemes")
    results = statement_results(user=user, statement=statement)
    page = Paginator(results, STORES_PER_PAGE).get_page(request.GET.get("page"))
    page_results = list(page.object_list)
    disputes = list(statement_disputes(user=user, statement=statement))
    lines = lines_of_stores(
        user=user,
        statement=statement,
        store_ids=[r.store_id for r in page_results],
        with_orphans=page.number == 1,
    )
    _lines_annotated(user, statement, lines, disputes)
    open_disputes = [d for d in disputes if d.status == DisputeStatus.OPEN]
    for dispute in open_disputes:
        dispute.may_decide = allowed(user, "bonus.decide_dispute", dispute)
    people = statement_people(statement)
    context = {
        "statement": statement,
        "scheme": scheme,
        "period": period_label(statement),
        "follows": follows,
        "path": approval_path(statement, people),
        "changed_by": people.get(statement.changed_by_id),
        **_actions(user, statement, follows=follows, open_disputes=bool(open_disputes)),
        "scope_value": scope_text(scheme, statement.scope_value),
        "scope_target": scope_text(scheme, statement.scope_target),
        "table": results_table(statement, page_results, links=True),
        "page": page,
        "groups": _groups(page_results, lines),
        "disputes": disputes,
        "decision_form": DecisionForm(),
        "events": list(statement_events(statement)),
        "brief": scheme_brief(scheme),
        **_late_context(request, statement),
    }
    return render(request, "bonus/statements/detail.html", context)
