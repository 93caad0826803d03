"""Abuse flags: each rule raises on its pattern and not on the ordinary trade just below
its threshold; the seeded pattern (a cashier's own card on hundreds of receipts) raises
three flags with their receipts; the scan is idempotent, costs the same queries at two
sizes and gives the same flags on both paths; LP managers decide, with a note."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpi.bonus.choices import FlagEventKind, FlagKind, FlagStatus
from kpi.bonus.models import AbuseFlag, FlagEvent
from kpi.bonus.selectors.flags import (
    cashiers_held,
    flag_candidates,
    flag_get_visible,
    flags_visible_to,
    stores_held,
)
from kpi.bonus.services.flags import flag_clear, flag_confirm, flags_scan
from kpi.bonus.tests.factories_flags import MARCH, flag_raised, history, receipts, trade
from kpi.periods import week_of
from portal.celery import BEAT_SCHEDULE
from portal.org.choices import Role
from portal.org.services import person_access_sync
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db
WEEK = week_of(dt.date(2026, 3, 2))  # 2–8 March
DAY = dt.date(2026, 3, 4)


def found(period=MARCH, **kwargs) -> list:
    return flag_candidates(start=period.start, end=period.end, **kwargs)


def kinds(candidates) -> list[tuple[str, str, str, str]]:
    return sorted((c.kind, c.store_id, c.cashier, c.card_id) for c in candidates)


def only(kind: str, store, cashier: str = "", *, when: bool = True) -> list[tuple]:
    """The one flag expected (none when `when` is false)."""
    return [(kind, store.pk, cashier, "")] if when else []


def figures(candidate) -> tuple[Decimal, Decimal]:
    return candidate.measure, candidate.threshold


def own_card_pattern(store, *, card="79031234567", days=30) -> None:
    """The seeded abuse: cashier C1 rings their own card on six receipts a day (180 in
    the month) and four ordinary ones, beside C2's ordinary trade (40 % identified)."""
    trade(store, per_day=20, identified=8, cashiers=("C2",))
    for n in range(days):
        day = MARCH.start + dt.timedelta(days=n)
        receipts(store, day, 4, card=None, cashier="C1")
        receipts(store, day, 6, card=card, cashier="C1")


# ---- the rules -----------------------------------------------------------------------


@pytest.mark.parametrize(("count", "flagged"), [(6, True), (5, False)])
def test_a_card_on_more_receipts_a_day_than_the_limit_is_flagged(count, flagged):
    store = StoreFactory()
    trade(store, WEEK)
    receipts(store, DAY, count, card="7700000000001")

    candidates = found(WEEK)

    expected = [(FlagKind.CARD_DAILY, store.pk, "", "7700000000001")] if flagged else []
    assert kinds(candidates) == expected
    if flagged:
        assert figures(candidates[0]) == (Decimal(6), Decimal(5))
        assert candidates[0].receipts == 6


def test_a_card_over_the_daily_limit_across_stores_flags_each_store():
    first, second = StoreFactory(), StoreFactory()
    receipts(first, DAY, 3, card="7700000000002")
    receipts(second, DAY, 3, card="7700000000002")
    receipts(second, DAY + dt.timedelta(days=1), 5, card="7700000000002")

    candidates = [c for c in found(WEEK) if c.kind == FlagKind.CARD_DAILY]

    assert sorted((c.store_id, c.measure, c.receipts) for c in candidates) == sorted(
        [(first.pk, Decimal(6), 3), (second.pk, Decimal(6), 3)]
    )


@pytest.mark.parametrize(("stores", "flagged"), [(5, True), (4, False)])
def test_a_card_across_more_stores_than_the_limit_is_flagged_at_each(stores, flagged):
    shops = [StoreFactory() for _n in range(stores)]
    for n, shop in enumerate(shops):
        receipts(shop, DAY + dt.timedelta(days=n % 3), 1, card="7700000000003")

    candidates = found(WEEK)

    assert len(candidates) == (stores if flagged else 0)
    assert {c.kind for c in candidates} <= {FlagKind.CARD_STORES}
    assert all(c.measure == Decimal(5) and c.receipts == 1 for c in candidates)


def _top_cards(store, each: int) -> None:
    for card in ("7700000000011", "7700000000012", "7700000000013"):
        for n in range(each):
            receipts(store, MARCH.start + dt.timedelta(days=n % MARCH.days), 1, card=card)


