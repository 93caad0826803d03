"""The KPI registry: every KPI declared once (formula, unit, LP-only, label) and written
by one formatter on the page, in the chart, in the PDF and in the CSV."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from kpi.choices import KpiCode
from kpi.metrics import BY_CODE, KPIS, RANKED, Totals
from kpi.models import Plan
from kpi.tests.factories import receipts_file
from portal.numbers import Kind
from portal.org.choices import Role
from portal.org.tests.factories import StoreFactory, person

TOTALS = Totals(receipts=8, identified=6, turnover=Decimal("1000.50"), items=25, card_days=4)


def test_every_kpi_code_has_exactly_one_declaration():
    codes = Counter(kpi.code for kpi in KPIS)

    assert set(codes) == set(KpiCode.values) and max(codes.values()) == 1
    assert [(k.code, str(k.label)) for k in KPIS] == [
        (c, str(label)) for c, label in KpiCode.choices
    ]
    assert all(kpi.definition and kpi.unit in Kind for kpi in KPIS)


def test_the_formula_is_a_ratio_of_store_day_sums_in_the_kpis_unit():
    assert BY_CODE["penetration"].of(TOTALS) == Decimal("75.0")  # 6 of 8, in percent
    assert BY_CODE["average_receipt"].of(TOTALS) == Decimal("125.06")  # 125.0625, half up
    assert BY_CODE["items_per_receipt"].of(TOTALS) == Decimal("3.13")  # 3.125, half up
    assert BY_CODE["receipts_per_participant"].of(TOTALS) == Decimal("1.50")
    assert BY_CODE["contact_capture"].of(TOTALS) is None  # no new members: nothing to divide
    # Only store-day KPIs are ranked; the others count cards from the receipts.
    assert {k.code for k in KPIS} - {k.code for k in RANKED} == {
        "active_participants",
        "participant_growth",
    }
    with pytest.raises(ValueError, match="active_participants"):
        BY_CODE["active_participants"].of(TOTALS)


def test_lp_only_kpis_are_those_about_the_programme():
    assert {k.code for k in KPIS if k.lp_only} == {
        "penetration",
        "contact_capture",
        "lp_turnover_share",
        "average_lp_receipt",
        "receipts_per_participant",
    }


@pytest.mark.parametrize(
    ("code", "value", "change", "ru", "en", "ru_change", "raw"),
    [
        ("penetration", "75", "2.5", "75,0\u00a0%", "75.0%", "+2,5\u00a0п.п.", "75.0"),
        (
            "average_receipt",
            "1234.5",
            "-20",
            "1\u00a0234,50\u00a0₽",
            "1,234.50 ₽",
            "−20,00\u00a0₽",
            "1234.50",
        ),
        ("items_per_receipt", "3.5", "0", "3,50", "3.50", "±0,00", "3.50"),
        ("active_participants", 1500, 20, "1\u00a0500", "1,500", "+20", "1500"),
    ],
)
def test_each_kpi_reads_in_both_languages(code, value, change, ru, en, ru_change, raw):
    kpi = BY_CODE[code]
    value = Decimal(value) if isinstance(value, str) else value
    change = Decimal(change) if isinstance(change, str) else change
    with translation.override("ru"):
        assert (kpi.format(value), kpi.format_change(change), kpi.raw(value)) == (
            ru,
            ru_change,
            raw,
        )
    with translation.override("en"):
        assert (kpi.format(value), kpi.raw(value)) == (en, raw)


@pytest.mark.django_db
def test_the_english_board_writes_a_share_the_same_in_table_chart_pdf_and_csv(
    client, load, settings
):
    """The bug: the English chart showed «75,0%» beside «75.00 %» in the table."""
    day = date(2026, 10, 14)
    for code, identified in (("S1", 15), ("S2", 10)):
        StoreFactory(code=code)
        load(receipts_file(code, day, receipts=20, identified=identified))
    Plan.objects.create(kpi="penetration", starts_on=day, ends_on=day, target=Decimal("80"))
    client.force_login(person(Role.LP_MANAGER))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    query = {"period": "custom", "start": day.isoformat(), "end": day.isoformat()}
    settings.KPI_MIN_RECEIPTS_PER_DAY = 1

    page = BeautifulSoup(client.get(reverse("kpi:leaderboard"), query).content, "html.parser")
    exported = client.get(reverse("kpi:leaderboard"), query | {"format": "csv"})
    printed = client.get(reverse("kpi:leaderboard_pdf"), query)

    row = page.select_one("[data-testid=board-row][data-code=S1]")
    chart = [t.get_text() for t in page.select("[data-testid=board-chart] svg text")]
    assert row.find_all("td")[4].get_text() == "75.0%"
    assert row.find_all("td")[5].get_text() == "80.0%"  # the plan, same unit and format
    assert "75.0%" in chart and "50.0%" in chart
    assert not any(re.search(r"\d,\d", text) for text in chart)  # no Russian comma in English

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)
    assert "75.0%" in text and "75,0" not in text

    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][1] == "S1" and rows[1][4:7] == ["75.0", "80.0", "93.8"]  # plain numbers
