"""Audit analytics from the facts of published visits: the trend, the questions failed
most, the auditors' calibration, the scorecard's per-store figures; the kept facts equal
a rebuild from the visits after publications, a correction and an accepted appeal."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audits.facts import audit_facts_rebuild
from audits.models import QuestionFact, ScoreFact, Visit
from audits.selectors.analytics import (
    auditor_calibration,
    months_back,
    question_failures,
    score_trend,
    store_audit_scores,
)
from audits.services.responses import appeal_create, appeal_decide
from audits.services.review import visit_correct, visit_publish
from audits.tests.factories import question_keys, visit_submitted
from portal.numbers import percent_round
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db
PHONE, POLITE = "Кассир спросил номер телефона", "Вежливость кассира"


def _published(world, answers=None, *, auditor=None, store=None):
    visit = visit_submitted(world, answers, auditor=auditor, store=store)
    return visit_publish(
        actor=world.people[Role.LP_MANAGER], visit=visit, announce=False, follow_up=False
    )


def _facts() -> tuple[list, list]:
    scores = sorted(
        ScoreFact.objects.values_list(
            "store_id", "month", "auditor_id", "visits", "passed", "score_sum", "score_squares"
        )
    )
    questions = sorted(
        QuestionFact.objects.values_list("region_id", "month", "key", "answered", "failed")
    )
    return scores, questions


def test_trend_and_failure_rates_add_up_the_published_visits(world):
    good = _published(world)
    bad = _published(world, {PHONE: "no", POLITE: "1"}, store=world.store_a2)
    Visit.objects.filter(pk=bad.pk)  # a third, submitted only, counts nowhere
    visit_submitted(world, {PHONE: "no"}, store=world.store_b1)
    month = timezone.localdate().replace(day=1)

    network = score_trend(months=[month])
    a1 = score_trend(months=[month], store_ids=[world.store_a1.pk])

    assert (network[0].visits, network[0].pass_rate) == (2, Decimal("50.0"))
    assert network[0].average == percent_round((good.score + bad.score) / 2)
    assert (a1[0].visits, a1[0].average, a1[0].pass_rate) == (1, good.score, Decimal("100.0"))
    rates = {r.text: r for r in question_failures(start=month, end=timezone.localdate())}
    assert (rates[PHONE].answered, rates[PHONE].failed, rates[PHONE].rate) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert rates["Кассир предложил карту лояльности"].rate == Decimal("0.0")
    assert "Фото чека" not in rates  # evidence, not scored
    assert list(rates)[0] in (PHONE, POLITE)  # most failed first


def test_months_back_are_first_days_oldest_first():
    months = months_back(timezone.datetime(2026, 3, 15).date(), 4)
    assert [m.isoformat() for m in months] == [
        "2025-12-01",
        "2026-01-01",
        "2026-02-01",
        "2026-03-01",
    ]


def test_a_lenient_and_a_harsh_auditor_are_flagged_against_the_others(world):
    typical = [world.people[Role.AUDITOR], person(Role.AUDITOR, store=None, region=None)]
    lenient = person(Role.AUDITOR, store=None, region=None, first_name="Добрый")
    harsh = person(Role.AUDITOR, store=None, region=None, first_name="Строгий")
    stores = [world.store_a1, world.store_a2]
    for n in range(6):
        store = stores[n % 2]
        _published(world, {POLITE: "2"}, auditor=typical[n % 2], store=store)
        _published(world, {POLITE: "4"}, auditor=lenient, store=store)
        _published(world, {PHONE: "no", POLITE: "0"}, auditor=harsh, store=store)
    month = timezone.localdate().replace(day=1)

    rows = {r.auditor_id: r for r in auditor_calibration(start=month, end=timezone.localdate())}

    assert rows[lenient.pk].flag == "lenient" and rows[lenient.pk].bias > 8
    assert rows[harsh.pk].flag == "harsh" and rows[harsh.pk].bias < -8
    assert {rows[a.pk].flag for a in typical} == {""}
    assert rows[lenient.pk].spread == Decimal("0.0")  # the same score six times
    assert rows[harsh.pk].compared == 6


def test_the_scorecard_reads_each_stores_latest_and_average(world):
    first = _published(world)
    other = person(Role.AUDITOR, store=None, region=None)  # never twice in a row
    second = _published(world, {PHONE: "no"}, auditor=other)
    Visit.objects.filter(pk=second.pk).update(started_at=first.started_at + timedelta(hours=1))
    today = timezone.localdate()

    scores = store_audit_scores(
        stores=[world.store_a1, world.store_b1], start=today.replace(day=1), end=today
    )

    a1 = scores[world.store_a1.pk]
    assert (a1.visits, a1.latest, a1.latest_passed, a1.any_failed) == (
        2,
        second.score,
        False,
        True,
    )
    assert a1.average == percent_round((first.score + second.score) / 2)
    assert scores[world.store_b1.pk].visits == 0 and scores[world.store_b1.pk].latest is None


def test_kept_facts_equal_a_rebuild_after_corrections_and_appeals(world):
    lp, manager = world.people[Role.LP_MANAGER], world.people[Role.STORE_MANAGER]
    _published(world)
    visit = _published(world, {PHONE: "no", POLITE: "1"}, store=world.store_a2)
    keys = question_keys(visit)
    visit_correct(actor=lp, visit=visit, key=keys[POLITE], value="3", reason="Видео")
    other = person(Role.AUDITOR, store=None, region=None)  # never twice in a row
    third = _published(world, {PHONE: "no"}, auditor=other)
    appeal = appeal_create(actor=manager, visit=third, key=keys[PHONE], comment="Спросил")
    appeal_decide(actor=lp, appeal=appeal, accept=True, decision="Подтверждено записью")
    kept = _facts()

    audit_facts_rebuild()

    assert _facts() == kept
    assert kept[0] and kept[1]
