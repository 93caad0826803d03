"""A regional manager picks a non-default board (the previous month, another KPI) in the
browser, downloads its CSV and finds the figures of the page; the PDF link asks for the
same board."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from kpi.tests.factories import receipts_file
from portal.org.choices import Role
from portal.org.tests.factories import PASSWORD, RegionFactory, StoreFactory, person

from .conftest import login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Store: (October average receipt, November average receipt), 40 receipts on each day.
AMOUNTS = {
    "SPB001": ("410,00", "120,00"),
    "SPB002": ("520,00", "330,00"),
    "SPB003": ("130,00", "640,00"),
}
DAYS = {0: (date(2026, 10, 12), date(2026, 10, 19)), 1: (date(2026, 11, 9), date(2026, 11, 23))}


@pytest.fixture
def region(live_server, settings, django_capture_on_commit_callbacks):
    from kpi.services import receipts_import
    from portal.org.services import person_access_sync

    settings.KPI_MIN_RECEIPTS_PER_DAY = 1
    north = RegionFactory(code="N", name="Северо-Запад")
    manager = person(Role.REGIONAL_MANAGER, store=None, region=north, email="rm@example.ru")
    person_access_sync(person=manager)
    for code, amounts in AMOUNTS.items():
        StoreFactory(code=code, region=north)
        for month, days in DAYS.items():
            for day in days:
                content = receipts_file(
                    code, day, receipts=40, identified=10, amount=amounts[month]
                )
                with django_capture_on_commit_callbacks(execute=True):
                    receipts_import(actor=None, content=content)
    return live_server.url, manager


def _number(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d,.\-]", "", text).replace(",", "."))


def test_a_previous_month_on_another_kpi_exports_what_the_page_shows(page, region, tmp_path):
    base_url, manager = region
    login(page, base_url, manager.email, PASSWORD)
    page.goto(f"{base_url}/kpi/")
    expect(page.locator("#f-month")).to_have_value("2026-11")  # the default board

    page.select_option("#f-kpi", "average_receipt")
    page.select_option("#f-period", "month")
    page.fill("#f-month", "2026-10")
    page.click("[data-testid=period-form] button[type=submit]")
    expect(page.locator("#f-month")).to_have_value("2026-10")
    rows = page.locator("[data-testid=board-row]")
    expect(rows).to_have_count(3)
    shown = [
        (
            rows.nth(n).get_attribute("data-code"),
            rows.nth(n).get_attribute("data-rank"),
            _number(rows.nth(n).locator("td").nth(4).inner_text()),
        )
        for n in range(3)
    ]
    assert shown == [
        ("SPB002", "1", Decimal("520.00")),
        ("SPB001", "2", Decimal("410.00")),
        ("SPB003", "3", Decimal("130.00")),
    ]

    with page.expect_download() as download_info:
        page.click("[data-testid=board-csv]")
    download = download_info.value
    assert download.suggested_filename == "leaderboard-average_receipt-2026-10.csv"
    text = download.path().read_bytes().decode("utf-8-sig")
    exported = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert exported[0][4] == "Средний чек, ₽"
    assert [(r[1], r[0], _number(r[4])) for r in exported[1:]] == shown

    board = parse_qs(urlsplit(page.url).query)
    csv_link = parse_qs(urlsplit(page.get_attribute("[data-testid=board-csv]", "href")).query)
    pdf_link = parse_qs(urlsplit(page.get_attribute("[data-testid=board-pdf]", "href")).query)
    assert pdf_link == {k: v for k, v in csv_link.items() if k != "format"}
    assert pdf_link["kpi"] == ["average_receipt"] and pdf_link["month"] == ["2026-10"]
    assert pdf_link["region"] == board["region"] == ["N"]
