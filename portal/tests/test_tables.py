"""A table described once (portal.tables) renders the same columns and values as HTML,
as a PDF and as CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader

from portal.numbers import Kind
from portal.pdf import render_pdf
from portal.tables import Column, Icon, Table, value_at


@dataclass
class Place:
    code: str
    name: str


@dataclass
class Line:
    place: Place
    share: Decimal | None
    change: Decimal | None
    amount: Decimal
    people: int


LINES = [
    Line(Place("A1", "Арбат"), Decimal("75.04"), Decimal("2.25"), Decimal("1234.5"), 1200),
    Line(Place("B2", "=Бутово"), None, Decimal("-1.5"), Decimal("80"), 7),
]


def _table() -> Table:
    return Table(
        [
            Column("place.code", "Код", link=lambda line: f"/places/{line.place.code}/"),
            Column("place.name", "Название", narrow=False),
            Column(
                "share",
                "Доля",
                Kind.PERCENT,
                icon=lambda line: Icon("bi-star", "text-success", "лучший") if line.share else None,
            ),
            Column("change", "Изменение", Kind.POINTS, signed=True),
            Column("amount", "Сумма", Kind.MONEY),
            Column("people", "Люди", Kind.COUNT),
        ],
        LINES,
        row_attrs=lambda line: {"data-code": line.place.code, "class": ""},
        testid="places",
    )


def _html_cells(html: str) -> tuple[list[str], list[list[str]]]:
    soup = BeautifulSoup(html, "html.parser")
    table = soup.select_one("[data-testid=places]")
    header = [th.get_text() for th in table.select("thead th")]
    return header, [
        [td.get_text().strip() for td in tr.select("td")] for tr in table.select("tbody tr")
    ]


EXPECTED = [
    ["A1", "Арбат", "75,0\u00a0%", "+2,3\u00a0п.п.", "1\u00a0234,50\u00a0₽", "1\u00a0200"],
    ["B2", "=Бутово", "—", "−1,5\u00a0п.п.", "80,00\u00a0₽", "7"],
]


def test_the_page_shows_the_columns_formatted_for_people():
    with translation.override("ru"):
        html = render_to_string("includes/table.html", {"table": _table()})
    header, rows = _html_cells(html)
    soup = BeautifulSoup(html, "html.parser")

    assert header == ["Код", "Название", "Доля", "Изменение", "Сумма", "Люди"]
    assert rows == EXPECTED
    assert soup.select_one("tr[data-code=A1] a")["href"] == "/places/A1/"
    assert "class" not in soup.select_one("tr[data-code=A1]").attrs  # empty attributes dropped
    assert soup.select("tr[data-code=A1] td")[1]["class"] == [
        "text-start",
        "d-none",
        "d-md-table-cell",
    ]
    assert soup.select("tr[data-code=A1] td")[2]["class"] == ["text-end"]
    assert soup.select_one("tr[data-code=A1] i.bi-star")["title"] == "лучший"
    assert soup.select_one("tr[data-code=B2] i") is None


def test_the_pdf_prints_the_same_columns_and_values():
    with translation.override("ru"):
        pdf = render_pdf("pdf/table.html", {"table": _table(), "title": "Места"})
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    words = " ".join(text.replace("\u00a0", " ").split())

    assert words.startswith("Места Код Название Доля Изменение Сумма Люди")
    for row in EXPECTED:
        assert " ".join(row).replace("\u00a0", " ") in words


def test_the_csv_has_the_same_columns_with_units_in_the_header_and_plain_values():
    with translation.override("ru"):
        response = _table().csv_response("places.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))

    assert rows == [
        ["Код", "Название", "Доля, %", "Изменение, п.п.", "Сумма, ₽", "Люди"],
        ["A1", "Арбат", "75.0", "2.3", "1234.50", "1200"],
        ["B2", "'=Бутово", "", "-1.5", "80.00", "7"],  # a formula is neutralised
    ]


def test_a_path_through_a_missing_object_is_empty():
    assert value_at({"a": {"b": 1}}, "a.b") == 1
    assert value_at(LINES[0], "place.code") == "A1"
    assert value_at(Line(None, None, None, Decimal(0), 0), "place.code") is None
