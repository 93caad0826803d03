"""Views of the audits app: parse, call one service or selector, render.

The pattern of architecture rules 1-2: fetch through a `*_get_visible` selector (404
outside the user's sight), then ask the rule (403 when the role may not do it)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audits import selectors
from audits.services import checklist_publish


@login_required
def checklist_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audits.open_checklists"):
        raise PermissionDenied
    checklists = selectors.checklists_visible_to(user=request.user).select_related("created_by")
    return render(request, "audits/checklist_list.html", {"checklists": checklists})


@login_required
def checklist_detail(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("audits.open_checklist", checklist):
        raise PermissionDenied
    version = selectors.checklist_latest_version(checklist=checklist)
    owner = request.user.has_perm("audits.edit_checklist", checklist)
    context = {
        "checklist": checklist,
        "version": version,
        "sections": selectors.version_sections(version=version) if version else [],
        "events": selectors.checklist_events(checklist=checklist),
        "may_publish": request.user.has_perm("audits.publish_checklist", checklist),
        "edit_url": reverse("wagtailsnippets_audits_checklist:edit", args=[checklist.pk])
        if owner
        else None,
    }
    return render(request, "audits/checklist_detail.html", context)


@login_required
@require_POST
def checklist_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = selectors.checklist_get_visible(user=request.user, pk=pk)
    if not request.user.has_perm("audits.publish_checklist", checklist):
        raise PermissionDenied
    try:
        published = checklist_publish(actor=request.user, checklist=checklist)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return redirect(checklist)
    version = selectors.checklist_latest_version(checklist=published)
    messages.success(
        request,
        _("Version %(number)s is published: auditors file against it from now on.")
        % {"number": version.number},
    )
    return redirect(checklist)