@pytest.mark.parametrize(("each", "flagged"), [(42, True), (41, False)])
def test_a_few_cards_carrying_more_than_the_share_flag_the_store(each, flagged):
    # 496 identified receipts on cards seen once; 3 cards on 126: 20.3 %; on 123: 19.9 %.
    store = StoreFactory()
    trade(store, per_day=20, identified=16)
    _top_cards(store, each)

    candidates = found()

    assert kinds(candidates) == (
        [(FlagKind.CARD_CONCENTRATION, store.pk, "", "")] if flagged else []
    )
    if flagged:
        assert candidates[0].measure == Decimal("20.3")
        assert candidates[0].receipts == 126
        assert {r["card"] for r in candidates[0].evidence} == {
            "7700000000011",
            "7700000000012",
            "7700000000013",
        }


def test_a_store_under_the_minimum_identified_receipts_is_not_judged_on_its_top_cards():
    store = StoreFactory()
    trade(store, per_day=12, identified=6)  # 186 identified, 372 with the top cards
    _top_cards(store, 62)

    assert found() == []


@pytest.mark.parametrize(("identified", "flagged"), [(35, True), (34, False)])
def test_a_cashier_far_above_the_store_is_flagged(identified, flagged):
    # The store: 310 receipts at 40 %; C3 adds 50: 70 % against 44.2 + 25 (flagged),
    # 68 % against 43.9 + 25 (not).
    store = StoreFactory()
    trade(store, per_day=10, identified=4)
    receipts(store, DAY, identified, card=None, cashier="C3")
    receipts(store, DAY, 50 - identified, cashier="C3")

    candidates = found()

    assert kinds(candidates) == ([(FlagKind.CASHIER_SHARE, store.pk, "C3", "")] if flagged else [])
    if flagged:
        assert (candidates[0].measure, candidates[0].threshold) == (
            Decimal("70.0"),
            Decimal("69.2"),
        )
        assert {r["cashier"] for r in candidates[0].evidence} == {"C3"}


def test_a_cashier_under_the_minimum_receipts_is_not_judged():
    store = StoreFactory()
    trade(store, per_day=10, identified=4)
    receipts(store, DAY, 49, card=None, cashier="C3")

    assert found() == []


@pytest.mark.parametrize(("identified", "flagged"), [(61, True), (60, False)])
def test_a_store_jumping_above_its_own_trend_is_flagged(identified, flagged):
    store = StoreFactory()
    history(
        store,
        WEEK.start - dt.timedelta(days=28),
        WEEK.start - dt.timedelta(days=1),
        receipts=100,
        identified=40,
    )
    history(store, WEEK.start, WEEK.end, receipts=100, identified=identified)

    candidates = found(WEEK)

    assert kinds(candidates) == ([(FlagKind.STORE_JUMP, store.pk, "", "")] if flagged else [])
    if flagged:
        assert (candidates[0].measure, candidates[0].threshold) == (
            Decimal("61.0"),
            Decimal("60.0"),
        )


def test_a_store_whose_programme_is_still_ramping_up_is_not_judged_on_a_jump():
    store = StoreFactory(lp_launch_date=WEEK.start - dt.timedelta(days=40))
    history(
        store,
        WEEK.start - dt.timedelta(days=28),
        WEEK.start - dt.timedelta(days=1),
        receipts=100,
        identified=20,
    )
    history(store, WEEK.start, WEEK.end, receipts=100, identified=70)

    assert found(WEEK) == []


@pytest.mark.parametrize(
    ("phones", "flagged"),
    [(["79000000000", "74951234567", "1234567890"], True), (["79000000000", "74951234567"], False)],
)
def test_a_cashier_enrolling_invalid_phones_is_flagged(phones, flagged):
    store = StoreFactory()
    for phone in phones:
        receipts(store, DAY, 1, card=phone, cashier="C4", new_member=True)
    receipts(store, DAY, 1, card="79161239876", cashier="C4", new_member=True)  # a real one

    candidates = found(WEEK)

    assert kinds(candidates) == (
        [(FlagKind.ENROLMENT_PHONES, store.pk, "C4", "")] if flagged else []
    )
    if flagged:
        assert candidates[0].measure == Decimal(3)
        assert sorted(r["card"] for r in candidates[0].evidence) == sorted(phones)


