"""Pages of the kpi app: leaderboards, a store's KPIs and trend, definitions, loading
receipts and the loading log. Thin: reads come from `kpi.selectors`, writes from
`kpi.services`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kpi import selectors
from kpi.charts import Bar, bar_chart, line_chart
from kpi.choices import BatchSource, BatchStatus
from kpi.forms import BatchDecisionReasonForm, BoardFilterForm, ReceiptsUploadForm, board_query
from kpi.metrics import KPIS, RANKED, Kpi
from kpi.periods import DefaultPeriod, Period, month_of
from kpi.services import (
    BatchDecisionRefused,
    receipt_batch_approve,
    receipt_batch_reject,
    receipt_batch_revert,
    receipts_import,
)
from kpi.tables import leaderboard_table, trend_table
from portal.exports import csv_cell
from portal.imports.errors import ImportRejected, RowError
from portal.org import selectors as org_selectors
from portal.org.rules import owns_content
from portal.org.scoping import ScopeLevel, scope_for
from portal.pdf import pdf_response
from portal.sop.compliance import store_compliance_shares
from training.selectors.status import certified_coverage

CHART_ROWS = 40
BOARD_ROWS_PER_PAGE = 50  # the page lists the board by pages; its CSV and PDF list it all


@dataclass(frozen=True)
class Shown:
    """What a KPI page shows: the form (as filled in, with its errors, or describing the
    period shown), the KPI, the period (None while the form has errors), the running
    period passed over by default (if any) and the latest day with receipts."""

    form: BoardFilterForm
    kpi: Kpi
    period: Period | None
    passed_over: DefaultPeriod | None
    latest_day: date | None


def _shown(request: HttpRequest) -> Shown:
    form = BoardFilterForm(request.GET)
    latest = selectors.latest_day()
    if not form.is_valid():
        return Shown(form, form.chosen_kpi, None, None, latest)
    kpi, period, passed_over = form.chosen_kpi, form.chosen, None
    if period is None:
        default = selectors.board_default_period(kind=form.kind, latest=latest)
        period, passed_over = default.shown, default if default.running else None
    return Shown(BoardFilterForm.showing(kpi=kpi, period=period), kpi, period, passed_over, latest)


def _bad_period(form: BoardFilterForm) -> HttpResponse:
    """An export asked for a period that does not exist: say which field is wrong."""
    return HttpResponseBadRequest(
        _("Nothing was exported: the period is wrong.") + "\n" + form.error_text() + "\n",
        content_type="text/plain; charset=utf-8",
    )


def _links(shown: Shown, **extra: str) -> dict:
    """The query strings the page's links are built from (`{% querystring %}`)."""
    if shown.period is None:
        return {}
    links = {"query": board_query(kpi=shown.kpi, period=shown.period, **extra)}
    if shown.passed_over:
        links["running_query"] = board_query(
            kpi=shown.kpi, period=shown.passed_over.running, **extra
        )
    return links


def _board_context(request: HttpRequest) -> dict:
    """Everything the leaderboard page, its CSV and its PDF show (no board while the
    period asked for is wrong)."""
    user = request.user
    if not user.has_perm("kpi.view_leaderboard"):
        raise PermissionDenied
    shown = _shown(request)
    kpi, period = shown.kpi, shown.period
    regions = list(selectors.regions_for_board(user))
    # HQ sees the network by default, a regional manager their region; "all" is the
    # network (a regional manager then sees their stores with their network ranks).
    code = request.GET.get("region") or ("all" if owns_content.test(user) else "")
    region = None
    if code and code != "all":
        region = next((r for r in regions if r.code == code), None)
        if region is None:
            raise Http404(_("Unknown region."))
    elif not code and user.region_id:
        region = next((r for r in regions if r.pk == user.region_id), None)
    context = {
        "form": shown.form,
        "kpi": kpi,
        "kpis": RANKED,
        "period": period,
        "running": shown.passed_over,
        "regions": regions,
        "region": region,
        "latest_day": shown.latest_day,
        **_links(shown, region=region.code if region else "all"),
    }
    if period is None:
        return context
    stores = org_selectors.stores_of(region=region, active_only=True)
    board = selectors.leaderboard(kpi=kpi, stores=stores, period=period)
    visible = set(org_selectors.stores_visible_to(user=user).values_list("pk", flat=True))
    ranked = [r for r in board.ranked if r.store.pk in visible]
    unranked = [r for r in board.unranked if r.store.pk in visible]
    shown_rows = ranked if len(ranked) <= CHART_ROWS else ranked[:20] + ranked[-20:]
    chart = bar_chart(
        [
            Bar(
                f"{r.store.code} {r.store.name}",
                r.value,
                r.highlight,
                r.plan.target if r.plan else None,
            )
            for r in shown_rows
        ],
        fmt=kpi.format,
        title=f"{kpi.label}: {period.label}",
    )
    return context | {
        "board": board,
        "table": leaderboard_table(kpi=kpi, rows=ranked + unranked, query=context.get("query")),
        "ranked": ranked,
        "unranked": unranked,
        "hidden": len(board.ranked) - len(ranked),
        "chart": chart,
        "chart_cut": len(shown_rows) < len(ranked),
        "generated_at": timezone.localtime(),
        "pending": selectors.pending_receipts(
            stores=stores.filter(pk__in=visible), start=period.start, end=period.end
        ),
    }


