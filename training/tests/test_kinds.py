"""The question-kind registry: every type declared once, with everything it needs."""

from __future__ import annotations

import random

import pytest
from django.template.loader import get_template

from training.choices import QuestionType
from training.kinds import KINDS, kind
from training.tests.factories import SAMPLE


def test_every_question_type_has_one_kind_with_its_template():
    assert set(KINDS) == set(QuestionType.values)
    for qtype, question_kind in KINDS.items():
        assert question_kind.qtype == qtype
        assert question_kind.label == QuestionType(qtype).label
        assert get_template(question_kind.template)
        assert question_kind.moodle_type


def test_an_unknown_type_is_refused():
    with pytest.raises(ValueError):
        kind("essay")


@pytest.mark.parametrize("item", SAMPLE, ids=lambda item: item.qtype)
def test_each_kind_scores_its_key_full_and_its_wrong_answer_lower(item):
    question_kind = kind(item.qtype)
    key = question_kind.key_answer(item.data)
    wrong = question_kind.wrong_answer(item.data, random.Random(1))

    assert question_kind.is_well_formed(item.data, key)
    assert question_kind.score(item.data, key) == 1
    assert question_kind.score(item.data, wrong) < 1
    assert question_kind.data_errors(item.data) == []
    assert question_kind.csv_data(question_kind.csv_cell(item.data)) is not None