def test_a_card_enrolled_again_and_again_is_a_bad_enrolment():
    store = StoreFactory()
    receipts(store, DAY, 3, card="79161239876", cashier="C5", new_member=True)

    assert kinds(found(WEEK)) == [(FlagKind.ENROLMENT_PHONES, store.pk, "C5", "")]


def test_ordinary_trade_raises_nothing():
    for _n in range(3):
        trade(StoreFactory(), per_day=12, identified=6, cashiers=("C1", "C2", "C3"))

    assert found() == []


# ---- the seeded pattern, evidence, the two paths -------------------------------------


def test_a_cashiers_own_card_on_hundreds_of_receipts_raises_three_flags_with_receipts():
    store = StoreFactory(code="OWN1")
    own_card_pattern(store)

    candidates = {c.kind: c for c in found()}

    assert set(candidates) == {
        FlagKind.CARD_DAILY,
        FlagKind.CARD_CONCENTRATION,
        FlagKind.CASHIER_SHARE,
    }
    daily = candidates[FlagKind.CARD_DAILY]
    assert (daily.card_id, daily.measure, daily.receipts) == ("79031234567", Decimal(6), 180)
    assert candidates[FlagKind.CASHIER_SHARE].cashier == "C1"
    evidence = daily.evidence
    assert 6 <= len(evidence) <= 50
    assert {(r["store"], r["card"], r["cashier"]) for r in evidence} == {
        ("OWN1", "79031234567", "C1")
    }
    assert all(r["receipt"].startswith("R") and r["amount"] == "250.00" for r in evidence)
    assert [r["at"] for r in evidence] == sorted(r["at"] for r in evidence)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the fast path is PostgreSQL's")
def test_the_fast_path_finds_exactly_what_the_reference_path_finds():
    own_card_pattern(StoreFactory())
    trade(store := StoreFactory(), per_day=20, identified=16)
    _top_cards(store, 42)
    for shop in [StoreFactory() for _n in range(5)]:
        receipts(shop, DAY, 1, card="7700000000003")
    receipts(store, DAY, 3, card="79000000000", cashier="C4", new_member=True)

    def figures(fast: bool) -> list[tuple]:
        return [
            (
                c.kind,
                c.store_id,
                c.cashier,
                c.card_id,
                c.measure,
                c.threshold,
                c.receipts,
                c.evidence,
            )
            for c in found(fast=fast)
        ]

    assert figures(fast=True) == figures(fast=False)
    assert len(figures(fast=True)) == 10


def test_the_scan_costs_the_same_queries_whatever_the_stores_and_receipts(
    django_assert_num_queries,
):
    own_card_pattern(StoreFactory())
    with CaptureQueriesContext(connection) as small:
        flags_scan(start=MARCH.start, end=MARCH.end)
    for _n in range(4):
        own_card_pattern(StoreFactory(), card=f"7903123{_n:04d}")
        trade(StoreFactory(), per_day=12, identified=6)
    AbuseFlag.objects.all().delete()

    with django_assert_num_queries(len(small)):
        flags_scan(start=MARCH.start, end=MARCH.end)


# ---- raising flags -------------------------------------------------------------------


def test_a_scan_raises_each_pattern_once_with_its_event_and_a_rerun_raises_nothing():
    own_card_pattern(StoreFactory())

    first = flags_scan(start=MARCH.start, end=MARCH.end)
    again = flags_scan(start=MARCH.start, end=MARCH.end)

    assert (first.found, len(first.raised)) == (3, 3)
    assert (again.found, len(again.raised)) == (3, 0)
    assert AbuseFlag.objects.count() == 3
    assert FlagEvent.objects.filter(kind=FlagEventKind.RAISED).count() == 3
    assert all(flag.evidence and flag.status == FlagStatus.OPEN for flag in AbuseFlag.objects.all())


def test_a_decided_flag_stays_decided_when_the_pattern_is_found_again():
    own_card_pattern(StoreFactory())
    flags_scan(start=MARCH.start, end=MARCH.end)
    flag = AbuseFlag.objects.get(kind=FlagKind.CARD_DAILY)
    flag_clear(actor=_lp_manager(), flag=flag, note="Карта семьи кассира, проверено.")

    flags_scan(start=MARCH.start, end=MARCH.end)

    flag.refresh_from_db()
    assert flag.status == FlagStatus.CLEARED
    assert AbuseFlag.objects.count() == 3


