"""The set-based path on PostgreSQL accepts exactly the files the Python reader accepts,
and loads them to the same receipts; anything else it declines without writing."""

from __future__ import annotations

import pytest
from django.db import connection

from kpi.loading import fast_load
from kpi.models import ImportBatch, Receipt
from kpi.receipts_csv import FIELDS, parse_receipts
from portal.imports.errors import ImportRejected
from portal.imports.text import decode_upload, sniff_delimiter
from portal.org.tests.factories import StoreFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only"),
]

HEADER = "магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email\n"
VALID = [
    "S1;1;2026-10-14 10:15;1500,50;3;C1;100001;0;1;0\n",
    "S1;2;2026-10-14T10:15:30;1\u00a0500,5;3;;;нет;да;0\n",
    "S1;3;14.10.2026 09:05;0;0;C2;100002;1;1;1\n",
    "S2;3;4.1.2026 9:05:59;99.99;25;C2;;yes;+;-\n",
    "S2;4;2026-1-4 23:59;12;1;;;;;\n",
]
# Values with spaces around them: the Python reader strips them, the fast path declines.
PADDED = " S2 ; 5 ;2026-1-4 23:59;12;1; C3 ;;;;\n"
INVALID = {
    "unknown store": "S9;5;2026-10-14 10:15;1;1;;;0;0;0\n",
    "empty receipt id": "S1; ;2026-10-14 10:15;1;1;;;0;0;0\n",
    "impossible date": "S1;5;31.02.2026 10:15;1;1;;;0;0;0\n",
    "no time": "S1;5;2026-10-14;1;1;;;0;0;0\n",
    "future": "S1;5;2099-10-14 10:15;1;1;;;0;0;0\n",
    "negative amount": "S1;5;2026-10-14 10:15;-1;1;;;0;0;0\n",
    "three decimals": "S1;5;2026-10-14 10:15;1,005;1;;;0;0;0\n",
    "exponent": "S1;5;2026-10-14 10:15;1e3;1;;;0;0;0\n",
    "items not whole": "S1;5;2026-10-14 10:15;1;1.5;;;0;0;0\n",
    "long cashier": "S1;5;2026-10-14 10:15;1;1;;123456789012345678901;0;0;0\n",
    "bad flag": "S1;5;2026-10-14 10:15;1;1;;;может;0;0\n",
    "ragged line": "S1;5;2026-10-14 10:15;1;1;;;0;0\n",
    "repeated receipt": "S1;1;2026-10-14 11:00;1;1;;;0;0;0\n",
}


@pytest.fixture
def stores():
    return {code: StoreFactory(code=code).pk for code in ("S1", "S2")}


def _fast(content: bytes, stores: dict[str, int]):
    text = decode_upload(content)
    batch = ImportBatch.objects.create(source="command", status="applied")
    return fast_load(
        text=text, delimiter=sniff_delimiter(text), store_ids=stores, batch_id=batch.pk
    )


def test_valid_files_load_as_the_python_reader_reads_them(stores):
    content = (HEADER + "".join(VALID)).encode("cp1251", errors="strict")
    columns = ("store_id", *FIELDS)
    expected = sorted(
        tuple(getattr(r, c) for c in columns) for r in parse_receipts(content, stores)
    )

    rows, inserted, pairs = _fast(content, stores)

    loaded = sorted(Receipt.objects.values_list(*columns))
    assert (rows, inserted) == (5, 5)
    assert loaded == expected
    assert {(store, str(day)) for store, day in pairs} == {
        (stores["S1"], "2026-10-14"),
        (stores["S2"], "2026-01-04"),
    }


@pytest.mark.parametrize("case", INVALID)
def test_anything_the_python_reader_rejects_is_declined(stores, case):
    content = (HEADER + "".join(VALID) + INVALID[case]).encode("cp1251")
    with pytest.raises(ImportRejected):
        parse_receipts(content, stores)

    assert _fast(content, stores) is None
    assert not Receipt.objects.exists()
    assert connection.vendor == "postgresql"


def test_padded_values_are_left_to_the_python_reader(stores, load):
    content = (HEADER + "".join(VALID) + PADDED).encode("cp1251")
    assert _fast(content, stores) is None

    batch = load(content)

    assert (batch.rows, batch.inserted) == (6, 6)
    assert Receipt.objects.filter(store_id=stores["S2"], receipt_id="5", card_id="C3").exists()


@pytest.mark.parametrize("extra", ["", PADDED], ids=["fast path", "python reader"])
def test_a_pending_upload_stages_the_same_receipts_on_either_path(stores, extra):
    from kpi.models import PendingReceipt
    from kpi.services import receipts_import
    from portal.org.choices import Role
    from portal.org.tests.factories import person

    content = (HEADER + "".join(VALID) + extra).encode("cp1251")
    columns = ("store_id", *FIELDS)
    expected = sorted(
        tuple(getattr(r, c) for c in columns) for r in parse_receipts(content, stores)
    )

    batch = receipts_import(actor=person(Role.REGIONAL_MANAGER), content=content)

    staged = sorted(PendingReceipt.objects.filter(batch=batch).values_list(*columns))
    assert batch.status == "pending" and batch.inserted == len(expected)
    assert staged == expected and not Receipt.objects.exists()
