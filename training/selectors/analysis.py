"""Item analysis (Moodle's statistics report) and the knowledge-gap heatmap.

- facility index: the mean score of the item, in % (how easy it is);
- discrimination index: 100 × Pearson correlation of the item's score with the score on
  the rest of the attempt (do strong learners get it right more often than weak ones?);
- answer distribution: how often each option (or right / wrong / blank) was chosen.
Flags: facility under 20 or over 95, discrimination under 20 (negative: check the key).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portal.numbers import percent_of, percent_round
from portal.org.models import Store
from training.choices import AttemptState
from training.kinds import kind
from training.models import AttemptQuestion, Exam, Question

FINISHED = [AttemptState.SUBMITTED, AttemptState.CLOSED_AT_DEADLINE]


def mean_percent(fractions: list[float]) -> Decimal | None:
    """The mean of fractions (0..1) in percent, by the portal's rounding rule (summed
    as decimals: the fractions are stored as decimals)."""
    return percent_of(sum(Decimal(str(f)) for f in fractions), len(fractions))


def pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


@dataclass
class ItemStats:
    question: Question
    attempts: int
    facility: Decimal | None
    discrimination: Decimal | None
    distribution: list[tuple[str, int]] = field(default_factory=list)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.facility is not None and self.facility < 20:
            flags.append(_("too hard"))
        if self.facility is not None and self.facility > 95:
            flags.append(_("too easy"))
        if self.discrimination is not None and self.discrimination < 0:
            flags.append(_("check the key"))
        elif self.discrimination is not None and self.discrimination < 20:
            flags.append(_("does not tell strong from weak"))
        return flags


def _distribution(question: Question, answers: list) -> list[tuple[str, int]]:
    return kind(question.qtype).distribution(question.data, answers)


def item_analysis(*, exam: Exam) -> list[ItemStats]:
    """One row per question version answered in finished attempts (two queries)."""
    rows = list(
        AttemptQuestion.objects.filter(attempt__exam=exam, attempt__state__in=FINISHED).values_list(
            "attempt_id", "question_id", "fraction", "answer"
        )
    )
    totals: dict[int, float] = defaultdict(float)
    for attempt_id, _q, fraction, _a in rows:
        totals[attempt_id] += float(fraction or 0)
    per_question: dict[int, list] = defaultdict(list)
    for attempt_id, question_id, fraction, answer in rows:
        per_question[question_id].append((attempt_id, float(fraction or 0), answer))
    questions = Question.objects.select_related("category").in_bulk(list(per_question))
    result = []
    for question_id, items in per_question.items():
        scores = [f for _a, f, _ans in items]
        rest = [totals[a] - f for a, f, _ans in items]
        r = pearson(scores, rest)
        result.append(
            ItemStats(
                question=questions[question_id],
                attempts=len(items),
                facility=mean_percent(scores),
                discrimination=percent_round(Decimal(str(100 * r))) if r is not None else None,
                distribution=_distribution(
                    questions[question_id], [ans for _a, _f, ans in items if ans]
                ),
            )
        )
    return sorted(result, key=lambda s: (s.question.category.name, s.question.name))


@dataclass
class GapMap:
    columns: list[tuple[int, str]]  # category id, name
    rows: list[tuple[str, list[Decimal | None]]]  # label, mean score % per column


def knowledge_gaps(*, exam: Exam, stores: QuerySet[Store], by: str = "store") -> GapMap:
    """Mean score per SOP topic (column) and store or region (row), from finished attempts."""
    key = (
        "attempt__person__store__code" if by == "store" else "attempt__person__store__region__name"
    )
    rows = AttemptQuestion.objects.filter(
        attempt__exam=exam, attempt__state__in=FINISHED, attempt__person__store__in=stores
    ).values_list(key, "question__category_id", "question__category__name", "fraction")
    sums: dict[tuple[str, int], list[float]] = defaultdict(list)
    columns: dict[int, str] = {}
    for label, category_id, category_name, fraction in rows:
        sums[(label, category_id)].append(float(fraction or 0))
        columns[category_id] = category_name
    ordered = sorted(columns.items(), key=lambda c: c[1])
    labels = sorted({label for label, _c in sums})
    grid = []
    for label in labels:
        values = []
        for category_id, _name in ordered:
            scores = sums.get((label, category_id))
            values.append(mean_percent(scores) if scores else None)
        grid.append((label, values))
    return GapMap(ordered, grid)
