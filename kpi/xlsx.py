"""Excel workbooks (.xlsx) of receipts become the CSV the import reads, line for line:
row N of the first sheet is line N of the CSV, so every error names the Excel row.
The workbook is read within the bounds of `portal.imports.workbook` (member sizes,
compression ratio, columns up to the header's last, rows, bytes produced)."""

from __future__ import annotations

import csv
import io

from portal.imports.workbook import first_sheet_rows, is_xlsx

__all__ = ["MAX_ROWS", "is_xlsx", "xlsx_to_csv"]

MAX_ROWS = 2_000_000


def xlsx_to_csv(content: bytes) -> bytes:
    """The first sheet as UTF-8 CSV (`;`-separated), or `ImportRejected` naming the
    limit the workbook exceeds or why it cannot be read."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    for row in first_sheet_rows(content, max_rows=MAX_ROWS):
        writer.writerow(row)
    return out.getvalue().encode("utf-8")
