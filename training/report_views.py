"""Reports for managers and HQ: certification per store, coverage, items, knowledge gaps,
and the question bank's import and export. Thin by design."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal.exports import csv_response
from portal.org import selectors as org_selectors
from portal.org.scoping import ScopeLevel, scope_for
from training.bank_csv import COLUMNS as BANK_COLUMNS
from training.forms import BankImportForm
from training.models import Exam
from training.moodle import MoodleRejected
from training.selectors.analysis import item_analysis, knowledge_gaps
from training.selectors.status import certification_of, coverage_by_store, main_exams
from training.services.bank import (
    questions_export_moodle,
    questions_export_rows,
    questions_import_csv,
    questions_import_moodle,
)
from training.tables import coverage_table

STORES_PER_PAGE = 50  # the coverage page lists stores by pages; its CSV lists them all


def _require(user, perm: str, obj=None) -> None:
    if not user.has_perm(perm, obj):
        raise PermissionDenied


def _exam(request: HttpRequest) -> Exam | None:
    exams = main_exams()
    return exams.filter(code=request.GET.get("exam", "")).first() or exams.first()


@login_required
def store_report(request: HttpRequest, code: str) -> HttpResponse:
    store = org_selectors.store_get_visible(user=request.user, code=code)
    _require(request.user, "training.open_store_report", store)
    exam = _exam(request)
    rows = certification_of(people=org_selectors.people_of(store=store), exam=exam) if exam else []
    if request.GET.get("format") == "csv":
        return csv_response(
            f"certification-{store.code}.csv",
            [
                _("Personnel number"),
                _("Person"),
                _("Role"),
                _("Status"),
                _("Valid until"),
                _("Due"),
            ],
            (
                [
                    r.person.personnel_number,
                    r.person.full_name,
                    r.person.get_role_display(),
                    r.status.label,
                    r.certificate.expires_on if r.certificate else "",
                    r.due_on,
                ]
                for r in rows
            ),
        )
    return render(
        request, "training/store_report.html", {"store": store, "exam": exam, "rows": rows}
    )


@login_required
def coverage(request: HttpRequest) -> HttpResponse:
    """Certified coverage per store: the network for HQ (or one of its regions), the region
    for regional managers; a store manager is sent to the store's report."""
    user = request.user
    region = None
    match scope_for(user).level:
        case ScopeLevel.NETWORK if user.has_perm("training.open_network_report"):
            if request.GET.get("region"):
                region = org_selectors.region_get_visible(user=user, code=request.GET["region"])
        case ScopeLevel.REGION if user.has_perm("training.open_region_report", user.region):
            region = user.region
        case ScopeLevel.STORE if user.has_perm("training.open_store_report", user.store):
            return redirect("training:store_report", user.store.code)
        case _:
            raise PermissionDenied
    stores = org_selectors.stores_of(region=region)
    exam = _exam(request)
    rows = coverage_by_store(stores=stores, exam=exam) if exam else []
    rows.sort(key=lambda r: (r.share is None, r.share or 0, r.store.code))
    if request.GET.get("format") == "csv":
        return coverage_table(rows).csv_response("certification-coverage.csv")
    page = Paginator(rows, STORES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/coverage.html",
        {"table": coverage_table(page.object_list), "page": page, "exam": exam, "region": region},
    )


@login_required
def items(request: HttpRequest, code: str) -> HttpResponse:
    _require(request.user, "training.open_network_report")
    exam = get_object_or_404(Exam, code=code)
    return render(request, "training/items.html", {"exam": exam, "stats": item_analysis(exam=exam)})


@login_required
def gaps(request: HttpRequest, code: str) -> HttpResponse:
    _require(request.user, "training.open_network_report")
    exam = get_object_or_404(Exam, code=code)
    by = "region" if request.GET.get("by") == "region" else "store"
    gap_map = knowledge_gaps(exam=exam, stores=org_selectors.stores_of(), by=by)
    return render(request, "training/gaps.html", {"exam": exam, "map": gap_map, "by": by})


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    _require(request.user, "training.manage_bank")
    if request.GET.get("format") == "xml":
        response = HttpResponse(questions_export_moodle(), content_type="application/xml")
        response["Content-Disposition"] = 'attachment; filename="question-bank.xml"'
        return response
    if request.GET.get("format") == "csv":
        return csv_response("question-bank.csv", BANK_COLUMNS, questions_export_rows())
    form = BankImportForm(request.POST or None, request.FILES or None)
    errors, report = [], None
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data["file"]
            if upload.name.lower().endswith((".csv", ".xlsx")):
                report = questions_import_csv(
                    actor=request.user, content=upload.read(), filename=upload.name
                )
            else:
                report = questions_import_moodle(
                    actor=request.user,
                    content=upload.read(),
                    filename=upload.name,
                    skip_unsupported=form.cleaned_data["skip_unsupported"],
                )
            messages.success(request, _("Question bank updated."))
        except MoodleRejected as rejected:
            errors = rejected.errors
    return render(request, "training/bank.html", {"form": form, "errors": errors, "report": report})
