"""Keeping the facts of published visits (`audits.models.facts`) in step with the visits.

A visit is counted in the month it was made (the day the shopper entered the store). On
publication and after every change of a published score (a correction, an accepted
appeal) the visit's store-month-auditor row and its region-month question rows are
rewritten from the published visits they cover: a handful of visits, so the write costs
the same whatever the number of visits in the chain."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from audits.choices import VisitStatus
from audits.models import QuestionFact, ScoreFact, Visit, VisitAnswer
from audits.scoring import SCORED
from audits.services.planning import month_bounds


def visit_month(visit: Visit) -> date:
    when = visit.started_at or visit.submitted_at or visit.published_at
    return timezone.localtime(when).date().replace(day=1)


def _month_visits(month: date):
    first, last = month_bounds(month)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last, time.max))
    return Visit.objects.filter(status=VisitStatus.PUBLISHED, started_at__range=(start, end))


@transaction.atomic
def audit_facts_refresh(*, visit: Visit) -> None:
    """Rewrite the facts the published `visit` belongs to."""
    if visit.status != VisitStatus.PUBLISHED or visit.auditor_id is None:
        return
    month = visit_month(visit)
    _score_fact(store_id=visit.store_id, month=month, auditor_id=visit.auditor_id)
    _question_facts(region_id=visit.store.region_id, month=month)


def _score_fact(*, store_id: int, month: date, auditor_id: int) -> None:
    scores = [
        (score, passed)
        for score, passed in _month_visits(month)
        .filter(store_id=store_id, auditor_id=auditor_id, score__isnull=False)
        .values_list("score", "passed")
    ]
    if not scores:
        ScoreFact.objects.filter(store_id=store_id, month=month, auditor_id=auditor_id).delete()
        return
    ScoreFact.objects.update_or_create(
        store_id=store_id,
        month=month,
        auditor_id=auditor_id,
        defaults={
            "visits": len(scores),
            "passed": sum(bool(passed) for _score, passed in scores),
            "score_sum": sum((score for score, _passed in scores), Decimal(0)),
            "score_squares": sum((score * score for score, _passed in scores), Decimal(0)),
        },
    )


def _question_facts(*, region_id: int, month: date) -> None:
    visits = _month_visits(month).filter(store__region_id=region_id)
    failed_by_visit = dict(visits.values_list("pk", "result"))
    answered: dict[str, int] = defaultdict(int)
    failed: dict[str, int] = defaultdict(int)
    texts: dict[str, str] = {}
    for visit_id, key, text in (
        VisitAnswer.objects.filter(
            visit__in=visits, na=False, question__kind__in=list(SCORED), question__weight__gt=0
        )
        .exclude(value="")
        .values_list("visit_id", "question__key", "question__text")
    ):
        answered[key] += 1
        texts[key] = text
        failed[key] += key in (failed_by_visit[visit_id] or {}).get("failed", [])
    QuestionFact.objects.filter(region_id=region_id, month=month).delete()
    QuestionFact.objects.bulk_create(
        QuestionFact(
            region_id=region_id,
            month=month,
            key=key,
            text=texts[key][:300],
            answered=answered[key],
            failed=failed[key],
        )
        for key in answered
    )


def audit_facts_rebuild() -> int:
    """Every fact rewritten from the published visits (after a migration, or to check the
    kept rows: `audit_facts_refresh` must leave the same). Returns the visits counted."""
    ScoreFact.objects.all().delete()
    QuestionFact.objects.all().delete()
    done_scores, done_questions = set(), set()
    counted = 0
    for visit in Visit.objects.filter(status=VisitStatus.PUBLISHED).select_related("store"):
        month = visit_month(visit)
        counted += 1
        if (visit.store_id, month, visit.auditor_id) not in done_scores:
            _score_fact(store_id=visit.store_id, month=month, auditor_id=visit.auditor_id)
            done_scores.add((visit.store_id, month, visit.auditor_id))
        if (visit.store.region_id, month) not in done_questions:
            _question_facts(region_id=visit.store.region_id, month=month)
            done_questions.add((visit.store.region_id, month))
    return counted
