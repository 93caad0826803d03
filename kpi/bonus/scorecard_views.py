"""Pages of the store scorecard (per region and the network, its CSV and PDF), HQ's
weights, and a scheme's effect report. Thin: reads from `kpi.bonus.selectors`, the one
write from `kpi.bonus.services.scorecard`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi import selectors as kpi_selectors
from kpi.bonus.effect_chart import effect_chart
from kpi.bonus.scorecard_forms import ScorecardWeightsForm
from kpi.bonus.scorecard_tables import effect_table, scorecard_table
from kpi.bonus.selectors.effect import scheme_effect, scheme_for_effect
from kpi.bonus.selectors.scorecard import (
    COMPONENTS,
    scorecard_scope,
    scorecard_weights,
    scorecard_weights_history,
    store_scorecard_board,
)
from kpi.bonus.services.scorecard import scorecard_weights_set
from kpi.forms import BoardFilterForm
from kpi.metrics import BY_CODE
from kpi.periods import WEEK
from portal.feedback import form_carried_out
from portal.pdf import pdf_response

ROWS_PER_PAGE = 50  # the page lists the board by pages; its CSV and PDF list it all
PENETRATION = BY_CODE["penetration"]


def _query(period, region) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(period.query() | {"region": region.code if region else "all"})
    return query


def _scorecard_context(request: HttpRequest) -> dict:
    """Everything the scorecard page, its CSV and its PDF show (no board while the period
    asked for is wrong)."""
    scope = scorecard_scope(user=request.user, region_code=request.GET.get("region"))
    form = BoardFilterForm(request.GET)
    latest = kpi_selectors.latest_day()
    period, running = None, None
    if form.is_valid():
        period = form.chosen
        if period is None:
            default = kpi_selectors.board_default_period(kind=form.kind, latest=latest)
            period, running = default.shown, default if default.running else None
        form = BoardFilterForm.showing(kpi=PENETRATION, period=period)
    context = {
        "form": form,
        "period": period,
        "running": running,
        "scope": scope,
        "region": scope.region,
        "regions": scope.regions,
        "latest_day": latest,
    }
    if period is None:
        return context
    board = store_scorecard_board(stores=scope.stores, period=period)
    query = _query(period, scope.region)
    context |= {"board": board, "query": query, "generated_at": timezone.localtime()}
    if running:
        context["running_query"] = _query(running.running, scope.region)
    return context


@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    context = _scorecard_context(request)
    export = request.GET.get("format")
    if export in ("csv", "pdf") and context["period"] is None:
        return HttpResponseBadRequest(
            _("Nothing was exported: the period is wrong.") + "\n" + context["form"].error_text(),
            content_type="text/plain; charset=utf-8",
        )
    board = context.get("board")
    name = f"scorecard-{context['region'].code if context['region'] else 'network'}"
    if export == "csv":
        table = scorecard_table(rows=board.rows, query=context["query"], for_file=True)
        return table.csv_response(f"{name}-{context['period'].slug}.csv")
    if export == "pdf":
        context["table"] = scorecard_table(rows=board.rows, query=None)
        return pdf_response(
            "pdf/bonus/scorecard.html", context, f"{name}-{context['period'].slug}.pdf"
        )
    if board is not None:
        page = Paginator(board.rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        context |= {
            "page": page,
            "table": scorecard_table(rows=page.object_list, query=context["query"]),
            "page_unranked": [row for row in page if row.rank is None],
        }
    return render(request, "bonus/scorecard/board.html", context)


@login_required
def scorecard_weights_page(request: HttpRequest) -> HttpResponse:
    """HQ sets the weights; every change is kept and listed."""
    user = request.user
    if not user.has_perm("bonus.set_weights"):
        raise PermissionDenied
    current = scorecard_weights()
    form = ScorecardWeightsForm(request.POST or None, current=current)
    status = 200
    if request.method == "POST":
        if form_carried_out(
            request,
            form,
            lambda data: scorecard_weights_set(actor=user, **data),
            _("The new weights apply to the scorecard from now on."),
        ):
            return redirect("bonus:scorecard_weights")
        status = 400
    context = {
        "form": form,
        "current": current,
        "components": COMPONENTS,
        "history": scorecard_weights_history(),
    }
    return render(request, "bonus/scorecard/weights.html", context, status=status)


@login_required
def scheme_effect_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Did the scheme move its metric? Its stores before and after the start, against the
    stores outside it."""
    scheme = scheme_for_effect(user=request.user, pk=pk)
    report = scheme_effect(scheme=scheme)
    table = effect_table(report)
    if request.GET.get("format") == "csv":
        return table.csv_response(f"effect-{scheme.pk}-{report.end:%Y-%m-%d}.csv")
    labels = [f"{p.start:%d.%m}" if p.kind == WEEK else f"{p.start:%m.%y}" for p in report.periods]
    chart = effect_chart(
        labels,
        report.series,
        start=len(report.before),
        fmt=report.kpi.format,
        title=f"{scheme.name}: {report.kpi.label}",
    )
    context = {"scheme": scheme, "report": report, "table": table, "chart": chart}
    return render(request, "bonus/effect/report.html", context)
