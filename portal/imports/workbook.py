"""Excel workbooks (.xlsx) read within bounds.

A small .xlsx can claim a huge sheet: openpyxl pads every row to the sheet's declared
width (a `<dimension ref="A1:XFD1048576">` or one cell in column XFD), and a zip member
can inflate a thousandfold. Before openpyxl sees the file, every member's size is
checked in its header and again while actually inflating it (the header may lie), along
with its compression ratio; then only the columns up to the header row's last filled
cell are read (at most `IMPORT_XLSX_MAX_COLUMNS`, whatever the sheet declares), and the
rows and the bytes produced are counted. Any limit reached rejects the file with a
message naming the limit.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from portal.imports.errors import ImportRejected, RowError
from portal.imports.limits import megabytes

CHUNK = 1 << 16


def _reject(message: str, line: int = 1) -> ImportRejected:
    return ImportRejected([RowError(line, "file", message, _("file"))])


def is_xlsx(content: bytes) -> bool:
    """An .xlsx file is a ZIP archive holding xl/workbook.xml."""
    if not content.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def archive_check(content: bytes) -> None:
    """Every member within `IMPORT_XLSX_MAX_MEMBER_BYTES` inflated and within
    `IMPORT_XLSX_MAX_RATIO`, by its header and by the bytes it really inflates to."""
    limit = settings.IMPORT_XLSX_MAX_MEMBER_BYTES
    ratio = settings.IMPORT_XLSX_MAX_RATIO
    too_big = _(
        "a part of the Excel file (%(name)s) unpacks to more than %(mb)s MB; save the "
        "sheet as CSV or split it"
    )
    too_packed = _(
        "a part of the Excel file (%(name)s) is compressed more than %(ratio)s times: it "
        "is not a sheet Excel would write"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
            if len(members) > settings.IMPORT_XLSX_MAX_MEMBERS:
                raise _reject(
                    _("the Excel file has more than %(n)s parts")
                    % {"n": settings.IMPORT_XLSX_MAX_MEMBERS}
                )
            for info in members:
                names = {"name": info.filename, "mb": megabytes(limit), "ratio": ratio}
                if info.file_size > limit:
                    raise _reject(too_big % names)
                if info.file_size > ratio * max(info.compress_size, 1) and info.file_size > CHUNK:
                    raise _reject(too_packed % names)
                inflated = 0
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        inflated += len(chunk)
                        if inflated > limit:
                            raise _reject(too_big % names)
                        if inflated > CHUNK and inflated > ratio * max(info.compress_size, 1):
                            raise _reject(too_packed % names)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as error:
        raise _reject(_("the Excel file is damaged: %(e)s") % {"e": error}) from error
    except (EOFError, RuntimeError, ValueError) as error:  # truncated or encrypted members
        raise _reject(_("the Excel file is damaged: %(e)s") % {"e": error}) from error


def cell_text(value) -> str:
    """A cell as the CSV readers expect it (Excel keeps numbers as floats)."""
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
        # 1500.5 must not become 1500.4999999.
        number = Decimal(repr(value))
        return str(int(number)) if number == number.to_integral_value() else str(number)
    return str(value).strip()


def first_sheet_rows(
    content: bytes, *, max_rows: int, max_bytes: int | None = None
) -> Iterator[list[str]]:
    """The first sheet's rows as text, row N of the sheet being the Nth item, as wide as
    its header row (trailing empty header cells dropped). `max_bytes`: the most text
    (in UTF-8, with one separator a cell) the rows may add up to."""
    from openpyxl import load_workbook

    archive_check(content)
    max_bytes = settings.IMPORT_XLSX_MAX_TEXT_BYTES if max_bytes is None else max_bytes
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise _reject(_("the Excel file cannot be read: %(e)s") % {"e": error}) from error
    try:
        yield from _bounded_rows(workbook.worksheets[0], max_rows, max_bytes)
    finally:
        workbook.close()


def _bounded_rows(sheet, max_rows: int, max_bytes: int) -> Iterator[list[str]]:
    sheet.reset_dimensions()  # never trust the declared size
    first = _guarded(
        lambda: sheet.iter_rows(
            max_col=settings.IMPORT_XLSX_MAX_COLUMNS, max_row=1, values_only=True
        )
    )
    header = [cell_text(v) for v in next(first, ())]
    while header and not header[-1]:
        header.pop()
    if not header:
        return
    yield header
    produced = sum(len(v.encode()) + 1 for v in header)
    rows = _guarded(
        lambda: sheet.iter_rows(
            min_row=2, max_col=len(header), max_row=max_rows + 1, values_only=True
        )
    )
    for number, row in enumerate(rows, 2):
        if number > max_rows:
            raise _reject(_("more than %(n)s rows") % {"n": max_rows}, number)
        values = [cell_text(v) for v in row]
        produced += sum(len(v.encode()) + 1 for v in values)
        if produced > max_bytes:
            raise _reject(
                _("the sheet holds more than %(mb)s MB of text; split it")
                % {"mb": megabytes(max_bytes)},
                number,
            )
        yield values


def _guarded(make: Callable[[], Iterator]) -> Iterator:
    """Rows of openpyxl with its own errors (a damaged sheet XML) named."""
    try:
        iterator = iter(make())
        while True:
            try:
                row = next(iterator)
            except StopIteration:
                return
            yield row
    except ImportRejected:
        raise
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on bad XML
        raise _reject(_("the Excel file cannot be read: %(e)s") % {"e": error}) from error
