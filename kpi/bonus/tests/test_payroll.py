"""The payroll files of a locked statement (XLSX and CSV) and a store's PDF: the rows are
the locked lines exactly, amounts to the kopeck, nothing before the lock, no formula."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from kpi.bonus.choices import StatementEventKind
from kpi.bonus.services.statements import statement_approve, statement_draft, statement_open
from kpi.bonus.tests.factories import OCTOBER, chain, scheme
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db
D = Decimal
PENETRATIONS = [80, 75, 70, 60, 55, 50, 45, 40]
FORMULA = "=cmd|' /C calc'!A0"


def _open(c, **overrides):
    s = scheme(c.hq, [c.region], accrual_code="2000", deduction_code="2010", **overrides)
    (statement,) = statement_draft(actor=c.hq, scheme=s, period=OCTOBER)
    return statement_open(actor=c.hq, statement=statement)


def _lock(c, statement):
    statement = statement_approve(actor=c.regional, statement=statement)
    return statement_approve(actor=c.hq_second, statement=statement)


def _expected(statement) -> list[tuple]:
    """The locked lines as payroll reads them: an accrual or a deduction code, positive."""
    return sorted(
        (
            line.personnel_number,
            line.name,
            line.store.code,
            "2026-10",
            "2000" if line.amount > 0 else "2010",
            abs(line.amount),
        )
        for line in statement.lines.select_related("store")
    )


def _get(client, user, statement, **query):
    client.force_login(user)
    return client.get(reverse("bonus:statement_payroll", args=[statement.pk]), query)


def test_the_xlsx_rows_are_the_locked_lines_exactly_with_a_total_per_code(client):
    # Given a locked October: 12 people lose 3,000 ₽, 12 share the 36,000 ₽
    c = chain(PENETRATIONS)
    statement = _lock(c, _open(c))

    # When HQ downloads the payroll file
    response = _get(client, c.hq, statement)

    # Then its rows are the locked lines, amounts to the kopeck, and a total per code
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert f"scheme-{statement.scheme_id}" in response["Content-Disposition"]
    assert "2026-10.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2))
    body, totals = rows[:24], rows[24:]
    read = sorted(
        (*(cell.value for cell in row[:5]), D(str(row[5].value)).quantize(D("0.01")))
        for row in body
    )
    assert read == _expected(statement)
    assert {row[5].number_format for row in rows} == {"0.00"}
    assert [(row[4].value, D(str(row[5].value))) for row in totals] == [
        ("2000", D("36000.00")),
        ("2010", D("36000.00")),
    ]


def test_the_csv_rows_are_the_locked_lines_with_two_decimal_places(client):
    c = chain(PENETRATIONS)
    statement = _lock(c, _open(c))

    response = _get(client, c.hq_second, statement, format="csv")

    text = response.content.decode().lstrip("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].endswith('2026-10.csv"')
    assert len(header) == 6
    assert all(row[5] in ("3000.00",) for row in rows)
    assert sorted((*row[:5], D(row[5])) for row in rows) == _expected(statement)


def test_every_download_is_recorded(client):
    c = chain(PENETRATIONS)
    statement = _lock(c, _open(c))

    _get(client, c.hq, statement)
    _get(client, c.hq, statement, format="csv")

    formats = list(
        statement.events.filter(kind=StatementEventKind.EXPORTED)
        .order_by("at", "pk")
        .values_list("payload__format", flat=True)
    )
    assert formats == ["xlsx", "csv"]


def test_there_is_no_payroll_file_before_the_lock(client):
    c = chain(PENETRATIONS)
    statement = _open(c)
    admin = person(Role.ADMIN, is_superuser=True)

    assert _get(client, c.hq_second, statement).status_code == 403
    assert _get(client, admin, statement, format="csv").status_code == 403
    statement = statement_approve(actor=c.regional, statement=statement)
    assert _get(client, c.hq_second, statement).status_code == 403
    assert not statement.events.filter(kind=StatementEventKind.EXPORTED).exists()


def test_only_hq_downloads_the_payroll_file(client):
    c = chain(PENETRATIONS)
    statement = _lock(c, _open(c))

    assert _get(client, c.regional, statement).status_code == 403
    assert _get(client, c.staff[c.stores[7].pk][0], statement).status_code == 403
    assert _get(client, c.staff[c.stores[7].pk][1], statement).status_code == 404
    assert _get(client, c.hq, statement, format="pdf").status_code == 404


def test_a_name_that_looks_like_a_formula_stays_text(client):
    c = chain(PENETRATIONS)
    seller = c.staff[c.stores[7].pk][1]
    seller.last_name = FORMULA
    seller.save(update_fields=["last_name"])
    statement = _lock(c, _open(c))

    xlsx = load_workbook(io.BytesIO(_get(client, c.hq, statement).content)).active
    text = _get(client, c.hq, statement, format="csv").content.decode()

    names = [row[1] for row in xlsx.iter_rows(min_row=2) if FORMULA in str(row[1].value)]
    assert names and all(cell.data_type == "s" for cell in names)
    assert f";{FORMULA}" not in text and f"'{FORMULA}" in text


def _pdf_text(response) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_stores_pdf_shows_its_rank_its_rules_and_each_persons_line(client):
    c = chain(PENETRATIONS)
    statement = _open(c)
    store = c.stores[7]
    manager = c.staff[store.pk][0]
    client.force_login(manager)

    response = client.get(reverse("bonus:statement_store_pdf", args=[statement.pk, store.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response).split())
    with translation.override("ru"):
        rank = gettext("%(rank)s of %(ranked)s") % {"rank": 8, "ranked": 8}
    assert rank in text and store.code in text
    for line in statement.lines.filter(store=store):
        assert line.personnel_number in text


def test_a_stores_pdf_is_for_its_manager_the_region_and_hq(client):
    c = chain(PENETRATIONS)
    statement = _open(c)
    store = c.stores[7]
    url = reverse("bonus:statement_store_pdf", args=[statement.pk, store.pk])

    for who, expected in (
        (c.staff[store.pk][0], 200),
        (c.staff[c.stores[0].pk][0], 404),  # another store's manager
        (c.staff[store.pk][1], 404),  # a seller
        (c.regional, 200),
        (c.hq, 200),
        (person(Role.REGIONAL_MANAGER), 404),  # another region's manager
        (person(Role.CALL_CENTER_SUPERVISOR), 404),
        (person(Role.AUDITOR), 404),
    ):
        client.force_login(who)
        assert client.get(url).status_code == expected, who.role
