"""The store's side of a published report: acknowledge, appeal an item, open corrective
actions and finish them with a photo; the LP manager decides appeals; someone other than
who finished an action verifies it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.forms import (
    ActionDoneForm,
    ActionForm,
    ActionVerifyForm,
    AppealDecisionForm,
    AppealForm,
)
from audits.selectors.visits import (
    action_get_visible,
    appeal_get_visible,
    open_appeals,
    visit_get_visible,
)
from audits.services.responses import (
    action_create,
    action_done,
    action_verify,
    appeal_create,
    appeal_decide,
    appeal_open_until,
    visit_acknowledge,
)
from portal.org.selectors import store_people


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for problem in error.messages:
        messages.error(request, problem)


def response_context(request: HttpRequest, visit) -> dict:
    """What the store manager's part of the report page needs."""
    return {
        "action_form": ActionForm(people=store_people(store=visit.store)),
        "appeal_until": appeal_open_until(visit),
    }


def _respondable(request: HttpRequest, pk: int):
    visit = visit_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("audits.respond_to_visit", visit):
        raise PermissionDenied
    return visit


@login_required
@require_POST
def visit_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _respondable(request, pk)
    try:
        visit_acknowledge(actor=request.user, visit=visit)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The report is acknowledged."))
    return redirect(visit)


@login_required
@require_POST
def appeal_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _respondable(request, pk)
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the answer is wrong."))
        return redirect(visit)
    try:
        appeal_create(
            actor=request.user,
            visit=visit,
            key=form.cleaned_data["question"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The appeal is sent to the LP manager."))
    return redirect(visit)


@login_required
def appeal_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audits.decide_appeals"):
        raise PermissionDenied
    return render(
        request,
        "audits/appeal_list.html",
        {"appeals": open_appeals(user=request.user), "form": AppealDecisionForm()},
    )


@login_required
@require_POST
def appeal_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = appeal_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("audits.decide_appeals"):
        raise PermissionDenied
    form = AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the decision's reason."))
        return redirect(appeal.visit)
    try:
        appeal_decide(actor=request.user, appeal=appeal, **form.cleaned_data)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(
            request,
            _("The appeal is accepted and the visit rescored.")
            if form.cleaned_data["accept"]
            else _("The appeal is rejected."),
        )
    return redirect(appeal.visit)


@login_required
@require_POST
def action_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _respondable(request, pk)
    form = ActionForm(request.POST, people=store_people(store=visit.store))
    if not form.is_valid():
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, problem)
        return redirect(visit)
    data = form.cleaned_data
    try:
        action_create(
            actor=request.user,
            visit=visit,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            key=data["question"],
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The corrective action is opened."))
    return redirect(visit)


@login_required
@require_POST
def action_done_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("audits.finish_action", action):
        raise PermissionDenied
    form = ActionDoneForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for problem in errors:
                messages.error(request, problem)
        return redirect(action.visit)
    try:
        action_done(
            actor=request.user,
            action=action,
            comment=form.cleaned_data["comment"],
            photo=form.cleaned_data["photo"],
        )
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("The action is done and waits for verification."))
    return redirect(action.visit)


@login_required
@require_POST
def action_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = action_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("audits.verify_action", action):
        raise PermissionDenied
    form = ActionVerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to verify or to send back."))
        return redirect(action.visit)
    try:
        action_verify(actor=request.user, action=action, **form.cleaned_data)
    except ValidationError as error:
        _fail(request, error)
    else:
        messages.success(request, _("Recorded."))
    return redirect(action.visit)