@login_required
def leaderboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm("kpi.view_leaderboard") and scope_for(user).level is ScopeLevel.STORE:
        return redirect("kpi:my_store")
    context = _board_context(request)
    if request.GET.get("format") == "csv":
        if context["period"] is None:
            return _bad_period(context["form"])
        return _board_csv(context)
    if context["period"] is not None:
        # The page shows the board fifty stores at a time; the CSV and the PDF show it all.
        page = Paginator(context["ranked"] + context["unranked"], BOARD_ROWS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        context |= {
            "page": page,
            "table": leaderboard_table(
                kpi=context["kpi"], rows=page.object_list, query=context.get("query")
            ),
            "page_unranked": [row for row in page if row.unranked_because],
        }
    return render(request, "kpi/leaderboard.html", context)


@login_required
def leaderboard_pdf(request: HttpRequest) -> HttpResponse:
    context = _board_context(request)
    if context["period"] is None:
        return _bad_period(context["form"])
    scope = context["region"].code if context["region"] else "network"
    return pdf_response(
        "pdf/kpi/leaderboard.html",
        context,
        f"leaderboard-{context['kpi'].code}-{scope}-{context['period'].slug}.pdf",
    )


def _board_csv(context: dict) -> HttpResponse:
    kpi, period = context["kpi"], context["period"]
    return context["table"].csv_response(f"leaderboard-{kpi.code}-{period.slug}.csv")


@login_required
def my_store(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user).level is not ScopeLevel.STORE:
        return redirect("kpi:leaderboard")
    return redirect("kpi:store", code=request.user.store.code)


@login_required
def store(request: HttpRequest, code: str) -> HttpResponse:
    """One store: every KPI over the period against plan, its place in the region and
    the network with the gap to the next place, and the weekly trend."""
    store = org_selectors.store_get_visible(user=request.user, code=code)
    if not request.user.has_perm("kpi.open_store", store):
        raise PermissionDenied
    shown = _shown(request)
    kpi, period = shown.kpi, shown.period
    export = request.GET.get("format") == "csv"
    common = {
        "store": store,
        "form": shown.form,
        "kpi": kpi,
        "kpis": RANKED,
        "running": shown.passed_over,
        "latest_day": shown.latest_day,
        "can_rank": request.user.has_perm("kpi.view_leaderboard"),
        **_links(shown),
    }
    if period is None:
        if export:
            return _bad_period(shown.form)
        return render(request, "kpi/store.html", common | {"period": None})
    card = selectors.store_scorecard(store=store, kpi=kpi, period=period)
    context = common | {"card": card, "period": period}
    trend = card.trend
    if export:
        return trend_table(kpi=kpi, points=trend).csv_response(f"trend-{store.code}-{kpi.code}.csv")
    context["chart"] = line_chart(
        [f"{p.period.start:%d.%m}" for p in trend],
        [p.value for p in trend],
        [p.target for p in trend],
        fmt=kpi.format,
        title=f"{kpi.label}: {store}",
    )
    one = org_selectors.stores_of(store=store)
    context["pending"] = selectors.pending_receipts(stores=one, start=period.start, end=period.end)
    # The programme's other facts about the store, as of today (what a bonus reads too).
    context["confirmed_share"] = store_compliance_shares(stores=one).get(store.pk)
    context["certified_share"] = certified_coverage(stores=one).get(store.pk)
    return render(request, "kpi/store.html", context)


@login_required
def definitions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "kpi/definitions.html",
        {"kpis": KPIS, "running_min_days": settings.KPI_RUNNING_PERIOD_MIN_DAYS},
    )


