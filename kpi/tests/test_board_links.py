"""Every export and drill-down link of a non-default board (another month, another KPI,
another region) shows the figures of that board, not of the default one."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from pypdf import PdfReader

from kpi.tests.factories import receipts_file
from portal.org.choices import Role
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db

OCTOBER, NOVEMBER = (
    (date(2026, 10, 12), date(2026, 10, 19)),
    (date(2026, 11, 9), date(2026, 11, 23)),
)
# Store: (October average receipt, November average receipt); 40 receipts a day each.
AMOUNTS = {
    "N1": ("410,00", "120,00"),
    "N2": ("520,00", "330,00"),
    "N3": ("130,00", "640,00"),
    "S1": ("950,00", "150,00"),
}
BOARD = {"period": "month", "month": "2026-10", "kpi": "average_receipt", "region": "N"}


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.KPI_MIN_RECEIPTS_PER_DAY = 1


@pytest.fixture
def chain(load):
    """Three stores in the north, one in the south, with October and November receipts
    whose averages rank the stores differently; November is the default board."""
    north, south = RegionFactory(code="N", name="Север"), RegionFactory(code="S", name="Юг")
    for code, (october, november) in AMOUNTS.items():
        StoreFactory(code=code, region=south if code == "S1" else north)
        for days, amount in ((OCTOBER, october), (NOVEMBER, november)):
            for day in days:
                load(receipts_file(code, day, receipts=40, identified=10, amount=amount))
    return north, south


def _number(text: str) -> Decimal:
    """A figure as a page or a file writes it ("1 234,50 ₽", "75,0 %", "75.0")."""
    cleaned = re.sub(r"[^\d,.\-−]", "", text).replace(",", ".").replace("−", "-")
    return Decimal(cleaned)


def _board_rows(html: str) -> list[tuple[str, str, Decimal]]:
    """(store code, rank, value) of every ranked row of a leaderboard page."""
    soup = BeautifulSoup(html, "html.parser")
    return [
        (row["data-code"], row["data-rank"], _number(row.find_all("td")[4].get_text()))
        for row in soup.select("[data-testid=board-row]")
    ]


def _link(html: str, testid: str, base: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    return urljoin(base, soup.select_one(f"[data-testid={testid}]")["href"])


def _params(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


@pytest.fixture
def board(client, chain):
    client.force_login(person(Role.LP_MANAGER))
    url = reverse("kpi:leaderboard")
    page = client.get(url, BOARD)
    assert page.status_code == 200
    base = f"{url}?{page.wsgi_request.GET.urlencode()}"
    return base, page.content.decode()


def test_the_board_shows_the_month_kpi_and_region_asked_for(board):
    _base, html = board

    assert _board_rows(html) == [
        ("N2", "1", Decimal("520.00")),
        ("N1", "2", Decimal("410.00")),
        ("N3", "3", Decimal("130.00")),
    ]


def test_the_csv_link_exports_the_board_on_the_page(client, board):
    base, html = board

    link = _link(html, "board-csv", base)
    exported = client.get(link)
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))

    assert _params(link) == {k: [v] for k, v in BOARD.items()} | {"format": ["csv"]}
    assert exported["Content-Disposition"].endswith('leaderboard-average_receipt-2026-10.csv"')
    assert rows[0][4] == "Средний чек, ₽"  # the unit in the header, plain numbers below
    assert [(r[1], r[0], _number(r[4])) for r in rows[1:]] == _board_rows(html)


def test_the_pdf_link_prints_the_board_on_the_page(client, board):
    base, html = board

    link = _link(html, "board-pdf", base)
    printed = client.get(link)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)

    assert _params(link) == {k: [v] for k, v in BOARD.items()}
    assert printed["Content-Disposition"].endswith('leaderboard-average_receipt-N-2026-10.pdf"')
    assert "Средний чек: Север" in text and "Октябрь 2026" in text
    assert "S1" not in text and "Ноябрь 2026" not in text
    printed_rows = re.findall(r"^(\d+) (N\d) [^₽]*?(\d+,\d\d)\s₽", text, flags=re.MULTILINE)
    assert [(code, rank, _number(value)) for rank, code, value in printed_rows] == _board_rows(html)


def test_every_store_link_opens_the_store_on_the_same_kpi_and_month(client, board):
    base, html = board
    soup = BeautifulSoup(html, "html.parser")
    links = [urljoin(base, a["href"]) for a in soup.select("[data-testid=store-link]")]
    assert len(links) == 3

    for (code, rank, value), link in zip(_board_rows(html), links, strict=True):
        store = BeautifulSoup(client.get(link).content.decode(), "html.parser")

        assert _params(link) == {"period": ["month"], "month": ["2026-10"], "kpi": [BOARD["kpi"]]}
        assert store.select_one("#f-kpi option[selected]")["value"] == "average_receipt"
        assert store.select_one("#f-month")["value"] == "2026-10"
        assert "Октябрь 2026" in store.select_one("[data-testid=scorecard] thead").get_text()
        figure = store.select_one("[data-testid=scorecard] tr[data-kpi=average_receipt]")
        assert _number(figure.find_all("td")[1].get_text()) == value
        region_place = store.select("[data-testid=place-rank]")[0].get_text()
        assert region_place.split()[0] == rank, code


def test_the_store_page_links_back_to_its_board_and_exports_the_chosen_kpi(client, board):
    base, html = board
    store_link = _link(html, "store-link", base)
    store_html = client.get(store_link).content.decode()

    back = client.get(_link(store_html, "to-board", store_link))
    trend_link = _link(store_html, "trend-csv", store_link)
    trend = list(
        csv.reader(io.StringIO(client.get(trend_link).content.decode("utf-8-sig")), delimiter=";")
    )

    assert _board_rows(back.content.decode()) == _board_rows(html)
    assert trend[0][3] == "Средний чек, ₽"
    weeks = {row[0]: row[3] for row in trend[1:]}
    assert list(weeks)[-1] == "2026-W44"  # the trend ends with October's last week
    assert _number(weeks["2026-W42"]) == Decimal("520.00")  # N2's October average
