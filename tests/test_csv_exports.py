"""Every CSV the portal hands out is safe to open in Excel: no cell a spreadsheet would
run as a formula (OWASP CSV injection), whatever staff, stores or questions contain."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from portal.exports import FORMULA_STARTS, csv_cell, csv_cell_restore
from portal.org.choices import Role
from portal.sop.tests.factories import publish_sop
from training.models import Question
from training.tests.factories import sample_exam

PAYLOAD = "=cmd|' /C calc'!A0"
NEUTRALISED = "'" + PAYLOAD

# (url name, args, query, where the payload is: a store name, a surname, a question)
EXPORTS = [
    ("org:store_list_csv", [], {}, "store"),
    ("org:store_people", ["A1"], {"format": "csv"}, "surname"),
    ("org:import_template", ["stores"], {}, None),
    ("org:import_template", ["people"], {}, None),
    ("kpi:leaderboard", [], {"format": "csv", "region": "all"}, "store"),
    ("kpi:store", ["A1"], {"format": "csv"}, None),
    ("sop:compliance", [], {"format": "csv"}, "store"),
    ("sop:compliance_region", ["RA"], {"format": "csv"}, "store"),
    ("sop:compliance_store", ["A1"], {"format": "csv"}, "surname"),
    ("training:coverage", [], {"format": "csv"}, "store"),
    ("training:store_report", ["A1"], {"format": "csv"}, "surname"),
    ("training:bank", [], {"format": "csv"}, "question"),
]


@pytest.fixture
def poisoned(world):
    """A store, a seller and a question whose text is a formula, as an HR file or an
    author could have left them."""
    world.store_a1.name = PAYLOAD
    world.store_a1.save(update_fields=["name"])
    world.colleague_a1.last_name = PAYLOAD
    world.colleague_a1.save(update_fields=["last_name"])
    sample_exam()
    Question.objects.filter(pk=Question.objects.order_by("pk").first().pk).update(text=PAYLOAD)
    publish_sop(roles=[Role.STORE_STAFF], stores=[world.store_a1])
    return world


def _cells(response) -> list[str]:
    text = response.content.decode(response.charset or "utf-8").lstrip("\ufeff")
    return [cell for row in csv.reader(io.StringIO(text), delimiter=";") for cell in row]


@pytest.mark.parametrize(("name", "args", "query", "holds"), EXPORTS)
def test_no_export_hands_a_formula_to_a_spreadsheet(client, poisoned, name, args, query, holds):
    client.force_login(poisoned.people[Role.ADMIN])

    response = client.get(reverse(name, args=args), query)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    cells = _cells(response)
    live = [c for c in cells if c.startswith(FORMULA_STARTS) and csv_cell(c) != c]
    assert live == []
    if holds:  # a surname leads the full name
        assert any(cell.startswith(NEUTRALISED) for cell in cells)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (PAYLOAD, NEUTRALISED),
        ("+7 999 123-45-67", "'+7 999 123-45-67"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("-12,5", "-12,5"),
        ("+3%", "+3%"),
        (-5, "-5"),
        (None, ""),
        ("Иванова", "Иванова"),
    ],
)
def test_text_that_starts_a_formula_is_written_as_text_and_numbers_stay_numbers(value, written):
    assert csv_cell(value) == written


def test_a_neutralised_cell_reads_back_as_it_was():
    for value in (PAYLOAD, "-2+3", "Иванова", "'quoted"):
        assert csv_cell_restore(csv_cell(value)) == value