@login_required
def imports(request: HttpRequest) -> HttpResponse:
    """Load a receipts file (all or nothing) and follow the loading log."""
    user = request.user
    if not user.has_perm("kpi.upload_receipts"):
        raise PermissionDenied
    form = ReceiptsUploadForm(request.POST or None, request.FILES or None)
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            batch = receipts_import(
                actor=user,
                content=content,
                filename=upload.name,
                source=BatchSource.UPLOAD,
                stores=org_selectors.stores_visible_to(user=user),
            )
        except ImportRejected as rejected:
            errors = rejected.errors
        else:
            return redirect("kpi:import_detail", pk=batch.pk)
    status = request.GET.get("status", "")
    return render(
        request,
        "kpi/imports.html",
        {
            "form": form,
            "errors": errors,
            "batches": selectors.import_log(user=user, status=status)[:50],
            "statuses": BatchStatus.choices,
            "status": status,
            "pending_count": selectors.import_log(user=user, status=BatchStatus.PENDING).count(),
            "checks": selectors.drift_checks() if user.has_perm("kpi.see_all_imports") else [],
        },
    )


DECISIONS = ("reject", "revert")  # the decisions on a batch that need a reason


def _batch_get(request: HttpRequest, pk: int):
    """The batch if the user may follow the loading log and see it (403, 404)."""
    if not request.user.has_perm("kpi.upload_receipts"):
        raise PermissionDenied
    return get_object_or_404(selectors.import_log(user=request.user), pk=pk)


def _import_detail_page(request: HttpRequest, batch, bound: dict | None = None, status=200):
    """The batch page; `bound`: a reason form that failed, by its name (reject, revert)."""
    user = request.user
    forms = {f"{name}_form": BatchDecisionReasonForm(auto_id=f"{name}_%s") for name in DECISIONS}
    forms.update(bound or {})
    summary = selectors.batch_summary(batch)
    # The board of the month the file's last day falls in: what the upload changed.
    board_url = reverse("kpi:leaderboard")
    if summary["last_day"]:  # an ISO date, as the batch keeps it
        last_day = date.fromisoformat(summary["last_day"])
        board_url += "?" + urlencode(month_of(last_day).query())
    return render(
        request,
        "kpi/import_detail.html",
        {
            "batch": batch,
            "events": selectors.batch_events(batch),
            "can_approve": batch.status == BatchStatus.PENDING
            and user.has_perm("kpi.approve_receipt_batch", batch),
            "can_revert": batch.status in (BatchStatus.PENDING, BatchStatus.APPLIED)
            and user.has_perm("kpi.revert_receipt_batch", batch),
            **forms,
            **summary,
            "board_url": board_url,
        },
        status=status,
    )


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _import_detail_page(request, _batch_get(request, pk))


def _decide(request: HttpRequest, pk: int, perm: str, decide, *, name: str, done: str):
    """Run one decision on a batch (POST), then back to its page with what happened."""
    batch = _batch_get(request, pk)
    if not request.user.has_perm(perm, batch):
        raise PermissionDenied
    reason = {}
    if name in DECISIONS:
        form = BatchDecisionReasonForm(request.POST, auto_id=f"{name}_%s")
        if not form.is_valid():
            return _import_detail_page(request, batch, {f"{name}_form": form}, status=400)
        reason = {"reason": form.cleaned_data["reason"]}
    try:
        decide(actor=request.user, batch=batch, **reason)
    except BatchDecisionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return redirect("kpi:import_detail", pk=batch.pk)


@login_required
@require_POST
def import_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        "kpi.approve_receipt_batch",
        receipt_batch_approve,
        name="approve",
        done=_("Approved: the receipts are counted."),
    )


@login_required
@require_POST
def import_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        "kpi.approve_receipt_batch",
        receipt_batch_reject,
        name="reject",
        done=_("Rejected: nothing of this batch is counted."),
    )


@login_required
@require_POST
def import_revert(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        "kpi.revert_receipt_batch",
        receipt_batch_revert,
        name="revert",
        done=_("Reverted: the batch's receipts are removed and its store days recounted."),
    )


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    """A receipts file to fill in, as Russian Excel saves CSV (Windows-1251, `;`)."""
    if not request.user.has_perm("kpi.upload_receipts"):
        raise PermissionDenied
    store = org_selectors.stores_visible_to(user=request.user).order_by("code").first()
    code = csv_cell(store.code) if store else "MSK001"
    day = timezone.localdate() - timedelta(days=1)
    rows = [
        "магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email",
        f"{code};ПРИМЕР-{day:%y%m%d}-1;{day:%d.%m.%Y} 10:15;1520,50;3;2000123456789;100001;0;0;0",
        f"{code};ПРИМЕР-{day:%y%m%d}-2;{day:%d.%m.%Y} 10:21;349,00;1;;100001;0;0;0",
        f"{code};ПРИМЕР-{day:%y%m%d}-3;{day:%d.%m.%Y} 10:40;2210,00;7;2000987654321;100001;1;1;0",
    ]
    response = HttpResponse(
        ("\r\n".join(rows) + "\r\n").encode("cp1251"), content_type="text/csv; charset=windows-1251"
    )
    response["Content-Disposition"] = 'attachment; filename="receipts-template.csv"'
    return response
