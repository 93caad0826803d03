"""What people do on a statement: HQ opens a draft for disputes and restates it, the
regional manager then HQ approve it, a store manager disputes a line, the regional
manager or HQ decide the dispute, HQ files a correction of a locked line.

Each view: the `*_get_visible` selector (404), the rule (403 for a role that never may;
a state or duty that refuses this time is said as a message), one service, redirect.
The services' refusals (`StatementRefused`) are said through `portal.feedback`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi.bonus.choices import StatementStatus
from kpi.bonus.explain import line_explanation
from kpi.bonus.selectors.statements import (
    dispute_get_visible,
    line_get_visible,
    statement_get_visible,
)
from kpi.bonus.services.statements import (
    StatementRefused,
    dispute_decide,
    line_adjust,
    line_dispute,
    statement_approve,
    statement_open,
    statement_restate,
)
from kpi.bonus.statement_forms import AdjustForm, DecisionForm, DisputeForm
from kpi.bonus.statement_pages.approval import allowed, approval_refusals
from kpi.bonus.statement_pages.detail import open_for_disputes
from kpi.bonus.statement_pages.tables import period_label
from portal.feedback import carried_out, form_carried_out


def _refusals_said(call: Callable[..., object]) -> Callable[..., object]:
    """The service's refusal as the ValidationError `portal.feedback` says."""

    def run(*args):
        try:
            return call(*args)
        except StatementRefused as refusal:
            raise ValidationError(str(refusal)) from refusal

    return run


def _to_statement(statement_pk: int) -> HttpResponse:
    return redirect(reverse("bonus:statement", args=[statement_pk]))


@login_required
@require_POST
def statement_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("bonus.close_period"):
        raise PermissionDenied
    carried_out(
        request,
        _refusals_said(lambda: statement_open(actor=request.user, statement=statement)),
        _("The statement is open for disputes; the store managers are told their results."),
    )
    return _to_statement(pk)


@login_required
@require_POST
def statement_restate_view(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_get_visible(user=request.user, pk=pk)
    if not allowed(request.user, "bonus.restate", statement):
        raise PermissionDenied
    carried_out(
        request,
        _refusals_said(lambda: statement_restate(actor=request.user, statement=statement)),
        _(
            "The statement is restated from the receipts as they stand. You changed it, "
            "so you no longer approve it."
        ),
    )
    return _to_statement(pk)


@login_required
@require_POST
def statement_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The approval the statement awaits; whoever may not give it is told why (the
    preparer, the last changer, the first approver...)."""
    statement = statement_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("bonus.open_schemes"):
        raise PermissionDenied
    refusals = approval_refusals(request.user, statement)
    if refusals:
        for reason in refusals:
            messages.error(request, reason)
        return _to_statement(pk)
    success = (
        _("Approved: the statement now awaits HQ's approval.")
        if statement.status == StatementStatus.REVIEW
        else _("Approved and locked: the payroll file can be downloaded.")
    )
    carried_out(
        request,
        _refusals_said(lambda: statement_approve(actor=request.user, statement=statement)),
        success,
    )
    return _to_statement(pk)


@login_required
def line_dispute_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The store manager's dispute of a line of their store while the statement is open
    for disputes: the line and why it says what it says, and a comment."""
    line = line_get_visible(user=request.user, pk=pk)
    if not allowed(request.user, "bonus.dispute_line", line):
        raise PermissionDenied
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form_carried_out(
        request,
        form,
        _refusals_said(
            lambda data: line_dispute(actor=request.user, line=line, comment=data["comment"])
        ),
        _("The dispute is sent: the regional manager decides it before approving."),
    ):
        return _to_statement(line.statement_id)
    context = {
        "line": line,
        "statement": line.statement,
        "period": period_label(line.statement),
        "explanation": line_explanation(line),
        "form": form,
        "open": open_for_disputes(line.statement),
    }
    return render(request, "bonus/statements/dispute.html", context)


@login_required
@require_POST
def dispute_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = dispute_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("bonus.open_schemes"):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    accepted = form.data.get("outcome") == "accept"
    form_carried_out(
        request,
        form,
        _refusals_said(
            lambda data: dispute_decide(
                actor=request.user, dispute=dispute, **form.service_arguments()
            )
        ),
        _("The dispute is accepted and the statement restated.")
        if accepted
        else _("The dispute is rejected."),
    )
    return _to_statement(dispute.statement_id)


def _initial_amount(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


@login_required
def line_adjust_view(request: HttpRequest, pk: int) -> HttpResponse:
    """HQ's correction of a locked line (prefilled from the late changes): carried into
    the scheme's next statement for the same region, linked to the line."""
    line = line_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("bonus.adjust_line"):
        raise PermissionDenied
    initial = {
        "amount": _initial_amount(request.GET.get("amount")),
        "reason": request.GET.get("reason", "")[:2000],
    }
    form = AdjustForm(request.POST or None, initial=initial)
    if request.method == "POST" and form_carried_out(
        request,
        form,
        _refusals_said(
            lambda data: line_adjust(
                actor=request.user, line=line, amount=data["amount"], reason=data["reason"]
            )
        ),
        _("The correction is filed: it lands in the scheme's next statement for the region."),
    ):
        return _to_statement(line.statement_id)
    context = {
        "line": line,
        "statement": line.statement,
        "period": period_label(line.statement),
        "explanation": line_explanation(line),
        "form": form,
    }
    return render(request, "bonus/statements/adjust.html", context)
