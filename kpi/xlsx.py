"""Excel workbooks (.xlsx) of receipts become the CSV the import reads, line for line:
row N of the first sheet is line N of the CSV, so every error names the Excel row."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime, time
from decimal import Decimal

from django.utils.translation import gettext as _

from portal.org.import_csv import ImportRejected, RowError

MAX_ROWS = 2_000_000


def is_xlsx(content: bytes) -> bool:
    """An .xlsx file is a ZIP archive holding xl/workbook.xml."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d 00:00:00")
    if isinstance(value, time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, float):
        # Excel keeps numbers as floats: 1500.5 must not become 1500.4999999.
        number = Decimal(repr(value))
        return str(int(number)) if number == number.to_integral_value() else str(number)
    return str(value).strip()


def xlsx_to_csv(content: bytes) -> bytes:
    """The first sheet as UTF-8 CSV (`;`-separated)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise ImportRejected(
            [RowError(1, "file", _("the Excel file cannot be read: %(e)s") % {"e": error})]
        ) from error
    sheet = workbook.worksheets[0]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if number > MAX_ROWS:
            raise ImportRejected(
                [RowError(number, "file", _("more than %(n)s rows") % {"n": MAX_ROWS})]
            )
        writer.writerow([_cell(v) for v in row])
    workbook.close()
    return out.getvalue().encode("utf-8")
