"""CSV downloads that open correctly in Russian Excel: UTF-8 with BOM, ';'-separated,
and no cell that Excel would run as a formula.

Formula injection (OWASP "CSV injection"): a text cell starting with `=`, `+`, `-`,
`@`, a tab or a carriage return is a formula to Excel and LibreOffice, so a surname
`=cmd|' /C calc'!A0` imported from HR would come back live. Such text gets a leading
apostrophe, which spreadsheets show as text. Numbers passed as numbers (int, Decimal,
float) stay numbers, and so does text that is only a number (`-5`, `+7`, `-12,5`, `-3%`):
a spreadsheet reads it as that number and runs nothing, while an apostrophe would turn
a column of figures into text.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+([.,][0-9]+)?%?$")


def csv_cell(value: object) -> str:
    """One cell as safe text: '' for None, numbers as they are, and an apostrophe
    before text that a spreadsheet would take for a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def csv_cell_restore(text: str) -> str:
    """The value `csv_cell` neutralised, for files the portal exports and reads back
    (the question bank): the apostrophe it added is taken off again."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """The one way a page answers with CSV: every cell goes through `csv_cell`."""
    # Written to memory and handed over once: a response written row by row encodes and
    # appends each line on its own (a third of a 1,000-store export's time).
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow([csv_cell(str(h)) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