def test_the_command_scans_a_period_and_the_task_is_scheduled(capsys):
    own_card_pattern(StoreFactory())

    call_command("bonus_flags_scan", "--start", "2026-03-01", "--end", "2026-03-31")

    assert "3 flags raised" in capsys.readouterr().out
    assert BEAT_SCHEDULE["bonus-flags-scan"]["task"] == "kpi.bonus.tasks.bonus_flags_scan"


# ---- deciding, holding, seeing ---------------------------------------------------------


def _lp_manager():
    return person(Role.LP_MANAGER)


@pytest.mark.parametrize(
    ("decide", "status", "event"),
    [
        (flag_clear, FlagStatus.CLEARED, FlagEventKind.CLEARED),
        (flag_confirm, FlagStatus.CONFIRMED, FlagEventKind.CONFIRMED),
    ],
)
def test_an_lp_manager_decides_a_flag_with_a_note_and_it_is_logged(decide, status, event):
    flag, manager = flag_raised(StoreFactory()), _lp_manager()

    decide(actor=manager, flag=flag, note="  Проверено по записям камер.  ")

    flag.refresh_from_db()
    assert (flag.status, flag.decided_by, flag.decision) == (
        status,
        manager,
        "Проверено по записям камер.",
    )
    logged = flag.events.get(kind=event)
    assert (logged.actor, logged.payload) == (manager, {"note": "Проверено по записям камер."})


def test_a_decision_needs_a_note():
    flag = flag_raised(StoreFactory())

    with pytest.raises(ValidationError):
        flag_clear(actor=_lp_manager(), flag=flag, note="   ")

    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert flag.events.count() == 1


@pytest.mark.parametrize(
    "role", [Role.REGIONAL_MANAGER, Role.STORE_MANAGER, Role.CALL_CENTER_SUPERVISOR]
)
def test_only_an_lp_manager_decides(role):
    store = StoreFactory()
    flag = flag_raised(store)

    with pytest.raises(PermissionDenied):
        flag_confirm(actor=person(role, store=store, region=store.region), flag=flag, note="Да")

    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_a_decided_flag_is_not_decided_again():
    flag, manager = flag_raised(StoreFactory()), _lp_manager()
    flag_confirm(actor=manager, flag=flag, note="Подтверждаю")

    with pytest.raises(ValidationError):
        flag_clear(actor=manager, flag=flag, note="Передумал")


def test_open_and_confirmed_flags_hold_their_store_or_cashier_for_the_periods_they_overlap():
    held, cleared, cashier_store, elsewhere = (StoreFactory() for _n in range(4))
    flag_raised(held)
    flag_clear(actor=_lp_manager(), flag=flag_raised(cleared), note="Нет нарушения")
    flag_raised(cashier_store, kind=FlagKind.CASHIER_SHARE, cashier="C1", card_id="")
    flag_raised(elsewhere, period=week_of(dt.date(2026, 4, 6)))
    ids = [s.pk for s in (held, cleared, cashier_store, elsewhere)]

    assert stores_held(store_ids=ids, start=WEEK.start, end=WEEK.end) == {held.pk}
    assert cashiers_held(store_ids=ids, start=MARCH.start, end=MARCH.end) == {
        (cashier_store.pk, "C1")
    }
    assert stores_held(store_ids=ids, start=dt.date(2026, 4, 1), end=dt.date(2026, 4, 30)) == {
        elsewhere.pk
    }


def test_hq_sees_every_flag_a_regional_manager_their_regions_and_no_one_else_any():
    ours, theirs = RegionFactory(), RegionFactory()
    mine = flag_raised(StoreFactory(region=ours))
    other = flag_raised(StoreFactory(region=theirs))
    admin = person(Role.ADMIN)
    person_access_sync(person=admin)

    assert set(flags_visible_to(user=_lp_manager())) == {mine, other}
    assert set(flags_visible_to(user=admin)) == {mine, other}
    assert set(flags_visible_to(user=person(Role.REGIONAL_MANAGER, region=ours))) == {mine}
    assert set(flags_visible_to(user=_lp_manager(), region=theirs)) == {other}
    for role in (Role.STORE_MANAGER, Role.STORE_STAFF, Role.AUDITOR, Role.CALL_CENTER_AGENT):
        viewer = person(role, store=mine.store)
        assert not flags_visible_to(user=viewer).exists()
        with pytest.raises(Exception) as refused:
            flag_get_visible(user=viewer, pk=mine.pk)
        assert refused.type.__name__ == "Http404"
