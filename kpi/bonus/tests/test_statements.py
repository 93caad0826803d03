"""A period's statement from the ranking to the locked payroll lines: who is paid what
and why, eligibility, disputes, the two approvals, corrections, auto-suspension."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.test.utils import CaptureQueriesContext

from kpi.bonus.choices import (
    DisputeStatus,
    FlagKind,
    Ineligible,
    LineKind,
    Mode,
    Outcome,
    SchemeEventKind,
    SchemeStatus,
    StatementEventKind,
    StatementStatus,
)
from kpi.bonus.models import AbuseFlag, Line, StaffTerms, Statement
from kpi.bonus.services.close import periods_close, periods_due
from kpi.bonus.services.statements import (
    StatementRefused,
    dispute_decide,
    line_adjust,
    line_dispute,
    statement_approve,
    statement_draft,
    statement_open,
    statement_restate,
)
from kpi.bonus.tests.factories import OCTOBER, chain, plan, scheme, store_days
from kpi.periods import month_of
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db
D = Decimal
NOVEMBER = month_of(dt.date(2026, 11, 1))
PENETRATIONS = [80, 75, 70, 60, 55, 50, 45, 40]  # stores 1..8: 1-3 top, 6-8 bottom


def _draft(s, actor=None, period=OCTOBER) -> Statement:
    (statement,) = statement_draft(actor=actor, scheme=s, period=period)
    return statement


def test_avtorus_the_three_worst_stores_staff_pay_the_three_best_exactly():
    # Given eight stores ranked on penetration, four people each
    c = chain(PENETRATIONS)
    # When October is drafted
    statement = _draft(scheme(c.hq, [c.region]))
    # Then the 12 people of the bottom three lose 3,000 ₽ each, and the 12 of the top
    # three gain the same 36,000 ₽ between them: nothing more, nothing less
    lines = list(statement.lines.all())
    bottom = {s.pk for s in c.stores[5:]}
    top = {s.pk for s in c.stores[:3]}
    assert {line.amount for line in lines if line.store_id in bottom} == {D("-3000.00")}
    assert {line.amount for line in lines if line.store_id in top} == {D("3000.00")}
    assert len(lines) == 24
    assert sum(line.amount for line in lines) == D("0.00")
    assert statement.awarded == statement.deducted == D("36000.00")
    outcomes = dict(statement.results.values_list("store__code", "outcome"))
    assert [outcomes[s.code] for s in c.stores] == ["top"] * 3 + ["middle"] * 2 + ["bottom"] * 3
    ranks = dict(statement.results.values_list("store__code", "rank"))
    assert [ranks[s.code] for s in c.stores] == list(range(1, 9))
    assert statement.events.get().kind == StatementEventKind.DRAFTED


def test_a_line_explains_itself_from_its_basis():
    c = chain(PENETRATIONS)
    statement = _draft(scheme(c.hq, [c.region]))
    line = statement.lines.filter(store=c.stores[-1]).first()
    assert line.basis["rank"] == 8 and line.basis["ranked"] == 8
    assert line.basis["outcome"] == Outcome.BOTTOM
    assert D(line.basis["value"]) == D("40.0")
    assert line.basis["per_person"] == "3000.00"


def test_drafting_twice_changes_nothing():
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region])
    first = _draft(s)
    assert _draft(s).pk == first.pk
    assert Statement.objects.count() == 1
    assert first.lines.count() == 24


def test_deductions_stop_at_the_persons_variable_bonus_and_the_pool_shrinks_with_them():
    c = chain(PENETRATIONS)
    poor = c.staff[c.stores[-1].pk][1]
    StaffTerms.objects.create(person=poor, variable_bonus=D("1200.00"))
    statement = _draft(scheme(c.hq, [c.region]))
    line = statement.lines.get(person=poor)
    assert (line.amount, line.capped) == (D("-1200.00"), True)
    assert statement.awarded == statement.deducted == D("34200.00")
    assert sum(statement.lines.values_list("amount", flat=True)) == 0


def test_fte_split_shares_the_pool_by_hr_fte():
    c = chain(PENETRATIONS)
    half = c.staff[c.stores[0].pk][1]
    StaffTerms.objects.create(person=half, fte=D("0.5"))
    statement = _draft(scheme(c.hq, [c.region], split="fte"))
    full = c.staff[c.stores[0].pk][2]
    assert statement.lines.get(person=half).amount * 2 == statement.lines.get(person=full).amount
    assert sum(statement.lines.values_list("amount", flat=True)) == 0


def test_ties_at_the_last_top_place_all_win_and_share_the_same_pool():
    c = chain([80, 70, 70, 70, 50, 45, 40, 35])
    statement = _draft(scheme(c.hq, [c.region]))
    outcomes = dict(statement.results.values_list("store__code", "outcome"))
    assert [outcomes[s.code] for s in c.stores[:4]] == ["top"] * 4
    assert sum(statement.lines.values_list("amount", flat=True)) == 0
    assert statement.deducted == D("36000.00")  # 3 bottom stores × 4 people


def test_ineligible_stores_are_shown_with_the_reason_and_not_ranked():
    c = chain(PENETRATIONS)
    late, quiet, flagged = c.stores[0], c.stores[1], c.stores[7]
    late.opened_on = dt.date(2026, 10, 10)
    late.save()
    quiet.days.update(receipts=5, identified=4)
    AbuseFlag.objects.create(
        kind=FlagKind.CARD_DAILY,
        store=flagged,
        starts_on=OCTOBER.start,
        ends_on=OCTOBER.end,
        measure=300,
        threshold=5,
    )
    statement = _draft(scheme(c.hq, [c.region]))
    results = {r.store_id: r for r in statement.results.all()}
    assert results[late.pk].ineligible == Ineligible.NOT_OPEN
    assert results[quiet.pk].ineligible == Ineligible.TOO_FEW
    assert results[flagged.pk].ineligible == Ineligible.FLAGGED
    assert {results[s.pk].outcome for s in (late, quiet, flagged)} == {Outcome.INELIGIBLE}
    assert not statement.lines.filter(store__in=[late, quiet, flagged]).exists()
    # the five eligible rank 1..5; with 3 + 3 needed, nobody is chosen
    assert sorted(r.rank for r in results.values() if r.rank) == [1, 2, 3, 4, 5]
    assert statement.lines.count() == 0


def test_a_cleared_flag_no_longer_holds_the_store():
    c = chain(PENETRATIONS)
    AbuseFlag.objects.create(
        kind=FlagKind.CARD_DAILY,
        store=c.stores[0],
        starts_on=OCTOBER.start,
        ends_on=OCTOBER.end,
        measure=300,
        threshold=5,
        status="cleared",
    )
    statement = _draft(scheme(c.hq, [c.region]))
    assert statement.results.get(store=c.stores[0]).outcome == Outcome.TOP


def test_galamart_plan_threshold_awards_at_plan_and_deducts_below_within_the_budget():
    c = chain([70, 65, 60, 50, 40], staff_per_store=1)
    plan(c.region, OCTOBER, 60)
    s = scheme(
        c.hq,
        [c.region],
        mode=Mode.THRESHOLD,
        payees="managers",
        award=D(5000),
        deduction=D(3000),
        budget_cap=D(12000),
    )
    statement = _draft(s)
    by_store = dict(statement.lines.values_list("store__code", "amount"))
    codes = [st.code for st in c.stores]
    # three at or above 60 %: 15,000 wanted, 12,000 budget → 4,000 each
    assert [by_store[code] for code in codes[:3]] == [D("4000.00")] * 3
    assert [by_store[code] for code in codes[3:]] == [D("-3000.00")] * 2
    assert statement.scope_target == D(60) and statement.scope_met is False


def _workflow(c):
    s = scheme(c.hq, [c.region])
    statement = statement_open(actor=c.hq, statement=_draft(s, actor=c.hq))
    return s, statement


def test_the_preparer_cannot_approve_and_the_two_approvers_differ():
    c = chain(PENETRATIONS)
    _s, statement = _workflow(c)
    assert statement.status == StatementStatus.REVIEW
    with pytest.raises(StatementRefused):
        statement_approve(actor=c.hq, statement=statement)  # prepared it
    statement = statement_approve(actor=c.regional, statement=statement)
    assert statement.status == StatementStatus.REGION_APPROVED
    with pytest.raises(StatementRefused):
        statement_approve(actor=c.hq, statement=statement)
    statement = statement_approve(actor=c.hq_second, statement=statement)
    assert statement.status == StatementStatus.LOCKED
    kinds = list(statement.events.order_by("at", "pk").values_list("kind", flat=True))
    assert kinds == ["drafted", "opened", "region_approved", "locked"]


def test_the_database_refuses_an_approval_by_the_preparer():
    c = chain(PENETRATIONS)
    _s, statement = _workflow(c)
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(region_approved_by=c.hq)


def test_a_locked_statement_cannot_change_even_in_the_database():
    c = chain(PENETRATIONS)
    _s, statement = _workflow(c)
    statement_approve(actor=c.regional, statement=statement)
    statement = statement_approve(actor=c.hq_second, statement=statement)
    line = statement.lines.first()
    for write in (
        lambda: Line.objects.filter(pk=line.pk).update(amount=D("-1.00")),
        lambda: Line.objects.filter(pk=line.pk).delete(),
        lambda: Statement.objects.filter(pk=statement.pk).update(awarded=0),
        lambda: Statement.objects.filter(pk=statement.pk).delete(),
        lambda: statement.results.all().delete(),
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            write()
    with pytest.raises(StatementRefused):
        statement_restate(actor=c.hq_second, statement=statement)
    before = line.amount
    line.refresh_from_db()
    assert line.amount == before


def test_a_dispute_accepted_excludes_the_person_restates_and_the_decider_cannot_approve():
    c = chain(PENETRATIONS)
    _s, statement = _workflow(c)
    manager = c.staff[c.stores[-1].pk][0]
    seller = c.staff[c.stores[-1].pk][1]
    line = statement.lines.get(person=seller)
    # a store manager cannot dispute another store's line
    other = statement.lines.filter(store=c.stores[0]).first()
    with pytest.raises(StatementRefused):
        line_dispute(actor=manager, line=other, comment="не наш")
    dispute = line_dispute(actor=manager, line=line, comment="В отпуске весь октябрь")
    with pytest.raises(StatementRefused):
        statement_approve(actor=c.regional, statement=statement)  # a dispute is open
    dispute_decide(
        actor=c.regional, dispute=dispute, accept=True, decision="Отпуск", exclude="person"
    )
    statement.refresh_from_db()
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.ACCEPTED
    assert not statement.lines.filter(person=seller).exists()
    assert statement.changed_by == c.regional
    assert sum(statement.lines.values_list("amount", flat=True)) == 0
    assert statement.deducted == D("33000.00")
    with pytest.raises(StatementRefused):
        statement_approve(actor=c.regional, statement=statement)  # changed it
    statement = statement_approve(actor=c.hq_second, statement=statement)  # HQ stands in
    with pytest.raises(StatementRefused):
        statement_approve(actor=c.hq_second, statement=statement)  # approved first
    with pytest.raises(StatementRefused):
        statement_approve(actor=c.hq, statement=_refresh(statement))  # prepared it
    third = person(Role.LP_MANAGER)
    assert statement_approve(actor=third, statement=_refresh(statement)).is_locked


def _refresh(statement):
    statement.refresh_from_db()
    return statement


def test_nobody_decides_their_own_dispute_and_a_rejection_changes_nothing():
    c = chain(PENETRATIONS)
    _s, statement = _workflow(c)
    manager = c.staff[c.stores[-1].pk][0]
    dispute = line_dispute(
        actor=manager, line=statement.lines.filter(store=c.stores[-1]).first(), comment="?"
    )
    with pytest.raises(StatementRefused):
        dispute_decide(actor=manager, dispute=dispute, accept=True, decision="сам")
    before = list(statement.lines.values_list("pk", "amount"))
    dispute_decide(actor=c.regional, dispute=dispute, accept=False, decision="Верно")
    assert list(statement.lines.values_list("pk", "amount")) == before
    assert _refresh(statement).changed_by is None


def test_a_correction_of_a_locked_line_lands_in_the_next_period_linked_to_it():
    c = chain(PENETRATIONS)
    for store, share in zip(c.stores, PENETRATIONS, strict=True):
        store_days(store, NOVEMBER, penetration=share)
    s, statement = _workflow(c)
    statement_approve(actor=c.regional, statement=statement)
    statement_approve(actor=c.hq_second, statement=_refresh(statement))
    line = statement.lines.filter(kind=LineKind.DEDUCTION).first()
    adjustment = line_adjust(actor=c.hq, line=line, amount=D("3000"), reason="Больничный")
    assert adjustment.applied is None
    november = _draft(s, period=NOVEMBER)
    correction = november.lines.get(kind=LineKind.ADJUSTMENT)
    assert correction.corrects == line and correction.amount == D("3000.00")
    assert november.adjusted == D("3000.00")
    adjustment.refresh_from_db()
    assert adjustment.applied == correction
    assert line.statement.events.filter(kind=StatementEventKind.ADJUSTMENT_FILED).exists()


def test_the_scheme_suspends_itself_when_the_plan_holds_and_resumes_when_it_slips():
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region], suspend_after=2, resume_after=1, starts_on=dt.date(2026, 8, 1))
    months = [month_of(dt.date(2026, m, 1)) for m in (8, 9, 10, 11, 12)]
    for store, share in zip(c.stores, PENETRATIONS, strict=True):
        for month in months:
            if month != OCTOBER:
                store_days(store, month, penetration=share)
    # the region's penetration is 59.4 %: plan 50 met in Aug and Sep, missed (70) in Nov
    for month in months[:4]:
        plan(c.region, month, 50)
    plan(c.region, months[4], 70)
    for month in months[:2]:
        _draft(s, period=month)
    s.refresh_from_db()
    assert s.status == SchemeStatus.SUSPENDED
    assert s.events.filter(kind=SchemeEventKind.SUSPENDED).count() == 1
    october = _draft(s, period=months[2])
    assert october.suspended and october.lines.count() == 0
    assert set(october.results.values_list("outcome", flat=True)) == {Outcome.SUSPENDED}
    _draft(s, period=months[3])
    s.refresh_from_db()
    assert s.status == SchemeStatus.SUSPENDED
    _draft(s, period=months[4])  # missed
    s.refresh_from_db()
    assert s.status == SchemeStatus.ACTIVE
    assert s.events.filter(kind=SchemeEventKind.RESUMED).count() == 1


def test_the_close_drafts_and_opens_each_due_period_once(settings):
    settings.BONUS_CLOSE_AFTER_DAYS = 2
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region], starts_on=dt.date(2026, 10, 1))
    assert periods_due(scheme=s, today=dt.date(2026, 11, 1)) == []
    assert [p.start for p in periods_due(scheme=s, today=dt.date(2026, 11, 2))] == [OCTOBER.start]
    assert periods_close(today=dt.date(2026, 11, 2)) == 1
    assert periods_close(today=dt.date(2026, 11, 2)) == 0
    statement = Statement.objects.get()
    assert statement.status == StatementStatus.REVIEW and statement.prepared_by is None


def test_drafting_costs_the_same_queries_for_more_stores():
    small = chain(PENETRATIONS, code="RS")
    big = chain(PENETRATIONS * 3, code="RB")
    s_small = scheme(small.hq, [small.region])
    s_big = scheme(big.hq, [big.region])
    with CaptureQueriesContext(connection) as few:
        _draft(s_small)
    with CaptureQueriesContext(connection) as many:
        _draft(s_big)
    assert len(many.captured_queries) == len(few.captured_queries)
