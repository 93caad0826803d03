"""Scoring a visit: a pure function of a frozen checklist version and the answers.

- A question scores a fraction from 0 to 1: yes/no gives 1 or 0, the scale value / 4, a
  choice its option's fraction, a number 1 inside the checklist's range and 0 outside.
  Text and photo questions score nothing (they are evidence).
- N/A (where the question allows it) and an unanswered question leave the question out of
  its section's and the visit's denominator: the score is the weight earned over the
  weight of the questions answered.
- A question **fails** below half its points (no; 0 or 1 on the scale; a choice worth less
  than half; a number outside the range).
- A section passes at or above its pass mark with no critical question failed in it; the
  visit passes at or above the checklist's pass mark with no question critical to the
  visit failed. Scores are percentages rounded by the portal's rule (`portal.numbers`).

Nothing here reads the database: the version's rows are turned into `ChecklistSpec` once
(`audits.selectors.checklist_spec`), and a visit's stored scores are this module's output
at the time it was filed, never recomputed silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from audits.choices import Critical, QuestionKind
from portal.numbers import percent_round

SCALE_TOP = 4
FAIL_BELOW = Decimal("0.5")
SCORED = frozenset(
    {QuestionKind.YES_NO, QuestionKind.SCALE, QuestionKind.NUMERIC, QuestionKind.CHOICE}
)


@dataclass(frozen=True)
class QuestionSpec:
    key: str
    text: str
    kind: str
    weight: Decimal = Decimal(1)
    critical: str = Critical.NO
    allow_na: bool = True
    options: tuple[tuple[str, Decimal], ...] = ()  # choice: (label, fraction 0–1)
    low: Decimal | None = None  # numeric: the range that passes
    high: Decimal | None = None

    @property
    def scored(self) -> bool:
        return self.kind in SCORED and self.weight > 0


@dataclass(frozen=True)
class SectionSpec:
    title: str
    pass_mark: Decimal
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class ChecklistSpec:
    pass_mark: Decimal
    sections: tuple[SectionSpec, ...]

    def questions(self) -> dict[str, QuestionSpec]:
        return {q.key: q for section in self.sections for q in section.questions}


@dataclass(frozen=True)
class Answer:
    """What the auditor gave: `na` for «not applicable», else `value` as the form has it
    ("yes"/"no", "0"–"4", a number, an option's label, text; None: not answered)."""

    value: str | None = None
    na: bool = False


class AnswerError(ValueError):
    """An answer the question cannot take (said in the auditor's words)."""


def fraction(question: QuestionSpec, answer: Answer | None) -> Decimal | None:
    """The share of the question's points the answer earns; None when it counts for
    nothing (not scored, N/A, not answered). Raises `AnswerError` for an answer the
    question cannot take."""
    if answer is None or not question.scored:
        return None
    if answer.na:
        if not question.allow_na:
            raise AnswerError(_("«%(q)s» cannot be answered N/A.") % {"q": question.text})
        return None
    value = (answer.value or "").strip()
    if not value:
        return None
    match question.kind:
        case QuestionKind.YES_NO:
            if value not in ("yes", "no"):
                raise AnswerError(_("«%(q)s»: answer yes or no.") % {"q": question.text})
            return Decimal(1) if value == "yes" else Decimal(0)
        case QuestionKind.SCALE:
            if value not in {str(n) for n in range(SCALE_TOP + 1)}:
                raise AnswerError(_("«%(q)s»: choose 0 to 4.") % {"q": question.text})
            return Decimal(value) / SCALE_TOP
        case QuestionKind.CHOICE:
            for label, share in question.options:
                if label == value:
                    return share
            raise AnswerError(_("«%(q)s»: choose one of the options.") % {"q": question.text})
        case _:  # numeric
            try:
                number = Decimal(value.replace(",", "."))
            except InvalidOperation:
                raise AnswerError(_("«%(q)s»: enter a number.") % {"q": question.text}) from None
            if not number.is_finite():
                raise AnswerError(_("«%(q)s»: enter a number.") % {"q": question.text})
            inside = (question.low is None or number >= question.low) and (
                question.high is None or number <= question.high
            )
            return Decimal(1) if inside else Decimal(0)


@dataclass
class SectionScore:
    title: str
    earned: Decimal = Decimal(0)
    possible: Decimal = Decimal(0)
    critical_failed: list[str] = field(default_factory=list)
    passed: bool = True
    score: Decimal | None = None


@dataclass
class VisitScore:
    score: Decimal | None
    passed: bool
    sections: list[SectionScore]
    failed: list[str]  # keys of the questions that failed
    reasons: list[str]  # why the visit failed, in the reviewer's words


def _shown(value: Decimal) -> str:
    """A percentage as the reader's language writes it: «70,8», «80»."""
    return number_format(value, 0 if value == value.to_integral_value() else 1)


def _percent(earned: Decimal, possible: Decimal) -> Decimal | None:
    return percent_round(earned * 100 / possible) if possible else None


def visit_score(spec: ChecklistSpec, answers: Mapping[str, Answer]) -> VisitScore:
    """Score `answers` (by question key) against `spec`."""
    sections: list[SectionScore] = []
    failed: list[str] = []
    reasons: list[str] = []
    earned = possible = Decimal(0)
    for section_spec in spec.sections:
        section = SectionScore(section_spec.title)
        for question in section_spec.questions:
            share = fraction(question, answers.get(question.key))
            if share is None:
                continue
            section.earned += question.weight * share
            section.possible += question.weight
            if share < FAIL_BELOW:
                failed.append(question.key)
                if question.critical:
                    section.critical_failed.append(question.key)
                if question.critical == Critical.VISIT:
                    reasons.append(_("Critical question failed: «%(q)s».") % {"q": question.text})
        section.score = _percent(section.earned, section.possible)
        section.passed = not section.critical_failed and (
            section.score is None or section.score >= section_spec.pass_mark
        )
        earned += section.earned
        possible += section.possible
        sections.append(section)
    score = _percent(earned, possible)
    if score is not None and score < spec.pass_mark:
        reasons.insert(
            0,
            _("Score %(score)s%% is below the pass mark of %(mark)s%%.")
            % {"score": _shown(score), "mark": _shown(spec.pass_mark)},
        )
    return VisitScore(
        score=score, passed=not reasons, sections=sections, failed=failed, reasons=reasons
    )


def answers_check(spec: ChecklistSpec, answers: Mapping[str, Answer]) -> list[str]:
    """What keeps these answers from being filed: every scored question answered (or N/A
    where allowed), every answer one the question takes. Messages name the question."""
    problems = []
    for question in spec.questions().values():
        answer = answers.get(question.key)
        try:
            fraction(question, answer)
        except AnswerError as error:
            problems.append(str(error))
            continue
        if question.scored and (
            answer is None or (not answer.na and not (answer.value or "").strip())
        ):
            problems.append(_("«%(q)s» is not answered.") % {"q": question.text})
    return problems


def rescored(
    spec: ChecklistSpec, answers: Mapping[str, Answer], corrections: Mapping[str, Answer]
) -> VisitScore:
    """The score after corrections (an accepted appeal): the corrected answers scored from
    scratch, never the old score adjusted."""
    return visit_score(spec, {**answers, **corrections})
