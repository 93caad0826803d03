"""Question-bank imports: capped in size, any unreadable file named (never a server
error), XML parsed safely; the CSV export neutralises formulas and still round-trips."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from portal.exports import csv_response
from portal.org.choices import Role
from portal.org.tests.factories import person
from training.bank_csv import COLUMNS, questions_from_csv, questions_to_rows
from training.models import Question
from training.moodle import MoodleRejected, QuestionData, questions_from_xml
from training.services.bank import questions_import_csv
from training.tests.factories import sample_bank

pytestmark = pytest.mark.django_db

CSV_HEADER = "category;type;name;question;feedback;answers\n"
GOOD_ROW = "Бонусы;truefalse;Бонусы сразу;Бонусы начисляются сразу?;;false\n"


@pytest.fixture
def lp_client(client):
    client.force_login(person(Role.LP_MANAGER))
    return client


def _post(client, name: str, content: bytes) -> str:
    with translation.override("ru"):
        page = client.post(reverse("training:bank"), {"file": SimpleUploadedFile(name, content)})
    assert page.status_code == 200
    return page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (
            "bank.csv",
            (
                CSV_HEADER + GOOD_ROW + "Бонусы;truefalse;Длинный;" + "x" * 1_048_576 + ";;true\n"
            ).encode(),
            "длиннее 131072 символов",
        ),
        ("bank.csv", bytes(range(256)) * 64, "UTF-8 или Windows-1251"),
        ("bank.xml", bytes(range(256)) * 64, "XML"),
    ],
    ids=["csv-megabyte-field", "csv-binary", "xml-binary"],
)
def test_an_unreadable_bank_file_is_named_on_the_page_and_logged(
    lp_client, caplog, name, content, reason
):
    with caplog.at_level(logging.WARNING, logger="portal.imports"):
        body = _post(lp_client, name, content)

    assert 'data-testid="bank-errors"' in body and reason in body
    assert "import rejected: kind=question_bank" in caplog.text
    assert Question.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=1024)
@pytest.mark.parametrize("name", ["bank.csv", "bank.xml"])
def test_a_bank_file_over_the_size_setting_is_refused_with_the_limit(lp_client, name):
    body = _post(lp_client, name, b"<quiz>" + b" " * 2048 + b"</quiz>")

    assert "больше 0.000976562 МБ" in body
    assert Question.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=1024)
def test_the_readers_themselves_refuse_a_file_over_the_size_setting():
    for read in (questions_from_csv, questions_from_xml):
        with pytest.raises(MoodleRejected):
            read(b"<quiz>" + b" " * 2048 + b"</quiz>")


def test_xml_entities_are_refused():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>'
    )

    with pytest.raises(MoodleRejected):
        questions_from_xml(bomb)


def test_a_formula_in_a_question_is_exported_as_text_and_imported_back_unchanged():
    formula = QuestionData(
        "Бонусы",
        "numeric",
        "=HYPERLINK()",
        "=1+1",
        "",
        {"answer": "-5", "tolerance": "0", "unit": ""},
    )

    exported = csv_response("bank.csv", COLUMNS, questions_to_rows([formula]))
    exported = exported.content.decode("utf-8-sig")

    assert ";'=HYPERLINK();'=1+1;" in exported and "'-5 | 0 | " in exported
    (read,) = questions_from_csv(exported.encode())
    assert (read.name, read.text, read.data["answer"]) == ("=HYPERLINK()", "=1+1", "-5")


def test_the_bank_csv_export_imports_back_without_the_apostrophes(lp_client):
    sample_bank()
    first = Question.objects.order_by("pk").first()
    Question.objects.filter(pk=first.pk).update(text="=1+1")

    exported = lp_client.get(reverse("training:bank"), {"format": "csv"}).content
    questions_import_csv(actor=None, content=exported)

    assert "'=1+1" in exported.decode("utf-8-sig")
    assert Question.objects.get(family=first.family, is_current=True).text == "=1+1"
    assert not Question.objects.filter(text__startswith="'").exists()
