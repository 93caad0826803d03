"""Item analysis agrees with a hand-computed example; coverage and gaps per store."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from portal.org.tests.factories import person
from training.models import Exam, ExamDraw, Question
from training.moodle import QuestionData
from training.selectors.analysis import item_analysis, knowledge_gaps, pearson
from training.services.attempts import answers_save, attempt_start, attempt_submit
from training.services.bank import category_ensure, question_save

pytestmark = pytest.mark.django_db


def _question(category: str, qtype: str, name: str, data: dict) -> Question:
    item = QuestionData(category, qtype, name, f"{name}?", "", data)
    question, _outcome = question_save(
        actor=None, item=item, category=category_ensure(name=category)
    )
    return question


@pytest.fixture
def three_item_exam(world):
    a = _question("A", "truefalse", "Вопрос A", {"answer": True})
    b = _question("B", "numeric", "Вопрос B", {"answer": "14", "tolerance": "0"})
    options = [
        {"id": "o1", "text": "Да", "fraction": 1.0, "feedback": ""},
        {"id": "o2", "text": "Нет", "fraction": 0.0, "feedback": ""},
    ]
    c = _question("C", "single", "Вопрос C", {"options": options})
    exam = Exam.objects.create(code="items", title="Анализ", attempts_limit=0, cooloff_hours=0)
    for question in (a, b, c):
        ExamDraw.objects.create(exam=exam, category=question.category, count=1)
    # Right (1) or wrong (0) on A, B, C for four learners.
    pattern = [(1, 1, 1), (1, 1, 0), (1, 0, 0), (0, 0, 1)]
    answers = {
        a.pk: ({"value": True}, {"value": False}),
        b.pk: ({"value": "14"}, {"value": "7"}),
        c.pk: ({"option": "o1"}, {"option": "o2"}),
    }
    for n, marks in enumerate(pattern):
        learner = person("store_staff", store=world.store_a1 if n < 2 else world.store_b1)
        attempt = attempt_start(person=learner, exam=exam)
        for item in attempt.questions.all():
            mark = marks[[a.pk, b.pk, c.pk].index(item.question_id)]
            right, wrong = answers[item.question_id]
            answers_save(
                person=learner, attempt=attempt, answers={item.position: right if mark else wrong}
            )
        attempt_submit(person=learner, attempt=attempt)
    return exam


def test_item_analysis_matches_the_hand_computed_example(three_item_exam):
    stats = {s.question.name: s for s in item_analysis(exam=three_item_exam)}

    # Facility: share right. Discrimination: r(item, rest of test) × 100, by hand:
    # A: x=[1,1,1,0], rest=[2,1,0,1] → r = 0;  B: x=[1,1,0,0], rest=[2,1,1,1] → 0.5/√0.75;
    # C: x=[1,0,0,1], rest=[2,2,1,0] → −0.5/√2.75.
    figures = {name: (s.facility, s.discrimination) for name, s in stats.items()}
    assert figures == {  # one decimal, half up (portal.numbers)
        "Вопрос A": (Decimal("75.0"), Decimal("0.0")),
        "Вопрос B": (Decimal("50.0"), Decimal("57.7")),
        "Вопрос C": (Decimal("50.0"), Decimal("-30.2")),
    }
    assert stats["Вопрос C"].distribution == [("Да", 2), ("Нет", 2)]
    assert stats["Вопрос C"].flags == [_("check the key")]
    assert stats["Вопрос A"].flags == [_("does not tell strong from weak")]
    assert stats["Вопрос B"].flags == []
    assert stats["Вопрос A"].attempts == 4


def test_pearson_edge_cases():
    assert pearson([1.0], [2.0]) is None
    assert pearson([1.0, 1.0], [0.0, 2.0]) is None
    assert round(pearson([1.0, 2.0, 3.0], [2.0, 4.0, 6.0]), 6) == 1.0


def test_knowledge_gaps_by_store(three_item_exam, world):
    from portal.org.models import Store

    gaps = knowledge_gaps(exam=three_item_exam, stores=Store.objects.all())

    assert [name for _id, name in gaps.columns] == ["A", "B", "C"]
    grid = dict(gaps.rows)
    assert grid["A1"] == [100, 100, 50]  # learners 1 and 2
    assert grid["B1"] == [50, 0, 50]  # learners 3 and 4
