"""Moodle XML details the fixtures do not hold: partial credit, distractors, sanitising,
notes of what is kept or dropped, a file without a category block."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from training.bank_csv import COLUMNS, questions_from_csv, questions_to_rows
from training.moodle import read_moodle
from training.rich import render
from training.scoring import key_answer, score

QUIZ = """<?xml version="1.0" encoding="UTF-8"?><quiz>{}</quiz>"""

SHORT = """<question type="shortanswer"><name><text>Столица</text></name>
  <questiontext format="html"><text><![CDATA[<p>Столица Франции?<script>alert(1)</script>
  <img src="@@PLUGINFILE@@/map.png" onerror="x()"></p>]]></text></questiontext>
  <defaultgrade>2.0000000</defaultgrade><penalty>0.3333333</penalty><usecase>1</usecase>
  <answer fraction="100"><text>Париж</text>
    <feedback format="html"><text>Верно</text></feedback></answer>
  <answer fraction="80"><text>Pari*</text>
    <feedback format="html"><text>Почти</text></feedback></answer>
  <answer fraction="0"><text>*</text><feedback format="html"><text>Нет</text></feedback></answer>
  <hint format="html"><text>Это во Франции</text></hint>
</question>"""

MATCHING = """<question type="matching"><name><text>Пары</text></name>
  <questiontext format="html"><text>Сопоставьте</text></questiontext>
  <subquestion format="html"><text>Карта</text><answer><text>Бонусы</text></answer></subquestion>
  <subquestion format="html"><text>Чек</text><answer><text>Покупка</text></answer></subquestion>
  <subquestion format="html"><text></text><answer><text>Лишний ответ</text></answer></subquestion>
</question>"""


def test_short_answer_keeps_partial_credit_wildcards_and_feedback():
    read = read_moodle(QUIZ.format(SHORT).encode())
    (item,) = read.items
    answers = item.data["answers"]

    assert [(a["text"], a["fraction"]) for a in answers] == [
        ("Париж", 1.0),
        ("Pari*", 0.8),
        ("*", 0.0),
    ]
    assert score(item.qtype, item.data, {"value": "париж"}) == 1
    assert score(item.qtype, item.data, {"value": "Parigi"}) == Decimal("0.8")
    assert score(item.qtype, item.data, {"value": "Лондон"}) == 0
    assert key_answer(item.qtype, item.data) == {"value": "Париж"}


def test_html_is_sanitised_and_what_is_kept_or_dropped_is_said_per_question():
    read = read_moodle(QUIZ.format(SHORT).encode())
    (item,) = read.items

    assert "<script" not in item.text and "onerror" not in item.text
    assert '<img src="@@PLUGINFILE@@/map.png">' in item.text
    shown = render(item.text, item.text_format, lambda name: f"/files/{name}")
    assert '<img src="/files/map.png">' in shown
    notes = [str(n) for n in read.notes]
    assert all("«Столица»" in note for note in notes[1:])
    joined = " ".join(notes)
    for said in ("map.png", "подсказки (1)", "балл по умолчанию 2.0000000", "регистр"):
        assert said in joined
    assert any("<hint" in kept for kept in item.extra["moodle"])
    assert any("<penalty>" in kept for kept in item.extra["moodle"])


def test_a_file_without_a_category_block_puts_its_questions_in_default_and_says_so():
    read = read_moodle(QUIZ.format(SHORT).encode())

    assert read.items[0].category == "По умолчанию"
    assert read.notes[0].number == 0
    assert "блока «категория»" in str(read.notes[0])


def test_matching_takes_extra_answers_as_distractors():
    (item,) = read_moodle(QUIZ.format(MATCHING).encode()).items

    assert [p["left"] for p in item.data["pairs"]] == ["Карта", "Чек", ""]
    key = key_answer(item.qtype, item.data)
    assert key == {"pairs": {"p1": "p1", "p2": "p2"}}
    assert score(item.qtype, item.data, {"pairs": {"p1": "p3", "p2": "p2"}}) == Decimal("0.5")


@pytest.mark.parametrize("quiz", [SHORT, MATCHING])
def test_csv_carries_partial_credit_and_distractors(quiz):
    (item,) = read_moodle(QUIZ.format(quiz).encode()).items
    item.text_format = "plain"

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([COLUMNS, *questions_to_rows([item])])
    (again,) = questions_from_csv(out.getvalue().encode())

    if item.qtype == "shorttext":
        assert [(a["text"], a["fraction"]) for a in again.data["answers"]] == [
            (a["text"], a["fraction"]) for a in item.data["answers"]
        ]
    else:
        assert again.data == item.data
