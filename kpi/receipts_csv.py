"""Reading POS receipt files: UTF-8 or cp1251, `;` or `,`, Russian or English headers.

Every bad row is reported (line, field, reason) and none is returned when any is bad:
unknown store, bad time, time in the future, negative amount, bad item count, the same
receipt twice in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.imports.errors import ImportRejected, RowError
from portal.imports.text import Header, csv_lines, decode_upload, sniff_delimiter

COLUMNS: dict[str, tuple[str, ...]] = {
    "store_code": ("магазин", "код магазина", "store"),
    "receipt_id": ("чек", "номер чека", "receipt"),
    "issued_at": ("время", "дата и время", "time"),
    "amount": ("сумма", "amount_rub"),
    "items": ("позиций", "товаров", "items_count"),
    "card_id": ("карта", "карта лояльности", "card"),
    "cashier": ("кассир", "табельный номер кассира"),
    "new_member": ("новый участник", "регистрация"),
    "phone_captured": ("телефон", "phone"),
    "email_captured": ("email", "e-mail", "почта"),
}
# A receipt's own values, after its store (a code in files, an id in the database).
FIELDS = (
    "receipt_id",
    "issued_at",
    "amount",
    "items",
    "card_id",
    "cashier",
    "new_member",
    "phone_captured",
    "email_captured",
)
FLAGS = ("new_member", "phone_captured", "email_captured")
REQUIRED = ("store_code", "receipt_id", "issued_at", "amount", "items")
TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
)
# The shapes of values, shared with the set-based check on PostgreSQL (`kpi.loading`), so
# both readers accept exactly the same files. POSIX and Python regex alike.
ISO_TIME = r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$"
RU_TIME = r"^[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4} [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$"
AMOUNT = r"^[0-9]{1,10}([.,][0-9]{1,2})?$"  # after removing spaces (Excel: no-break ones)
ITEMS = r"^[0-9]{1,9}$"
SPACES = " \u00a0"
MAX_LENGTHS = {"receipt_id": 64, "card_id": 64, "cashier": 20}
TRUE = ("1", "true", "yes", "да", "+")
FALSE = ("", "0", "false", "no", "нет", "-")
_TRUE, _FALSE = set(TRUE), set(FALSE)


@dataclass(frozen=True)
class ReceiptRow:
    line: int
    store_id: int
    receipt_id: str
    issued_at: datetime
    amount: Decimal
    items: int
    card_id: str
    cashier: str
    new_member: bool
    phone_captured: bool
    email_captured: bool


def _time(value: str) -> datetime | None:
    if not (re.match(ISO_TIME, value) or re.match(RU_TIME, value)):
        return None
    for fmt in TIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))
        except ValueError:
            continue
    return None


def parse_receipts(content: bytes, store_ids: dict[str, int]) -> list[ReceiptRow]:
    """All rows, or `ImportRejected` listing every problem, each named by the column as
    the file names it. `store_ids`: code → id. A line the CSV reader cannot read (a
    value over its field limit, a stray quote) ends the reading with what was found."""
    text = decode_upload(content)
    lines = csv_lines(text, sniff_delimiter(text))
    header = Header.read(next(lines, (1, []))[1], COLUMNS)
    missing = header.missing_errors(REQUIRED)
    if missing:
        raise ImportRejected(missing)
    errors: list[RowError] = []
    rows: list[ReceiptRow] = []
    try:
        rows = _rows(lines, header.fields, store_ids, errors)
    except ImportRejected as unreadable:
        errors.extend(unreadable.errors)
    if errors:
        raise ImportRejected(header.labelled(errors))
    if not rows:
        raise ImportRejected([RowError(1, "file", _("the file has no data rows"), _("file"))])
    return rows


def _rows(
    lines: Iterator[tuple[int, list[str]]],
    header: list[str],
    store_ids: dict[str, int],
    errors: list[RowError],
) -> list[ReceiptRow]:
    """The good rows; every problem is appended to `errors`."""
    latest = timezone.now() + timedelta(minutes=5)
    rows: list[ReceiptRow] = []
    seen: dict[tuple[int, str], int] = {}
    for line, values in lines:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            errors.append(
                RowError(
                    line,
                    "row",
                    _("expected %(e)s values, found %(f)s") % {"e": len(header), "f": len(values)},
                )
            )
            continue
        row = {h: v.strip() for h, v in zip(header, values, strict=True)}
        bad = len(errors)
        store_id = store_ids.get(row["store_code"])
        if store_id is None:
            errors.append(
                RowError(
                    line,
                    "store_code",
                    _("unknown store «%(c)s», or not one of yours") % {"c": row["store_code"]},
                )
            )
        receipt = row["receipt_id"]
        if not receipt or len(receipt) > 64:
            errors.append(
                RowError(line, "receipt_id", _("a receipt id of 1 to 64 characters is required"))
            )
        issued = _time(row["issued_at"])
        if issued is None:
            errors.append(
                RowError(
                    line,
                    "issued_at",
                    _(
                        "not a date and time: write it as 01.12.2026 10:15 (DD.MM.YYYY "
                        "HH:MM) or 2026-12-01 10:15 (YYYY-MM-DD HH:MM), seconds optional"
                    ),
                )
            )
        elif issued > latest:
            errors.append(RowError(line, "issued_at", _("the time is in the future")))
        amount = Decimal(0)
        cleaned = row["amount"].translate({ord(c): None for c in SPACES})
        if re.match(AMOUNT, cleaned):
            amount = Decimal(cleaned.replace(",", "."))
        elif re.match(AMOUNT, cleaned.removeprefix("-")):
            errors.append(RowError(line, "amount", _("the amount is negative")))
        else:
            errors.append(
                RowError(line, "amount", _("not an amount in roubles (at most 2 decimals)"))
            )
        items = row["items"]
        if not re.match(ITEMS, items):
            errors.append(RowError(line, "items", _("a whole number of items is required")))
        for name, limit in MAX_LENGTHS.items():
            if name != "receipt_id" and len(row.get(name, "")) > limit:
                errors.append(
                    RowError(line, name, _("longer than %(n)s characters") % {"n": limit})
                )
        flags = {}
        for name in ("new_member", "phone_captured", "email_captured"):
            value = row.get(name, "").lower()
            if value not in _TRUE | _FALSE:
                errors.append(RowError(line, name, _("write 1 or 0")))
            flags[name] = value in _TRUE
        if store_id is not None and receipt:
            first_line = seen.setdefault((store_id, receipt), line)
            if first_line != line:
                errors.append(
                    RowError(
                        line,
                        "receipt_id",
                        _("the same receipt as on line %(l)s") % {"l": first_line},
                    )
                )
        if len(errors) == bad:
            rows.append(
                ReceiptRow(
                    line,
                    store_id,
                    receipt,
                    issued,
                    amount,
                    int(items),
                    row.get("card_id", ""),
                    row.get("cashier", ""),
                    **flags,
                )
            )
    return rows
