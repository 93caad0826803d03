"""Receipts as typed rows, declared once on `portal.imports` (`receipts_spec`): files
(UTF-8 or cp1251, `;`, `,` or tab, Russian or English headers) and the POS API's
payloads are read by the same fields.

Every bad row is reported (line, field, reason) and none is returned when any is bad:
unknown store, bad time, time in the future, negative amount, bad item count, the same
receipt twice in the file. This is the reference reader; `kpi.loading` checks the same
value shapes (the regular expressions below) in SQL for files it can vouch for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.imports.fields import Invalid, as_text
from portal.imports.rows import Field, RowSpec, Unique, csv_table, records_table, rows_read

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


def _store(store_ids: dict[str, int]):
    def parse(value: Any) -> int:
        store_id = store_ids.get(value)
        if store_id is None:
            raise Invalid(_("unknown store «%(c)s», or not one of yours") % {"c": value})
        return store_id

    return parse


def _receipt_id(value: Any) -> str:
    if not value or len(value) > MAX_LENGTHS["receipt_id"]:
        raise Invalid(_("a receipt id of 1 to 64 characters is required"))
    return value


def _issued_at(latest: datetime):
    def parse(value: Any) -> datetime:
        issued = value if isinstance(value, datetime) else _time(as_text(value))
        if issued is None:
            raise Invalid(
                _(
                    "not a date and time: write it as 01.12.2026 10:15 (DD.MM.YYYY "
                    "HH:MM) or 2026-12-01 10:15 (YYYY-MM-DD HH:MM), seconds optional"
                )
            )
        if issued > latest:
            raise Invalid(_("the time is in the future"))
        return issued

    return parse


_NO_SPACES = {ord(c): None for c in SPACES}


def _amount(value: Any) -> Decimal:
    cleaned = as_text(value).translate(_NO_SPACES)
    if re.match(AMOUNT, cleaned):
        return Decimal(cleaned.replace(",", "."))
    if re.match(AMOUNT, cleaned.removeprefix("-")):
        raise Invalid(_("the amount is negative"))
    raise Invalid(_("not an amount in roubles (at most 2 decimals)"))


def _items(value: Any) -> int:
    value = as_text(value)
    if not re.match(ITEMS, value):
        raise Invalid(_("a whole number of items is required"))
    return int(value)


def _text(limit: int):
    def parse(value: Any) -> str:
        if len(value) > limit:
            raise Invalid(_("longer than %(n)s characters") % {"n": limit})
        return value

    return parse


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    value = value.lower()
    if value not in _TRUE and value not in _FALSE:
        raise Invalid(_("write 1 or 0"))
    return value in _TRUE


def _store_id(values: dict[str, Any]) -> dict[str, Any]:
    values["store_id"] = values.pop("store_code")
    return values


def receipts_spec(store_ids: dict[str, int]) -> RowSpec[ReceiptRow]:
    """The receipt row of a file or a payload; `store_ids`: code → id of the stores it may
    name (any other is a bad row). Times more than 5 minutes ahead are refused."""
    latest = timezone.now() + timedelta(minutes=5)
    return RowSpec(
        ReceiptRow,
        fields=(
            Field("store_code", _store(store_ids), COLUMNS["store_code"], True, None),
            Field("receipt_id", _receipt_id, COLUMNS["receipt_id"], True),
            Field("issued_at", _issued_at(latest), COLUMNS["issued_at"], True, None),
            Field("amount", _amount, COLUMNS["amount"], True, Decimal(0)),
            Field("items", _items, COLUMNS["items"], True, 0),
            Field("card_id", _text(MAX_LENGTHS["card_id"]), COLUMNS["card_id"]),
            Field("cashier", _text(MAX_LENGTHS["cashier"]), COLUMNS["cashier"]),
            *(Field(flag, _flag, COLUMNS[flag], fallback=False) for flag in FLAGS),
        ),
        unique=(
            Unique(
                ("store_code", "receipt_id"),
                lambda _receipt, line: _("the same receipt as on line %(l)s") % {"l": line},
            ),
        ),
        complete=_store_id,
    )


def parse_receipts(content: bytes, store_ids: dict[str, int]) -> list[ReceiptRow]:
    """All rows of a CSV file, or `ImportRejected` listing every problem, each named by
    the column as the file names it. `store_ids`: code → id. A line the CSV reader cannot
    read (a value over its field limit, a stray quote) ends the reading with what was
    found. No size cap here: uploads are capped by their form, bulk loads are not."""
    spec = receipts_spec(store_ids)
    parsed = rows_read(spec, csv_table(content, spec, max_bytes=False))
    parsed.reject_if_any()
    return parsed.good


def receipts_from_records(
    records: Iterable[Mapping[str, Any]], store_ids: dict[str, int]
) -> list[ReceiptRow]:
    """All receipts of a payload (dicts by field name, values typed or text, numbered
    from 1), or `ImportRejected` naming each problem by its receipt and field."""
    spec = receipts_spec(store_ids)
    parsed = rows_read(spec, records_table(records, spec, first=1))
    parsed.reject_if_any()
    return parsed.good
