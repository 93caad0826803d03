"""Visits: the list, a visit's report (HTML, ?format=pdf), the auditor's filing (answers
as JSON, saved one by one or as a batch kept offline; photos; times and purchase;
submission), the LP manager's planning, assignment and review.

Each view fetches through `visit_get_visible` (404 outside sight) and asks the rule (403)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits.choices import VisitReason, VisitStatus
from audits.forms import (
    AnswerChangeForm,
    AssignForm,
    OneVisitForm,
    PhotoForm,
    PlanForm,
    ReviewForm,
    VisitDetailsForm,
)
from audits.selectors import checklists_visible_to
from audits.selectors.visits import (
    auditor_workload,
    auditors_for_assignment,
    shows_auditor,
    visit_events,
    visit_get_visible,
    visit_list,
    visit_plans,
    visit_sections,
)
from audits.services.filing import (
    answers_parse,
    answers_save,
    photo_add,
    photo_delete,
    visit_details_save,
    visit_start,
    visit_submit,
)
from audits.services.planning import (
    open_workload,
    plan_create,
    visit_assign,
    visit_cancel,
    visit_schedule,
)
from audits.services.review import visit_correct, visit_publish, visit_return
from audits.tables import VISITS_CSV, visit_csv_rows
from audits.view_helpers import carried_out, say_problems, visit_permitted
from portal.exports import csv_response
from portal.org.selectors import regions_visible_to, stores_visible_to
from portal.pdf import pdf_response


@login_required
def visit_list_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audits.open_visits"):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in VisitStatus.values:
        status = ""
    visits = visit_list(
        user=request.user,
        status=status,
        store_code=request.GET.get("store", "")[:32],
        region_code=request.GET.get("region", "")[:32],
    )
    names = shows_auditor(request.user)
    if request.GET.get("format") == "csv":
        return csv_response(
            "visits.csv", VISITS_CSV(names), visit_csv_rows(visits.iterator(2000), names=names)
        )
    page = Paginator(visits, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audits/visit_list.html",
        {
            "page": page,
            "status": status,
            "statuses": VisitStatus.choices,
            "shows_auditor": names,
            "may_plan": request.user.has_perm("audits.plan_visits"),
        },
    )


@login_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("audits.open_visit", visit):
        raise PermissionDenied
    names = request.user.has_perm("audits.see_auditor")
    if request.GET.get("format") == "pdf":
        if visit.version_id is None:
            raise PermissionDenied
        return pdf_response(
            "pdf/audits/visit.html",
            _pdf_context(visit, names),
            f"{visit.number}.pdf",
        )
    context = {
        "visit": visit,
        "sections": visit_sections(visit=visit),
        "events": visit_events(visit=visit, shows_actor=names),
        "shows_auditor": names,
        "may_fill": request.user.has_perm("audits.fill_visit", visit),
        "may_review": request.user.has_perm("audits.review_visit", visit),
        "may_correct": request.user.has_perm("audits.correct_visit", visit),
        "may_assign": request.user.has_perm("audits.assign_visit", visit),
        "may_cancel": request.user.has_perm("audits.cancel_visit", visit),
        "may_respond": request.user.has_perm("audits.respond_to_visit", visit),
        "review_form": ReviewForm(),
    }
    if context["may_assign"]:
        auditors = auditors_for_assignment(user=request.user)
        context["assign_form"] = AssignForm(
            auditors=auditors, initial={"auditor": visit.auditor_id}
        )
        held = open_workload(list(auditors))
        context["auditor_choices"] = [(a, held[a.pk]) for a in auditors]
    if context["may_respond"]:
        from audits.response_views import response_context

        context.update(response_context(request, visit))
    return render(request, "audits/visit_detail.html", context)


def _pdf_context(visit, names: bool) -> dict:
    from audits.reports import visit_report_context

    return visit_report_context(visit=visit, shows_auditor=names)


def _fillable(request: HttpRequest, pk: int):
    return visit_permitted(request, pk, "audits.fill_visit")


@login_required
def visit_fill(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor's mobile form: every question, its answer as saved, the photos, the
    visit's times and purchase."""
    visit = _fillable(request, pk)
    if visit.version_id is None:  # not started: the report page has the «Start» button
        return redirect(visit)
    form = VisitDetailsForm(instance=visit)
    if request.method == "POST":
        form = VisitDetailsForm(request.POST, instance=visit)
        if form.is_valid():
            try:
                visit_details_save(auditor=request.user, visit=visit, **form.cleaned_data)
            except ValidationError as error:
                say_problems(request, error)
            else:
                messages.success(request, _("The visit's details are saved."))
                return redirect(reverse("audits:visit_fill", args=[visit.pk]) + "#details")
    returned = visit.events.filter(kind="returned").order_by("-at").first()
    return render(
        request,
        "audits/visit_fill.html",
        {
            "visit": visit,
            "sections": visit_sections(visit=visit),
            "form": form,
            "photo_form": PhotoForm(),
            "returned": returned if visit.status == VisitStatus.RETURNED else None,
            "general_photos": visit.photos.filter(question__isnull=True),
        },
    )


@login_required
@require_POST
def visit_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The auditor starts the visit: it takes the checklist's latest published version."""
    visit = _fillable(request, pk)
    try:
        visit = visit_start(auditor=request.user, visit=visit)
    except ValidationError as error:
        say_problems(request, error)
        return redirect(visit)
    return redirect("audits:visit_fill", pk=visit.pk)


