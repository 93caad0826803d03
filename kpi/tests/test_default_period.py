"""The default board early in a month: the last complete month until the running one has
`KPI_RUNNING_PERIOD_MIN_DAYS` days of receipts, said on the page with a link to the running
one; the dashboards' top and bottom three read the same month."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from kpi.dashboard import board_panel, store_place_panel
from kpi.periods import MONTH, WEEK, DefaultPeriod, default_period, month_of, week_of
from kpi.tests.factories import receipts_file
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db

OCTOBER = (date(2026, 10, 10), date(2026, 10, 20))
CODES = ["N1", "N2", "N3", "N4", "N5", "N6"]


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.KPI_MIN_RECEIPTS_PER_DAY = 1
    settings.KPI_RUNNING_PERIOD_MIN_DAYS = 7


@pytest.fixture
def chain(load):
    """Six stores of one region with October receipts (more identified the higher the
    number) and a few receipts on the first days of November."""
    north = RegionFactory(code="N", name="Север")
    for n, code in enumerate(CODES, 1):
        StoreFactory(code=code, region=north)
        for day in OCTOBER:
            load(receipts_file(code, day, receipts=40, identified=5 * n))

    def november(*days: int) -> None:
        for code in CODES:
            for day in days:
                load(receipts_file(code, date(2026, 11, day), receipts=5, identified=1, tag="d"))

    return north, november


def _page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.mark.parametrize(("days", "said"), [((1,), "пока 1 день с чеками"), ((1, 2), "2 дня")])
def test_early_in_a_month_the_board_shows_the_last_complete_month(client, chain, days, said):
    _north, november = chain
    november(*days)
    client.force_login(person(Role.LP_MANAGER))

    page = _page(client, reverse("kpi:leaderboard"))

    notice = page.select_one("[data-testid=running-period]").get_text(" ", strip=True)
    assert "Показан последний полный период — Октябрь 2026" in notice
    assert "Ноябрь 2026" in notice and said in notice
    assert page.select_one("#f-month")["value"] == "2026-10"
    assert [row["data-code"] for row in page.select("[data-testid=board-row]")] == CODES[::-1]


def test_the_running_month_is_one_click_away(client, chain):
    _north, november = chain
    november(1)
    client.force_login(person(Role.LP_MANAGER))
    board = reverse("kpi:leaderboard")

    link = _page(client, board).select_one("[data-testid=running-period-link]")["href"]
    running = _page(client, urljoin(board, link))

    assert parse_qs(urlsplit(link).query)["month"] == ["2026-11"]
    assert running.select_one("#f-month")["value"] == "2026-11"
    assert running.select_one("[data-testid=running-period]") is None


def test_the_running_month_is_shown_once_it_has_enough_days(client, chain):
    _north, november = chain
    november(1, 7)
    client.force_login(person(Role.LP_MANAGER))

    page = _page(client, reverse("kpi:leaderboard"))

    assert page.select_one("#f-month")["value"] == "2026-11"
    assert page.select_one("[data-testid=running-period]") is None


def test_with_nothing_before_it_the_running_month_is_shown(client, load):
    StoreFactory(code="N1")
    load(receipts_file("N1", date(2026, 11, 1), receipts=40, identified=10))
    client.force_login(person(Role.LP_MANAGER))

    page = _page(client, reverse("kpi:leaderboard"))

    assert page.select_one("#f-month")["value"] == "2026-11"


def test_the_store_page_defaults_to_the_same_month(client, chain):
    _north, november = chain
    november(1)
    client.force_login(person(Role.STORE_STAFF, store=Store.objects.get(code="N2")))

    page = _page(client, reverse("kpi:store", args=["N2"]))

    assert page.select_one("#f-month")["value"] == "2026-10"
    assert page.select_one("[data-testid=running-period]") is not None
    assert page.select("[data-testid=place-rank]")[0].get_text().split()[0] == "5"


def test_dashboards_rank_the_same_month(chain):
    north, november = chain
    november(1)

    board = board_panel(person(Role.REGIONAL_MANAGER, region=north))
    place = store_place_panel(person(Role.STORE_STAFF, store=Store.objects.get(code="N2")))

    assert board["period"] == month_of(date(2026, 10, 1)) == place["period"]
    assert board["ranked"] == 6
    assert [r.store.code for r in board["top"]] == ["N6", "N5", "N4"]
    assert [r.store.code for r in board["bottom"]] == ["N3", "N2", "N1"]
    assert (place["row"].rank, place["of"]) == (5, 6)


@pytest.mark.parametrize(
    ("kind", "latest", "shown", "running_days"),
    [
        (MONTH, date(2026, 12, 1), month_of(date(2026, 11, 1)), 1),
        (MONTH, date(2026, 12, 6), month_of(date(2026, 11, 1)), 6),
        (MONTH, date(2026, 12, 7), month_of(date(2026, 12, 1)), 0),
        (WEEK, date(2026, 12, 2), week_of(date(2026, 11, 23)), 3),  # a Wednesday
        (WEEK, date(2026, 12, 6), week_of(date(2026, 11, 30)), 0),  # the week's Sunday
    ],
)
def test_the_default_is_the_running_period_once_it_has_enough_days(
    kind, latest, shown, running_days
):
    chosen = default_period(kind, latest_day=latest, min_days=7)

    assert chosen.shown == shown
    assert chosen.running_days == running_days
    assert chosen == DefaultPeriod(shown) or chosen.running == shown.shifted(1)
