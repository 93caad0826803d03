"""The list of statements a person sees (filters, pages, CSV) and the staff's own page
(their lines period by period with why; a store manager also their store's
statements)."""

from __future__ import annotations

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _

from kpi.bonus.explain import line_explanation
from kpi.bonus.selectors.statements import own_lines, statements_visible_to
from kpi.bonus.statement_forms import StatementFilterForm
from kpi.bonus.statement_pages.reads import filter_choices, store_statements
from kpi.bonus.statement_pages.tables import period_label, statements_table

STATEMENTS_PER_PAGE = 30
LINES_PER_PAGE = 24


@login_required
def statement_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("bonus.open_statements"):
        raise PermissionDenied
    visible = statements_visible_to(user=request.user)
    schemes, regions = filter_choices(visible)
    form = StatementFilterForm(request.GET or None, schemes=schemes, regions=regions)
    statements = form.narrow(visible).order_by("-starts_on", "scheme__name", "region__code", "pk")
    with_totals = request.user.has_perm("bonus.open_schemes")
    if request.GET.get("format") == "csv":
        if form.is_bound and not form.is_valid():
            return HttpResponseBadRequest(_("Correct the filters first."))
        return statements_table(statements, with_totals=with_totals).csv_response(
            "bonus-statements.csv"
        )
    page = Paginator(statements, STATEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "table": statements_table(page.object_list, with_totals=with_totals),
    }
    return render(request, "bonus/statements/list.html", context)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """Store staff and store managers: their own lines, newest period first, each with
    why; a store manager also the latest statements of their store."""
    if not request.user.has_perm("bonus.see_own_lines"):
        raise PermissionDenied
    page = Paginator(own_lines(user=request.user), LINES_PER_PAGE).get_page(request.GET.get("page"))
    periods = [
        {"statement": statement, "period": period_label(statement), "lines": list(lines)}
        for statement, lines in groupby(
            [_explained(line) for line in page.object_list], key=lambda line: line.statement
        )
    ]
    store = None
    if request.user.store_id and request.user.has_perm("bonus.open_statements"):
        store = [
            {"statement": s, "period": period_label(s)} for s in store_statements(user=request.user)
        ]
    context = {"page": page, "periods": periods, "store_statements": store}
    return render(request, "bonus/mine/mine.html", context)


def _explained(line):
    line.explanation = line_explanation(line)
    return line