@login_required
@require_POST
def visit_answers(request: HttpRequest, pk: int) -> JsonResponse:
    """Answers as JSON (`{"answers": [...]}`): saved all or none; 400 names the problem."""
    visit = _fillable(request, pk)
    if len(request.body) > 256 * 1024:
        return JsonResponse({"error": _("Too many answers at once.")}, status=400)
    try:
        payload = json.loads(request.body or b"{}")
        items = answers_parse(payload.get("answers") if isinstance(payload, dict) else None)
        saved = answers_save(auditor=request.user, visit=visit, items=items)
    except (ValueError, UnicodeDecodeError):
        return JsonResponse({"error": _("The answers are not valid JSON.")}, status=400)
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    return JsonResponse({"saved": saved, "at": timezone.now().isoformat()})


@login_required
@require_POST
def visit_photo(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _fillable(request, pk)
    form = PhotoForm(request.POST, request.FILES)
    anchor = form.data.get("question", "")[:64]
    if form.is_valid():
        data = form.cleaned_data
        carried_out(
            request,
            lambda: photo_add(
                auditor=request.user, visit=visit, upload=data["photo"], question_key=anchor
            ),
            _("The photo is added."),
        )
    else:
        say_problems(request, form)
    return redirect(
        reverse("audits:visit_fill", args=[visit.pk]) + (f"#q-{anchor}" if anchor else "#photos")
    )


@login_required
@require_POST
def visit_photo_delete(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    visit = _fillable(request, pk)
    photo = get_object_or_404(visit.photos, pk=photo_pk)
    try:
        photo_delete(auditor=request.user, photo=photo)
    except ValidationError as error:
        say_problems(request, error)
    return redirect(reverse("audits:visit_fill", args=[visit.pk]) + "#photos")


@login_required
@require_POST
def visit_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = _fillable(request, pk)
    try:
        visit = visit_submit(auditor=request.user, visit=visit)
    except ValidationError as error:
        say_problems(request, error)
        return redirect(reverse("audits:visit_fill", args=[visit.pk]) + "#submit")
    messages.success(
        request,
        _("The visit is submitted for review: %(score)s%%.") % {"score": visit.score},
    )
    return redirect("audits:visits")


@login_required
@require_POST
def visit_review(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_permitted(request, pk, "audits.review_visit")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to publish or to return the visit."))
        return redirect(visit)
    comment = form.cleaned_data["comment"]
    if form.cleaned_data["decision"] == "publish":
        carried_out(
            request,
            lambda: visit_publish(actor=request.user, visit=visit, comment=comment),
            _("The report is published; the store's managers are told."),
        )
    else:
        carried_out(
            request,
            lambda: visit_return(actor=request.user, visit=visit, comment=comment),
            _("The visit is returned to its auditor."),
        )
    return redirect(visit)


@login_required
@require_POST
def visit_correct_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_permitted(request, pk, "audits.correct_visit")
    form = AnswerChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A correction of a published report needs a reason."))
        return redirect(visit)
    data = form.cleaned_data
    carried_out(
        request,
        lambda: visit_correct(
            actor=request.user,
            visit=visit,
            key=data["question"],
            value=data["value"],
            na=data["na"],
            reason=data["reason"],
        ),
        _("The answer is corrected and the visit rescored."),
    )
    return redirect(visit)


@login_required
@require_POST
def visit_assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_permitted(request, pk, "audits.assign_visit")
    form = AssignForm(request.POST, auditors=auditors_for_assignment(user=request.user))
    if not form.is_valid():
        messages.error(request, _("Choose an auditor."))
        return redirect(visit)
    auditor = form.cleaned_data["auditor"]
    carried_out(
        request,
        lambda: visit_assign(actor=request.user, visit=visit, auditor=auditor),
        _("The visit is assigned."),
    )
    return redirect(visit)


@login_required
@require_POST
def visit_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    visit = visit_permitted(request, pk, "audits.cancel_visit")
    reason = request.POST.get("reason", "")[:2000]
    carried_out(
        request,
        lambda: visit_cancel(actor=request.user, visit=visit, reason=reason),
        _("The visit is cancelled."),
    )
    return redirect(visit)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The LP manager's plans: a month's visits to a region's stores (or the network's)."""
    if not request.user.has_perm("audits.plan_visits"):
        raise PermissionDenied
    checklists = checklists_visible_to(user=request.user).filter(status="published")
    posted = request.POST if request.method == "POST" else None
    one = "single" in request.POST
    form = PlanForm(
        None if one else posted,
        checklists=checklists,
        regions=regions_visible_to(user=request.user),
    )
    one_form = OneVisitForm(
        posted if one else None,
        checklists=checklists,
        stores=stores_visible_to(user=request.user),
    )
    if posted is not None and not one and form.is_valid():
        data = form.cleaned_data
        if carried_out(
            request,
            lambda: plan_create(actor=request.user, **data),
            _("The month's visits are planned."),
        ):
            return redirect("audits:plans")
    if one and one_form.is_valid():
        data = one_form.cleaned_data
        if carried_out(
            request,
            lambda: visit_schedule(
                store=data["store"],
                checklist=data["checklist"],
                reason=VisitReason.PLAN,
                not_before=data["not_before"],
                due_on=data["due_on"],
                actor=request.user,
            ),
            _("The visit is planned."),
        ):
            return redirect("audits:plans")
    return render(
        request,
        "audits/plan_list.html",
        {
            "form": form,
            "one_form": one_form,
            "plans": visit_plans(),
            "workload": auditor_workload(),
        },
    )
