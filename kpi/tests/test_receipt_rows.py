"""Receipts are declared once (`kpi.receipts_csv.receipts_spec`): a CSV file and the POS
API's validated records give the same typed rows, and a record's problem is named by its
number and field (the API turns it into receipts[i].field)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from kpi.receipts_csv import parse_receipts, receipts_from_records
from portal.imports.errors import ImportRejected

STORES = {"S001": 11, "S002": 12}
CSV = (
    "магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email\n"
    "S001;R-1;01.11.2026 10:15;1 500,50;3;C-9;K1;1;0;да\n"
    "S002;R-1;2026-11-01 10:16:30;20;1;;;0;1;0\n"
)


def _records() -> list[dict]:
    """What `ReceiptsPayloadSerializer` hands on: typed values, flags as booleans."""
    at = timezone.make_aware
    return [
        {
            "store_code": "S001",
            "receipt_id": "R-1",
            "issued_at": at(datetime(2026, 11, 1, 10, 15)),
            "amount": Decimal("1500.50"),
            "items": 3,
            "card_id": "C-9",
            "cashier": "K1",
            "new_member": True,
            "phone_captured": False,
            "email_captured": True,
        },
        {
            "store_code": "S002",
            "receipt_id": "R-1",
            "issued_at": at(datetime(2026, 11, 1, 10, 16, 30)),
            "amount": Decimal("20"),
            "items": 1,
            "card_id": "",
            "cashier": "",
            "new_member": False,
            "phone_captured": True,
            "email_captured": False,
        },
    ]


def _values(rows) -> list[tuple]:
    return [
        (r.store_id, r.receipt_id, r.issued_at, r.amount, r.items, r.card_id, r.cashier,
         r.new_member, r.phone_captured, r.email_captured)
        for r in rows
    ]  # fmt: skip


def test_a_file_and_a_payload_give_the_same_receipt_rows():
    from_file = parse_receipts(CSV.encode("cp1251"), STORES)
    from_payload = receipts_from_records(_records(), STORES)

    assert _values(from_file) == _values(from_payload)
    assert [r.line for r in from_payload] == [1, 2]  # a record's number, from 1


def test_a_records_problems_are_named_by_its_number_and_field():
    records = _records()
    records[1]["issued_at"] = timezone.now() + timedelta(days=1)
    records[0]["store_code"] = "S999"

    with pytest.raises(ImportRejected) as caught:
        receipts_from_records(records, STORES)

    assert [(e.line, e.field, e.label) for e in caught.value.errors] == [
        (1, "store_code", "store_code"),
        (2, "issued_at", "issued_at"),
    ]
