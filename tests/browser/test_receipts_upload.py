"""A regional manager loads a cp1251, `;`-separated POS file in the browser and reads the
import report: it waits for approval and the board says so; an LP manager approves it
and the leaderboard changes; a file with one bad row writes nothing and names the row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kpi.models import Receipt
from kpi.tests.factories import receipts_file
from portal.org.choices import Role
from portal.org.tests.factories import PASSWORD, RegionFactory, StoreFactory, person

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def region(live_server, settings, django_capture_on_commit_callbacks):
    from kpi.services import receipts_import
    from portal.org.services import person_access_sync

    settings.KPI_MIN_RECEIPTS_PER_DAY = 1
    north = RegionFactory(code="N", name="Северо-Запад")
    StoreFactory(code="SPB001", name="Невский", region=north)
    StoreFactory(code="SPB002", name="Лиговский", region=north)
    manager = person(Role.REGIONAL_MANAGER, store=None, region=north, email="rm@example.ru")
    person_access_sync(person=manager)
    lp = person(Role.LP_MANAGER, store=None, region=None, email="lp@example.ru")
    person_access_sync(person=lp)
    day = timezone.localdate() - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        receipts_import(
            actor=None, content=receipts_file("SPB002", day, receipts=40, identified=20)
        )
    return live_server.url, manager, day


def test_upload_report_and_leaderboard(page, region, tmp_path, screenshot_dir):
    base_url, manager, day = region
    secret = login(page, base_url, manager.email, PASSWORD)
    page.goto(f"{base_url}/kpi/")
    expect(page.locator("[data-testid=board-row]")).to_have_count(1)
    expect(page.locator("[data-testid=unranked]")).to_contain_text("SPB001")

    bad = tmp_path / "чеки-с-ошибкой.csv"
    bad.write_bytes(
        receipts_file("SPB001", day, receipts=30, identified=27)
        + f"SPB001;X-1;{day:%d.%m.%Y} 12:00;-150,00;2;;;0;0;0\n".encode("cp1251")
    )
    page.goto(f"{base_url}/kpi/imports/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("[data-testid=receipts-submit]")
    errors = page.locator("[data-testid=import-error]")
    expect(errors).to_have_count(1)
    expect(errors.first).to_have_attribute("data-line", "32")
    expect(errors.first).to_contain_text("сумма")  # the column as the file names it
    assert_accessible(page, what="kpi-upload-rejected")
    page.screenshot(path=str(screenshot_dir / "kpi-upload-rejected.png"), full_page=True)
    assert not Receipt.objects.filter(store__code="SPB001").exists()

    good = tmp_path / "чеки.csv"
    good.write_bytes(receipts_file("SPB001", day, receipts=30, identified=27))
    page.set_input_files("input[name=file]", str(good))
    page.click("[data-testid=receipts-submit]")
    expect(page.locator("[data-testid=report-rows]")).to_have_text("30")
    expect(page.locator("[data-testid=report-inserted]")).to_have_text("30")
    expect(page.locator("[data-testid=import-pending]")).to_be_visible()
    assert_accessible(page, what="kpi-upload-report")
    page.screenshot(path=str(screenshot_dir / "kpi-upload-report.png"), full_page=True)
    batch_url = page.url
    page.goto(f"{base_url}/kpi/")
    expect(page.locator("[data-testid=pending-receipts]")).to_be_visible()
    expect(page.locator("[data-testid=board-row]")).to_have_count(1)  # not counted yet

    # An LP manager approves it from the batch page.
    page.context.clear_cookies()
    login(page, base_url, "lp@example.ru", PASSWORD)
    page.goto(batch_url)
    page.click("[data-testid=batch-approve]")
    expect(page.locator("[data-testid=import-report]")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "kpi-upload-approved.png"), full_page=True)
    page.context.clear_cookies()
    login(page, base_url, manager.email, PASSWORD, totp_secret=secret)
    page.goto(batch_url)

    page.click("[data-testid=to-leaderboard]")
    rows = page.locator("[data-testid=board-row]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_have_attribute("data-code", "SPB001")  # 90% beats 50%
    expect(rows.first).to_have_attribute("data-rank", "1")
    expect(page.locator("[data-testid=board-chart] svg")).to_be_visible()
    assert_accessible(page, what="kpi-leaderboard")
    page.screenshot(path=str(screenshot_dir / "kpi-leaderboard.png"), full_page=True)

    # Drill down: the store's place, the gap to the next place and its weekly trend.
    rows.nth(1).locator("a").click()
    expect(page.locator("[data-testid=place-rank]").first).to_contain_text("2")
    expect(page.locator("[data-testid=place-gap]").first).to_contain_text("+40,0\u00a0п.п.")
    expect(page.locator("[data-testid=trend-chart] svg circle")).to_have_count(1)
    assert_accessible(page, what="kpi-store")
    page.screenshot(path=str(screenshot_dir / "kpi-store.png"), full_page=True)


def test_the_leaderboard_fits_a_phone(phone, region, screenshot_dir):
    base_url, manager, _day = region
    login(phone, base_url, manager.email, PASSWORD)
    phone.goto(f"{base_url}/kpi/")
    expect(phone.locator("[data-testid=board-row]")).to_have_count(1)
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert_accessible(phone, what="kpi-leaderboard-phone")
    phone.screenshot(path=str(screenshot_dir / "kpi-leaderboard-phone.png"), full_page=True)
    assert overflow <= 0
