"""Scoring properties (hypothesis) and the worked cases a reviewer reads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils.translation import override
from hypothesis import given, settings
from hypothesis import strategies as st

from audits.choices import Critical, QuestionKind
from audits.scoring import (
    Answer,
    AnswerError,
    ChecklistSpec,
    QuestionSpec,
    SectionSpec,
    answers_check,
    fraction,
    rescored,
    visit_score,
)

KINDS = [QuestionKind.YES_NO, QuestionKind.SCALE, QuestionKind.CHOICE, QuestionKind.NUMERIC]
OPTIONS = (("Предложил сам", Decimal(1)), ("После вопроса", Decimal("0.5")), ("Нет", Decimal(0)))


@st.composite
def questions(draw, key: str) -> QuestionSpec:
    kind = draw(st.sampled_from(KINDS + [QuestionKind.TEXT]))
    return QuestionSpec(
        key=key,
        text=f"Вопрос {key}",
        kind=kind,
        weight=Decimal(draw(st.integers(min_value=0, max_value=5))),
        critical=draw(
            st.sampled_from([Critical.NO, Critical.NO, Critical.SECTION, Critical.VISIT])
        ),
        allow_na=True,
        options=OPTIONS if kind == QuestionKind.CHOICE else (),
        low=Decimal(1) if kind == QuestionKind.NUMERIC else None,
        high=Decimal(10) if kind == QuestionKind.NUMERIC else None,
    )


@st.composite
def checklists(draw) -> ChecklistSpec:
    sections = []
    for s in range(draw(st.integers(min_value=1, max_value=4))):
        count = draw(st.integers(min_value=1, max_value=6))
        items = tuple(draw(questions(f"{s}.{n}")) for n in range(count))
        mark = Decimal(draw(st.integers(min_value=0, max_value=100)))
        sections.append(SectionSpec(f"Раздел {s}", mark, items))
    return ChecklistSpec(Decimal(draw(st.integers(min_value=0, max_value=100))), tuple(sections))


def answer_for(question: QuestionSpec):
    match question.kind:
        case QuestionKind.YES_NO:
            values = st.sampled_from(["yes", "no"])
        case QuestionKind.SCALE:
            values = st.sampled_from(["0", "1", "2", "3", "4"])
        case QuestionKind.CHOICE:
            values = st.sampled_from([label for label, _share in OPTIONS])
        case QuestionKind.NUMERIC:
            values = st.integers(min_value=-5, max_value=20).map(str)
        case _:
            values = st.text(max_size=20)
    return st.one_of(values.map(lambda v: Answer(v)), st.just(Answer(na=True)))


@st.composite
def filed(draw):
    spec = draw(checklists())
    answers = {q.key: draw(answer_for(q)) for q in spec.questions().values()}
    return spec, answers


@settings(max_examples=200, deadline=None)
@given(filed(), st.data())
def test_na_never_changes_the_percentage_of_the_answered_weights(case, data):
    spec, answers = case
    key = data.draw(st.sampled_from(sorted(answers)))
    without = {k: a for k, a in answers.items() if k != key}
    as_na = {**without, key: Answer(na=True)}
    assert visit_score(spec, as_na).score == visit_score(spec, without).score
    assert [s.score for s in visit_score(spec, as_na).sections] == [
        s.score for s in visit_score(spec, without).sections
    ]


@settings(max_examples=200, deadline=None)
@given(filed())
def test_scores_stay_within_0_and_100(case):
    spec, answers = case
    result = visit_score(spec, answers)
    for value in [result.score, *(s.score for s in result.sections)]:
        assert value is None or Decimal(0) <= value <= Decimal(100)


@settings(max_examples=200, deadline=None)
@given(filed())
def test_a_critical_fail_always_fails(case):
    spec, answers = case
    result = visit_score(spec, answers)
    questions = spec.questions()
    for key in result.failed:
        if questions[key].critical == Critical.VISIT:
            assert not result.passed
    for section, section_spec in zip(result.sections, spec.sections, strict=True):
        if any(q.key in result.failed and q.critical for q in section_spec.questions):
            assert not section.passed


@settings(max_examples=200, deadline=None)
@given(filed(), st.data())
def test_rescoring_equals_scoring_the_corrected_answers_from_scratch(case, data):
    spec, answers = case
    keys = data.draw(st.lists(st.sampled_from(sorted(answers)), unique=True))
    corrections = {key: data.draw(answer_for(spec.questions()[key])) for key in keys}
    corrected = {**answers, **corrections}
    assert rescored(spec, answers, corrections) == visit_score(spec, corrected)


CHECKOUT = ChecklistSpec(
    Decimal(80),
    (
        SectionSpec(
            "Карта",
            Decimal(75),
            (
                QuestionSpec("offer", "Кассир предложил карту", QuestionKind.YES_NO, Decimal(2)),
                QuestionSpec(
                    "phone", "Спросил телефон", QuestionKind.YES_NO, critical=Critical.VISIT
                ),
                QuestionSpec("polite", "Вежливость", QuestionKind.SCALE),
            ),
        ),
        SectionSpec(
            "Скрипт",
            Decimal(50),
            (
                QuestionSpec("how", "Как предложил", QuestionKind.CHOICE, options=OPTIONS),
                QuestionSpec(
                    "wait",
                    "Ожидание, мин",
                    QuestionKind.NUMERIC,
                    low=None,
                    high=Decimal(5),
                    allow_na=False,
                ),
                QuestionSpec("note", "Что сказал", QuestionKind.TEXT),
            ),
        ),
    ),
)


@override("en")
def test_a_worked_visit_scores_as_a_reviewer_counts_it():
    answers = {
        "offer": Answer("yes"),  # 2 of 2
        "phone": Answer("yes"),  # 1 of 1
        "polite": Answer("3"),  # 0.75 of 1
        "how": Answer("После вопроса"),  # 0.5 of 1
        "wait": Answer("7"),  # 0 of 1: over 5 minutes
        "note": Answer("Предложила оформить анкету"),
    }
    result = visit_score(CHECKOUT, answers)
    assert [s.score for s in result.sections] == [Decimal("93.8"), Decimal("25.0")]
    assert result.score == Decimal("70.8")  # 4.25 of 6
    assert [s.passed for s in result.sections] == [True, False]
    assert result.failed == ["wait"]
    assert not result.passed
    assert result.reasons == ["Score 70.8% is below the pass mark of 80%."]

    better = {"polite": Answer("4"), "how": Answer("Предложил сам"), "wait": Answer("2")}
    missed_phone = visit_score(CHECKOUT, {**answers, **better, "phone": Answer("no")})
    assert missed_phone.score == Decimal("83.3")  # above the mark, but the phone is critical
    assert not missed_phone.passed and not missed_phone.sections[0].passed
    assert missed_phone.reasons == ["Critical question failed: «Спросил телефон»."]


@override("en")
def test_answers_the_question_cannot_take_are_refused_by_name():
    wait = CHECKOUT.questions()["wait"]
    with pytest.raises(AnswerError, match="Ожидание, мин"):
        fraction(wait, Answer(na=True))  # N/A not allowed here
    with pytest.raises(AnswerError, match="enter a number"):
        fraction(wait, Answer("пять"))
    with pytest.raises(AnswerError, match="choose one of the options"):
        fraction(CHECKOUT.questions()["how"], Answer("Иначе"))
    problems = answers_check(CHECKOUT, {"offer": Answer("maybe"), "polite": Answer(na=True)})
    assert problems == [
        "«Кассир предложил карту»: answer yes or no.",
        "«Спросил телефон» is not answered.",
        "«Как предложил» is not answered.",
        "«Ожидание, мин» is not answered.",
    ]
