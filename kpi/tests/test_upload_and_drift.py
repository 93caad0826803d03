"""Loading receipts in the browser (CSV and Excel), the loading log, and the nightly
consistency check that finds and repairs drifted store days."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kpi.choices import BatchStatus, DriftStatus
from kpi.models import ImportBatch, Receipt, StoreDay
from kpi.services import drift_check
from kpi.tests.factories import HEADER, receipts_file
from kpi.xlsx import is_xlsx, xlsx_to_csv
from portal.org.choices import Role
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 14)


@pytest.fixture
def region_manager(client):
    north, south = RegionFactory(code="N"), RegionFactory(code="S")
    StoreFactory(code="N1", region=north)
    StoreFactory(code="S1", region=south)
    manager = person(Role.REGIONAL_MANAGER, region=north)
    client.force_login(manager)
    return manager


@pytest.fixture
def hq(client, region_manager):
    """An LP manager: HQ's uploads count at once (others wait for approval)."""
    manager = person(Role.LP_MANAGER)
    client.force_login(manager)
    return manager


def _upload(client, content: bytes, name: str = "pos.csv"):
    return client.post(
        reverse("kpi:imports"), {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_an_lp_manager_loads_a_file_and_reads_the_report(
    client, hq, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = _upload(client, receipts_file("N1", DAY, receipts=12, identified=9))

    body = page.content.decode()
    batch = ImportBatch.objects.get()
    assert page.redirect_chain[-1][0] == reverse("kpi:import_detail", args=[batch.pk])
    assert 'data-testid="report-rows">12<' in body and 'data-testid="report-inserted">12<' in body
    board = reverse("kpi:leaderboard")
    assert f'href="{board}?period=month&amp;month=2026-10" data-testid="to-leaderboard"' in body
    day = StoreDay.objects.get()
    assert (day.store.code, day.receipts, day.identified) == ("N1", 12, 9)
    assert (batch.created_by, batch.source, batch.store_days) == (
        hq,
        "upload",
        [[day.store_id, "2026-10-14"]],
    )


def test_a_bad_row_writes_nothing_and_is_listed(client, region_manager):
    content = receipts_file("N1", DAY, receipts=3, identified=1) + (
        "N1;bad;14.10.2026 11:00;-10;1;;;0;0;0\n".encode("cp1251")
    )

    body = _upload(client, content).content.decode()

    assert 'data-testid="import-error" data-line="5"' in body
    assert not Receipt.objects.exists() and not StoreDay.objects.exists()
    assert ImportBatch.objects.get().status == BatchStatus.REJECTED


def test_stores_outside_the_managers_region_are_refused(client, region_manager):
    content = receipts_file("S1", DAY, receipts=2, identified=1)

    body = _upload(client, content).content.decode()

    assert 'data-line="2"' in body and "S1" in body
    assert not Receipt.objects.exists()


def _workbook(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_excel_file_loads_like_its_csv(client, hq, django_capture_on_commit_callbacks):
    header = HEADER.strip().split(";")
    content = _workbook(
        [
            header,
            ["N1", "x-1", datetime(2026, 10, 14, 10, 5), 1500.5, 3, "C1", "100001", 0, 1, 0],
            ["N1", "x-2", datetime(2026, 10, 14, 11, 0), 99.99, 1, None, None, 0, 0, 0],
        ]
    )
    assert is_xlsx(content)
    assert xlsx_to_csv(content).decode().splitlines()[1] == (
        "N1;x-1;2026-10-14 10:05:00;1500.5;3;C1;100001;0;1;0"
    )

    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, content, "pos.xlsx")

    day = StoreDay.objects.get()
    assert (day.receipts, day.identified, str(day.turnover)) == (2, 1, "1600.49")


def test_an_excel_error_names_the_excel_row(client, region_manager):
    header = HEADER.strip().split(";")
    content = _workbook([header, ["N1", "x-1", "вчера", 10, 1, None, None, 0, 0, 0]])

    body = _upload(client, content, "pos.xlsx").content.decode()

    assert 'data-line="2"' in body and not Receipt.objects.exists()


def test_the_consistency_check_finds_and_repairs_drift(load):
    StoreFactory(code="N1")
    load(receipts_file("N1", DAY, receipts=10, identified=4))
    assert drift_check().status == DriftStatus.CONSISTENT

    StoreDay.objects.update(identified=7)  # as if a refresh had been lost
    check = drift_check()

    assert (check.status, check.days_checked, check.days_drifted) == (DriftStatus.DRIFT, 1, 1)
    assert check.drift == [
        {
            "store": check.drift[0]["store"],
            "day": "2026-10-14",
            "fact": "identified",
            "stored": "7",
            "counted": "4",
        }
    ]
    assert StoreDay.objects.get().identified == 4
    assert drift_check().status == DriftStatus.CONSISTENT


def test_a_store_day_without_receipts_is_drift(load):
    StoreFactory(code="N1")
    load(receipts_file("N1", DAY, receipts=3, identified=1))
    Receipt.objects.all().delete()

    check = drift_check()

    assert check.days_drifted == 1 and not StoreDay.objects.exists()


def test_the_template_loads_as_it_is(client, hq, django_capture_on_commit_callbacks):
    template = client.get(reverse("kpi:import_template")).content
    assert template.decode("cp1251").startswith("магазин;чек;время")

    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, template)

    assert Receipt.objects.filter(store__code="N1").count() == 3


def test_the_check_is_not_finished_until_it_has_compared_and_repaired(load):
    """Its row says "not finished" while it reads and repairs, and gets its status only
    once both are done: a check that dies half-way is never shown as consistent."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    StoreFactory(code="N1")
    load(receipts_file("N1", DAY, receipts=3, identified=1))
    StoreDay.objects.update(identified=0)

    with CaptureQueriesContext(connection) as queries:
        check = drift_check()

    sql = [q["sql"] for q in queries.captured_queries]
    writes = [n for n, s in enumerate(sql) if '"kpi_driftcheck"' in s]
    created, finished = writes[0], writes[-1]
    assert sql[created].startswith("INSERT") and "'running'" in sql[created]
    assert sql[finished].startswith("UPDATE") and "'drift'" in sql[finished]
    between = sql[created:finished]
    assert any('FROM "kpi_receipt"' in s for s in between)  # the recount
    assert any(s.startswith('DELETE FROM "kpi_storeday"') for s in between)  # the repair
    assert (check.status, check.finished_at is not None) == (DriftStatus.DRIFT, True)
