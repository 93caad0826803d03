"""Files of a statement: the payroll file of a locked statement (XLSX, or CSV with
`?format=csv`; HQ, each download recorded) and one store's PDF (its result, its rank of
how many, the scheme's rules in brief, each person's line with why; for the store's
manager, the region's manager and HQ)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from kpi.bonus.explain import line_explanation
from kpi.bonus.ledger import ZERO
from kpi.bonus.payroll import CSV, FORMATS, XLSX, payroll_csv, payroll_xlsx
from kpi.bonus.selectors.statements import (
    payroll_rows,
    statement_get_visible,
    statement_results,
)
from kpi.bonus.services.statements import payroll_exported
from kpi.bonus.statement_pages.approval import allowed
from kpi.bonus.statement_pages.brief import metric_text, scheme_brief, scope_text
from kpi.bonus.statement_pages.reads import store_lines
from kpi.bonus.statement_pages.tables import period_label
from kpi.periods import Period
from portal.pdf import pdf_response


@login_required
def statement_payroll(request: HttpRequest, pk: int) -> HttpResponse:
    statement = statement_get_visible(user=request.user, pk=pk)
    if not allowed(request.user, "bonus.export_payroll", statement):
        raise PermissionDenied
    file_format = request.GET.get("format") or XLSX
    if file_format not in FORMATS:
        raise Http404
    rows = payroll_rows(statement)
    payroll_exported(actor=request.user, statement=statement, file_format=file_format)
    return payroll_csv(statement, rows) if file_format == CSV else payroll_xlsx(statement, rows)


@login_required
def statement_store_pdf(request: HttpRequest, pk: int, store_pk: int) -> HttpResponse:
    statement = statement_get_visible(user=request.user, pk=pk)
    result = statement_results(user=request.user, statement=statement).filter(store_id=store_pk)
    result = result.first()
    if result is None:
        raise Http404
    lines = store_lines(user=request.user, statement=statement, store_id=store_pk)
    for line in lines:
        line.explanation = line_explanation(line)
    scheme = statement.scheme
    ranked = statement.results.filter(rank__isnull=False).count()
    period = Period(statement.period_kind, statement.starts_on, statement.ends_on)
    context = {
        "statement": statement,
        "scheme": scheme,
        "period": period_label(statement),
        "result": result,
        "value": metric_text(scheme, result.value),
        "target": metric_text(scheme, result.target),
        "scope_value": scope_text(scheme, statement.scope_value),
        "scope_target": scope_text(scheme, statement.scope_target),
        "ranked": ranked,
        "lines": lines,
        "total": sum((line.amount for line in lines), ZERO),
        "brief": scheme_brief(scheme),
        "generated_at": timezone.now(),
    }
    filename = f"bonus-{slugify(result.store.code) or result.store_id}-{period.slug}.pdf"
    return pdf_response("pdf/bonus/statement_store.html", context, filename)
