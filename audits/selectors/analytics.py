"""Audit analytics read from the facts of published visits (`audits.models.facts`): the
score trend of a store, a region or the network; the failure rate of each question; the
auditors' calibration; and each store's latest and average score for the KPI scorecard.
Each is a fixed number of queries over rows per store-month or region-month, so a year
of a thousand stores costs what a year of eighty does."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Max, Q, Sum

from audits.choices import VisitStatus
from audits.models import QuestionFact, ScoreFact, Visit
from portal.numbers import percent_round
from portal.org.models import Store, User

LENIENCY_POINTS = Decimal(8)  # an auditor this far above (below) comparable visits is flagged
MIN_COMPARED = 5  # ... once at least this many of their visits had others' to compare with


def months_back(end: date, count: int) -> list[date]:
    """The first days of the `count` months ending with `end`'s month, oldest first."""
    first = end.replace(day=1)
    months = []
    for _ in range(count):
        months.append(first)
        first = (first.replace(day=1) - date.resolution).replace(day=1)
    return months[::-1]


def _scope(store_ids: Iterable[int] | None, region_id: int | None) -> Q:
    q = Q()
    if store_ids is not None:
        q &= Q(store_id__in=list(store_ids))
    if region_id is not None:
        q &= Q(store__region_id=region_id)
    return q


@dataclass(frozen=True)
class TrendPoint:
    month: date
    visits: int
    average: Decimal | None
    pass_rate: Decimal | None


def score_trend(
    *, months: list[date], store_ids: Iterable[int] | None = None, region_id: int | None = None
) -> list[TrendPoint]:
    """Visits, average score and share passed per month (one query)."""
    rows = {
        row["month"]: row
        for row in ScoreFact.objects.filter(
            _scope(store_ids, region_id), month__range=(months[0], months[-1])
        )
        .values("month")
        .annotate(visits=Sum("visits"), passed=Sum("passed"), total=Sum("score_sum"))
    }
    points = []
    for month in months:
        row = rows.get(month)
        visits = row["visits"] if row else 0
        points.append(
            TrendPoint(
                month=month,
                visits=visits,
                average=percent_round(row["total"] / visits) if visits else None,
                pass_rate=percent_round(Decimal(row["passed"]) * 100 / visits) if visits else None,
            )
        )
    return points


@dataclass(frozen=True)
class QuestionRate:
    key: str
    text: str
    answered: int
    failed: int
    rate: Decimal


def question_failures(
    *, start: date, end: date, region_id: int | None = None
) -> list[QuestionRate]:
    """Each question's failure rate over the months from `start` to `end` (by key, with
    its latest wording), most failed first (one query)."""
    facts = QuestionFact.objects.filter(month__range=(start.replace(day=1), end))
    if region_id is not None:
        facts = facts.filter(region_id=region_id)
    totals: dict[str, list] = {}
    for key, text, answered, failed in facts.order_by("month").values_list(
        "key", "text", "answered", "failed"
    ):
        row = totals.setdefault(key, [text, 0, 0])
        row[0], row[1], row[2] = text, row[1] + answered, row[2] + failed
    rates = [
        QuestionRate(key, text, answered, failed, percent_round(Decimal(failed) * 100 / answered))
        for key, (text, answered, failed) in totals.items()
        if answered
    ]
    return sorted(rates, key=lambda r: (-r.rate, r.text))


@dataclass(frozen=True)
class Calibration:
    auditor_id: int
    name: str
    visits: int
    mean: Decimal
    spread: Decimal
    compared: int  # their visits in region-months where others visited too
    bias: Decimal | None  # mean difference from the others' visits there
    flag: str  # "lenient", "harsh" or ""


