"""HR's terms page (`/bonus/terms/`, HQ): upload HR's file of FTE shares and variable
bonuses, see the terms in force (by pages) and the files taken in or refused."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kpi.bonus.forms import TermsUploadForm
from kpi.bonus.selectors.terms import terms_history, terms_listed
from kpi.bonus.services.terms import TERMS_COLUMNS, terms_import
from portal.imports.errors import ImportRejected

TERMS_PER_PAGE = 50


@login_required
@require_http_methods(["GET", "POST"])
def terms_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("bonus.manage_schemes"):
        raise PermissionDenied
    form = TermsUploadForm(request.POST or None, request.FILES or None)
    errors = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = terms_import(actor=request.user, content=upload.read(), filename=upload.name)
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            messages.success(
                request,
                _("HR terms taken in: %(rows)s rows, %(created)s new, %(updated)s updated.")
                % {"rows": report.rows, "created": report.created, "updated": report.updated},
            )
            return redirect("bonus:terms")
    page = Paginator(terms_listed(), TERMS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "errors": errors,
        "page": page,
        "history": terms_history(),
        "columns": list(TERMS_COLUMNS),
    }
    return render(request, "bonus/terms/page.html", context)
