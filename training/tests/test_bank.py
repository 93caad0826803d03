"""The bank: Moodle XML round trip, clear errors, versions that keep old attempts intact."""

from __future__ import annotations

import pytest

from training.models import Question
from training.moodle import MoodleRejected, questions_from_xml
from training.services.bank import (
    question_as_data,
    question_save,
    questions_export_moodle,
    questions_import_moodle,
)
from training.tests.factories import SAMPLE, sample_bank

pytestmark = pytest.mark.django_db


def _key(item):
    return (item.category, item.qtype, item.name, item.text, item.general_feedback, item.data)


def test_moodle_round_trip_gives_the_same_questions():
    sample_bank()

    exported = questions_export_moodle()
    parsed = questions_from_xml(exported)

    assert sorted(map(_key, parsed), key=str) == sorted(map(_key, SAMPLE), key=str)
    report = questions_import_moodle(actor=None, content=exported)
    assert (report.questions, report.unchanged) == (len(SAMPLE), len(SAMPLE))
    assert Question.objects.count() == len(SAMPLE)


def test_a_bad_moodle_file_names_every_problem_and_writes_nothing():
    content = """<?xml version="1.0"?><quiz>
      <question type="category"><category><text>$course$/Бонусы</text></category></question>
      <question type="multichoice"><name><text>Без ответов</text></name>
        <questiontext><text>?</text></questiontext><single>true</single></question>
      <question type="essay"><name><text>Эссе</text></name></question>
      <question type="numerical"><name><text>Число</text></name>
        <questiontext><text>Сколько?</text></questiontext>
        <answer fraction="100"><text>много</text></answer></question>
    </quiz>""".encode()

    with pytest.raises(MoodleRejected) as caught:
        questions_import_moodle(actor=None, content=content)

    assert [(e.number, e.field) for e in caught.value.errors] == [
        (2, "answers"),
        (3, "type"),
        (4, "answer"),
    ]
    assert not Question.objects.exists()


def test_malicious_xml_is_refused():
    bomb = b"""<?xml version="1.0"?><!DOCTYPE q [<!ENTITY a "aaaaaaaaaa">
    <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><quiz>&b;</quiz>"""
    with pytest.raises(MoodleRejected):
        questions_from_xml(bomb)


def test_editing_a_question_used_in_an_attempt_makes_a_new_version(django_user_model):
    from portal.org.tests.factories import person
    from training.models import AttemptQuestion
    from training.services.attempts import attempt_start
    from training.tests.factories import sample_exam

    exam = sample_exam()
    learner = person("store_staff")
    attempt = attempt_start(person=learner, exam=exam)
    used = AttemptQuestion.objects.filter(attempt=attempt).first().question
    item = question_as_data(used)
    item.text = used.text + " (уточнено)"

    newer, outcome = question_save(actor=None, item=item, category=used.category, family=used)

    assert outcome == "versioned"
    assert (newer.family, newer.version, newer.is_current) == (used.family, 2, True)
    used.refresh_from_db()
    assert not used.is_current
    assert AttemptQuestion.objects.get(attempt=attempt, question=used)  # the attempt keeps v1


def test_csv_round_trip_and_row_errors():
    from portal.exports import csv_response
    from training.bank_csv import COLUMNS, questions_from_csv
    from training.services.bank import questions_export_rows, questions_import_csv

    sample_bank()
    exported = csv_response("bank.csv", COLUMNS, questions_export_rows()).content
    parsed = {(i.category, i.name): i for i in questions_from_csv(exported)}

    for item in SAMPLE:  # CSV carries everything but per-answer feedback
        again = parsed[(item.category, item.name)]
        assert (again.qtype, again.text, again.general_feedback) == (
            item.qtype,
            item.text,
            item.general_feedback,
        )
        if item.qtype in ("single", "multi"):
            strip = [{**o, "feedback": ""} for o in item.data["options"]]
            assert again.data["options"] == strip
        elif item.qtype != "truefalse":
            assert again.data == item.data
    bad = (
        "category;type;name;question;feedback;answers\n"
        "Бонусы;single;Без верного;Что?;;0%: А | 0%: Б\n"
        "Бонусы;numeric;Число;Сколько?;;много\n"
        "Бонусы;truefalse;Да/нет;Так?;;может быть\n"
    ).encode("cp1251")
    with pytest.raises(MoodleRejected) as caught:
        questions_import_csv(actor=None, content=bad)
    assert [(e.number, e.field) for e in caught.value.errors] == [
        (2, "answers"),
        (3, "answer"),
        (4, "answers"),
    ]
    assert "2" in str(caught.value.errors[0])
