"""The store's side of a published report: acknowledge, appeal an item, open corrective
actions and finish them with a photo; the LP manager decides appeals; someone other than
who finished an action verifies it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
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
from audits.view_helpers import carried_out, say_problems, visit_permitted
from portal.org.selectors import store_people


def response_context(request: HttpRequest, visit) -> dict:
    """What the store manager's part of the report page needs."""
    return {
        "action_form": ActionForm(people=store_people(store=visit.store)),
        "appeal_until": appeal_open_until(visit),
    }


@login_required
@require_POST
def visit_acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_permitted(request, pk, "audits.respond_to_visit")
    carried_out(
        request,
        lambda: visit_acknowledge(actor=request.user, visit=visit),
        _("The report is acknowledged."),
    )
    return redirect(visit)


@login_required
@require_POST
def appeal_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_permitted(request, pk, "audits.respond_to_visit")
    form = AppealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the answer is wrong."))
        return redirect(visit)
    data = form.cleaned_data
    carried_out(
        request,
        lambda: appeal_create(
            actor=request.user, visit=visit, key=data["question"], comment=data["comment"]
        ),
        _("The appeal is sent to the LP manager."),
    )
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
    data = form.cleaned_data
    carried_out(
        request,
        lambda: appeal_decide(actor=request.user, appeal=appeal, **data),
        _("The appeal is accepted and the visit rescored.")
        if data["accept"]
        else _("The appeal is rejected."),
    )
    return redirect(appeal.visit)


@login_required
@require_POST
def action_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_permitted(request, pk, "audits.respond_to_visit")
    form = ActionForm(request.POST, people=store_people(store=visit.store))
    if not form.is_valid():
        say_problems(request, form)
        return redirect(visit)
    data = form.cleaned_data
    carried_out(
        request,
        lambda: action_create(
            actor=request.user,
            visit=visit,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            key=data["question"],
        ),
        _("The corrective action is opened."),
    )
    return redirect(visit)


def _action_permitted(request: HttpRequest, pk: int, perm: str):
    action = action_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm(perm, action):
        raise PermissionDenied
    return action


@login_required
@require_POST
def action_done_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_permitted(request, pk, "audits.finish_action")
    form = ActionDoneForm(request.POST, request.FILES)
    if not form.is_valid():
        say_problems(request, form)
        return redirect(action.visit)
    data = form.cleaned_data
    carried_out(
        request,
        lambda: action_done(
            actor=request.user, action=action, comment=data["comment"], photo=data["photo"]
        ),
        _("The action is done and waits for verification."),
    )
    return redirect(action.visit)


@login_required
@require_POST
def action_verify_view(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_permitted(request, pk, "audits.verify_action")
    form = ActionVerifyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to verify or to send back."))
        return redirect(action.visit)
    data = form.cleaned_data
    carried_out(
        request,
        lambda: action_verify(actor=request.user, action=action, **data),
        _("Recorded."),
    )
    return redirect(action.visit)