def auditor_calibration(*, start: date, end: date) -> list[Calibration]:
    """Each auditor's mean and spread, and how far their scores sit from the other
    auditors' on comparable stores: the same region in the same month (two queries).
    Flagged lenient or harsh beyond ±8 points once 5 of their visits had a comparison."""
    facts = list(
        ScoreFact.objects.filter(month__range=(start.replace(day=1), end)).values_list(
            "store__region_id", "month", "auditor_id", "visits", "score_sum", "score_squares"
        )
    )
    groups: dict[tuple, list[Decimal]] = defaultdict(lambda: [0, Decimal(0)])
    mine: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    per_auditor: dict[int, list] = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for region_id, month, auditor_id, visits, total, squares in facts:
        groups[(region_id, month)][0] += visits
        groups[(region_id, month)][1] += total
        mine[(auditor_id, region_id, month)][0] += visits
        mine[(auditor_id, region_id, month)][1] += total
        row = per_auditor[auditor_id]
        row[0], row[1], row[2] = row[0] + visits, row[1] + total, row[2] + squares
    deviations: dict[int, list] = defaultdict(lambda: [0, Decimal(0)])
    for (auditor_id, region_id, month), (visits, total) in mine.items():
        group_visits, group_total = groups[(region_id, month)]
        others = group_visits - visits
        if not others:
            continue
        difference = total / visits - (group_total - total) / others
        deviations[auditor_id][0] += visits
        deviations[auditor_id][1] += difference * visits
    names = {
        person.pk: person.full_name for person in User.objects.filter(pk__in=list(per_auditor))
    }
    rows = []
    for auditor_id, (visits, total, squares) in per_auditor.items():
        mean = total / visits
        variance = max(Decimal(0), squares / visits - mean * mean)
        compared, weighted = deviations[auditor_id]
        bias = percent_round(weighted / compared) if compared else None
        flag = ""
        if bias is not None and compared >= MIN_COMPARED and abs(bias) >= LENIENCY_POINTS:
            flag = "lenient" if bias > 0 else "harsh"
        rows.append(
            Calibration(
                auditor_id=auditor_id,
                name=names.get(auditor_id, "—"),
                visits=visits,
                mean=percent_round(mean),
                spread=percent_round(Decimal(math.sqrt(variance))),
                compared=compared,
                bias=bias,
                flag=flag,
            )
        )
    return sorted(rows, key=lambda r: (-(abs(r.bias) if r.bias is not None else -1), r.name))


@dataclass(frozen=True)
class StoreAuditScore:
    """What the KPI scorecard reads of a store's audits in a period."""

    visits: int
    average: Decimal | None
    latest: Decimal | None
    latest_passed: bool | None
    any_failed: bool  # a published visit of the period failed


def store_audit_scores(
    *, stores: Iterable[Store | int], start: date, end: date
) -> dict[int, StoreAuditScore]:
    """Per store: visits made in the months from `start` to `end`, their average score,
    the latest visit's score and whether it passed, and whether any failed (three queries)."""
    ids = [s if isinstance(s, int) else s.pk for s in stores]
    sums = {
        row["store_id"]: row
        for row in ScoreFact.objects.filter(
            store_id__in=ids, month__range=(start.replace(day=1), end)
        )
        .values("store_id")
        .annotate(visits=Sum("visits"), passed=Sum("passed"), total=Sum("score_sum"))
    }
    published = Visit.objects.filter(
        store_id__in=ids, status=VisitStatus.PUBLISHED, started_at__date__range=(start, end)
    )
    last = dict(
        published.values("store_id").annotate(at=Max("started_at")).values_list("store_id", "at")
    )
    latest = {
        store_id: (score, passed)
        for store_id, started_at, score, passed in published.filter(
            started_at__in=list(last.values())
        ).values_list("store_id", "started_at", "score", "passed")
        if last.get(store_id) == started_at
    }
    result = {}
    for store_id in ids:
        row = sums.get(store_id)
        visits = row["visits"] if row else 0
        score, passed = latest.get(store_id, (None, None))
        result[store_id] = StoreAuditScore(
            visits=visits,
            average=percent_round(row["total"] / visits) if visits else None,
            latest=score,
            latest_passed=passed,
            any_failed=bool(row and row["passed"] < visits),
        )
    return result
