"""The audits' analytics page: the score trend and the questions failed most, for the
level the person follows (the network with a region filter, their region, their store);
the auditors' calibration for the network scope only (it names the auditors). CSV per
table (`?format=csv&table=trend|questions|calibration`) and an A4 PDF (`?format=pdf`)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.selectors.analytics import (
    auditor_calibration,
    months_back,
    question_failures,
    score_trend,
)
from portal.exports import csv_response
from portal.org.scoping import ScopeLevel, scope_for
from portal.org.selectors import regions_visible_to
from portal.pdf import pdf_response

MONTHS = 12


def _context(request: HttpRequest) -> dict:
    scope = scope_for(request.user)
    today = timezone.localdate()
    months = months_back(today, MONTHS)
    region = None
    store_ids = None
    regions = None
    if scope.level is ScopeLevel.NETWORK:
        regions = regions_visible_to(user=request.user).order_by("name")
        code = request.GET.get("region", "")
        if code:
            region = regions.filter(code=code[:32]).first()
            if region is None:
                raise Http404
    elif scope.level is ScopeLevel.REGION:
        region = regions_visible_to(user=request.user).filter(pk=scope.region_id).first()
    elif scope.level is ScopeLevel.STORE:
        store_ids = [scope.store_id]
    else:
        raise PermissionDenied
    network = request.user.has_perm("audits.open_calibration")
    return {
        "months": months,
        "region": region,
        "regions": regions,
        "store": request.user.store if store_ids else None,
        "trend": score_trend(
            months=months, store_ids=store_ids, region_id=region.pk if region else None
        ),
        "questions": question_failures(
            start=months[0], end=today, region_id=region.pk if region else None
        )
        if store_ids is None
        else [],
        "calibration": auditor_calibration(start=months[0], end=today) if network else None,
        "printed_at": timezone.now(),
    }


@login_required
def analytics(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("audits.open_analytics"):
        raise PermissionDenied
    context = _context(request)
    fmt = request.GET.get("format")
    if fmt == "pdf":
        return pdf_response("pdf/audits/analytics.html", context, "audits-analytics.pdf")
    if fmt == "csv":
        return _csv(request.GET.get("table", "trend"), context)
    return render(request, "audits/analytics.html", context)


def _csv(table: str, context: dict) -> HttpResponse:
    if table == "questions":
        return csv_response(
            "audit-questions.csv",
            [_("Question"), _("Answered"), _("Failed"), _("Failure rate, %")],
            ([r.text, r.answered, r.failed, r.rate] for r in context["questions"]),
        )
    if table == "calibration":
        if context["calibration"] is None:
            raise PermissionDenied
        return csv_response(
            "auditor-calibration.csv",
            [
                _("Auditor"),
                _("Visits"),
                _("Mean score, %"),
                _("Spread, points"),
                _("Compared visits"),
                _("Difference from others, points"),
                _("Flag"),
            ],
            (
                [r.name, r.visits, r.mean, r.spread, r.compared, r.bias, r.flag]
                for r in context["calibration"]
            ),
        )
    return csv_response(
        "audit-trend.csv",
        [_("Month"), _("Visits"), _("Average score, %"), _("Passed, %")],
        ([p.month.strftime("%Y-%m"), p.visits, p.average, p.pass_rate] for p in context["trend"]),
    )
