"""The certified-coverage report: its page and its CSV come from one table definition
(training.tables.coverage_table), so they list the same stores, columns and values."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from portal.org.choices import Role
from portal.org.tests.factories import StoreFactory, person
from training.services.attempts import answers_save, attempt_start, attempt_submit
from training.tests.factories import right_answer, sample_exam

pytestmark = pytest.mark.django_db


def _certify(seller, exam) -> None:
    attempt = attempt_start(person=seller, exam=exam)
    answers = {
        item.position: right_answer(item.question)
        for item in attempt.questions.select_related("question")
    }
    answers_save(person=seller, attempt=attempt, answers=answers)
    attempt_submit(person=seller, attempt=attempt)


def _plain(text: str) -> str:
    """A page cell as a file writes it: no grouping, a point, no unit; «—» is empty."""
    text = text.strip().replace("\u00a0%", "").replace("\u00a0", "")
    return "" if text == "—" else re.sub(r"(\d),(\d)", r"\1.\2", text)


def test_the_page_and_the_csv_show_the_same_coverage(client):
    exam = sample_exam()
    behind, ahead = StoreFactory(code="B1"), StoreFactory(code="A1")
    sellers = [person(Role.STORE_STAFF, store=ahead) for _ in range(3)]
    person(Role.STORE_STAFF, store=behind)
    _certify(sellers[0], exam)
    client.force_login(person(Role.LP_MANAGER))

    page = BeautifulSoup(client.get(reverse("training:coverage")).content, "html.parser")
    exported = client.get(reverse("training:coverage"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))

    shown = [
        [_plain(td.get_text()) for td in tr.select("td")]
        for tr in page.select("[data-testid=coverage-row]")
    ]
    header = [th.get_text() for th in page.select("[data-testid=coverage] thead th")]
    assert rows[0] == [h + (", %" if h == "Доля сертифицированных" else "") for h in header]
    assert rows[1:] == shown
    assert [(r[0], r[3], r[4], r[5]) for r in rows[1:]] == [
        ("B1", "1", "0", "0.0"),  # furthest behind first
        ("A1", "3", "1", "33.3"),  # 1 of 3, half up to one decimal
    ]
    link = page.select_one("[data-testid=coverage-row][data-code=A1] a")["href"]
    assert link == reverse("training:store_report", args=["A1"])
    assert Decimal(rows[2][5]) == Decimal("33.3")
