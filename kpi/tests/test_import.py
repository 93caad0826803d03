"""Receipt loading: every bad row named and nothing written; twice is the same as once;
store days after incremental refreshes equal store days recomputed from scratch."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.choices import BatchStatus
from kpi.models import ImportBatch, Receipt, StoreDay
from kpi.services import receipts_import, store_days_refresh
from portal.imports.errors import ImportRejected
from portal.org.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

HEADER = "магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email\n"


def _row(store="S1", receipt="1", at="2026-11-20 10:15", amount="1500,50", items="3", card=""):
    return f"{store};{receipt};{at};{amount};{items};{card};100001;0;{1 if card else 0};0\n"


def _facts():
    return sorted(
        StoreDay.objects.values_list(
            "store__code",
            "day",
            "receipts",
            "identified",
            "turnover",
            "lp_turnover",
            "items",
            "distinct_cards",
            "new_members",
            "phones",
            "emails",
        )
    )


def test_a_cp1251_semicolon_file_loads_and_builds_store_days(load):
    StoreFactory(code="S1")
    content = (
        HEADER + _row(receipt="1", card="C1") + _row(receipt="2") + _row(receipt="3", card="C1")
    ).encode("cp1251")

    batch = load(content, filename="pos.csv")

    assert (batch.status, batch.rows, batch.inserted) == (BatchStatus.APPLIED, 3, 3)
    day = StoreDay.objects.get()
    assert (day.receipts, day.identified, day.distinct_cards) == (3, 2, 1)
    assert day.turnover == Decimal("4501.50") and day.lp_turnover == Decimal("3001.00")


def test_loading_the_same_file_twice_changes_nothing(load):
    StoreFactory(code="S1")
    content = (HEADER + _row(receipt="1", card="C1") + _row(receipt="2")).encode()
    load(content)
    facts, count = _facts(), Receipt.objects.count()

    again = load(content)

    assert (again.inserted, again.already_loaded) == (0, 2)
    assert (_facts(), Receipt.objects.count()) == (facts, count)


def test_one_bad_row_writes_nothing_and_every_problem_is_named():
    StoreFactory(code="S1")
    future = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    content = (
        HEADER
        + _row(receipt="1")
        + _row(store="NOPE", receipt="2")
        + _row(receipt="3", at="31.02.2026 10:00")
        + _row(receipt="4", amount="-5")
        + _row(receipt="5", at=future)
        + _row(receipt="1")
        + _row(receipt="6", items="два")
    ).encode()

    with pytest.raises(ImportRejected) as caught:
        receipts_import(actor=None, content=content, filename="bad.csv")

    assert [(e.line, e.field) for e in caught.value.errors] == [
        (3, "store_code"),
        (4, "issued_at"),
        (5, "amount"),
        (6, "issued_at"),
        (7, "receipt_id"),
        (8, "items"),
    ]
    assert not Receipt.objects.exists() and not StoreDay.objects.exists()
    logged = ImportBatch.objects.get()
    assert logged.status == BatchStatus.REJECTED and len(logged.errors) == 6


def test_a_binary_file_is_refused():
    with pytest.raises(ImportRejected):
        receipts_import(actor=None, content=b"\x00\x01\x02PK\x03\x04")


receipt_strategy = st.tuples(
    st.sampled_from(["S1", "S2"]),
    st.integers(min_value=1, max_value=40),  # receipt number: overlaps across batches
    st.integers(min_value=0, max_value=3),  # day offset
    st.integers(min_value=0, max_value=23),  # hour
    st.decimals(min_value=0, max_value=5000, places=2),
    st.sampled_from(["", "", "C1", "C2", "C3"]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    batches=st.lists(st.lists(receipt_strategy, min_size=1, max_size=15), min_size=1, max_size=4)
)
def test_incremental_facts_equal_facts_from_scratch(load, batches):
    Receipt.objects.all().delete()
    StoreDay.objects.all().delete()
    ImportBatch.objects.all().delete()
    StoreFactory(code="S1")
    StoreFactory(code="S2")
    start = datetime.date(2026, 11, 1)
    for batch in batches:
        unique = {(s, n): (s, n, d, h, a, c) for s, n, d, h, a, c in batch}.values()
        lines = [
            _row(
                store=s,
                receipt=str(n),
                at=f"{start + datetime.timedelta(days=d)} {h:02d}:30",
                amount=str(a),
                card=c,
            )
            for s, n, d, h, a, c in unique
        ]
        load((HEADER + "".join(lines)).encode())
    incremental = _facts()

    every_day = {(r.store_id, timezone.localdate(r.issued_at)) for r in Receipt.objects.all()}
    StoreDay.objects.all().delete()
    store_days_refresh(pairs=every_day)

    assert _facts() == incremental


def test_the_bulk_command_loads_good_files_and_names_bad_ones(tmp_path, capsys):
    from django.core.management import CommandError, call_command

    StoreFactory(code="S1")
    good = tmp_path / "good.csv"
    good.write_bytes((HEADER + _row(receipt="1")).encode("cp1251"))
    bad = tmp_path / "bad.csv"
    bad.write_bytes((HEADER + _row(store="NOPE", receipt="2")).encode())

    with pytest.raises(CommandError, match="1 file"):
        call_command("load_receipts", str(good), str(bad))

    out, err = capsys.readouterr()
    assert "good.csv: rows=1 new=1" in out
    assert "bad.csv: rejected" in err and "NOPE" in err
    assert Receipt.objects.count() == 1
