"""The payroll file of a locked statement, as XLSX (openpyxl) and CSV (`portal.exports`):
one row per line — personnel number, name, store, period, the scheme's accrual or
deduction code and the amount, positive, to the kopeck (the code says which way it
goes). The XLSX ends with a total per code; the CSV is the rows only, for machines.

No cell is a formula: openpyxl takes a text starting with «=» for one, so every text
cell is written as a string explicitly (the CSV goes through `csv_cell`)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kpi.bonus.ledger import ZERO
from kpi.bonus.models import Statement
from kpi.bonus.selectors.statements import PayrollRow
from kpi.periods import Period
from portal.exports import csv_response
from portal.numbers import Kind, raw_number

XLSX = "xlsx"
CSV = "csv"
FORMATS = (XLSX, CSV)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
AMOUNT_FORMAT = "0.00"
WIDTHS = (16, 36, 10, 12, 10, 14)


def payroll_header() -> list[str]:
    return [_("Personnel number"), _("Name"), _("Store"), _("Period"), _("Code"), _("Amount")]


def payroll_filename(statement: Statement, file_format: str) -> str:
    """ASCII (a header value): the scheme (its number, and its name when it has Latin
    letters), the region's code or «network», the period's slug."""
    scheme = statement.scheme
    name = slugify(scheme.name)
    where = statement.region.code if statement.region_id else "network"
    period = Period(statement.period_kind, statement.starts_on, statement.ends_on)
    parts = ["payroll", f"scheme-{scheme.pk}", name, slugify(where), period.slug]
    return "-".join(part for part in parts if part) + f".{file_format}"


def _cells(row: PayrollRow) -> list:
    return [row.personnel_number, row.name, row.store, row.period, row.code, row.amount]


def payroll_csv(statement: Statement, rows: Sequence[PayrollRow]) -> HttpResponse:
    return csv_response(
        payroll_filename(statement, CSV),
        payroll_header(),
        ([*_cells(row)[:5], raw_number(row.amount, Kind.MONEY)] for row in rows),
    )


def code_totals(rows: Sequence[PayrollRow]) -> list[tuple[str, Decimal]]:
    """The sum per payroll code, codes in order: what accounting checks the file by."""
    totals: dict[str, Decimal] = {}
    for row in rows:
        totals[row.code] = totals.get(row.code, ZERO) + row.amount
    return sorted(totals.items())


def payroll_xlsx(statement: Statement, rows: Sequence[PayrollRow]) -> HttpResponse:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = _("Payroll")[:31]
    bold = Font(bold=True)
    lines = [(payroll_header(), bold)]
    lines += [(_cells(row), None) for row in rows]
    lines += [
        (["", _("Total, code %(code)s") % {"code": code}, "", "", code, total], bold)
        for code, total in code_totals(rows)
    ]
    for number, (values, font) in enumerate(lines, 1):
        _write_row(sheet, number, values, font)
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEF", WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    filename = payroll_filename(statement, XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _write_row(sheet, number: int, values: Sequence, font) -> None:
    """One row: text always as text (never a formula), amounts as numbers to the kopeck."""
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row=number, column=column)
        if isinstance(value, Decimal):
            cell.value = value
            cell.number_format = AMOUNT_FORMAT
        else:
            cell.value = str(value)
            cell.data_type = "s"
        if font is not None:
            cell.font = font
