"""The POS simulator: deterministic files the import accepts, with the structure of a real
chain (weekly rhythm, LP launch, stores lifted by the motivation scheme)."""

from __future__ import annotations

import io
from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from kpi.models import Receipt
from kpi.receipts_csv import parse_receipts
from kpi.simulator import PosSimulator, receipts_bulk_write, store_profiles
from portal.org.tests.factories import StoreFactory, UserFactory

MONDAY = date(2026, 3, 2)
START = date(2026, 6, 1)


def _store(code="S1", fmt="super", launched=date(2025, 3, 1)):
    return SimpleNamespace(
        code=code, format=fmt, opened_on=date(2020, 1, 15), lp_launch_date=launched
    )


def _simulator(*stores, scale=0.05, seed=7, improving=None, **kwargs):
    profiles = store_profiles(stores, seed=seed, improving=improving)
    return PosSimulator(profiles, seed=seed, scale=scale, motivation_start=START, **kwargs)


def _rows(simulator, start, end):
    return [line.rstrip("\n").split(";") for line in simulator.lines(start, end)]


def _identified_share(rows):
    return sum(1 for r in rows if r[5]) / len(rows)


def test_the_same_seed_gives_the_same_bytes():
    store = _store()

    first = _simulator(store, seed=11).csv_bytes(MONDAY, MONDAY + timedelta(days=6))
    again = _simulator(store, seed=11).csv_bytes(MONDAY, MONDAY + timedelta(days=6))
    other = _simulator(store, seed=12).csv_bytes(MONDAY, MONDAY + timedelta(days=6))

    assert first == again
    assert first != other


def test_a_month_in_one_file_holds_the_same_receipts_as_daily_files():
    simulator = _simulator(_store("S1"), _store("S2", fmt="hyper"))
    end = MONDAY + timedelta(days=9)

    daily = []
    day = MONDAY
    while day <= end:
        daily += list(simulator.lines(day, day))
        day += timedelta(days=1)

    assert list(simulator.lines(MONDAY, end)) == daily


@pytest.mark.django_db
def test_the_file_passes_the_import_and_loading_it_again_adds_nothing(load):
    stores = [StoreFactory(code="SIM1"), StoreFactory(code="SIM2", format="convenience")]
    UserFactory(store=stores[0], personnel_number="700001")
    simulator = _simulator(*stores, scale=0.02)
    content = simulator.csv_bytes(MONDAY, MONDAY + timedelta(days=13))

    batch = load(content, filename="sim.csv")
    again = load(content, filename="sim.csv")

    assert batch.rows == batch.inserted == Receipt.objects.count() > 0
    assert (again.rows, again.inserted, again.already_loaded) == (batch.rows, 0, batch.rows)


@pytest.mark.django_db
def test_a_utf8_file_with_decimal_points_passes_the_import(load):
    StoreFactory(code="SIM1")
    simulator = _simulator(_store("SIM1"), scale=0.02, decimal_comma=False)

    batch = load(simulator.csv_bytes(MONDAY, MONDAY + timedelta(days=2), encoding="utf-8"))

    assert batch.rows == batch.inserted > 0


def test_saturdays_have_more_receipts_than_mondays():
    rows = _rows(_simulator(_store()), MONDAY, MONDAY + timedelta(weeks=8, days=-1))

    by_weekday = [0] * 7
    for row in rows:
        by_weekday[date.fromisoformat(row[2][:10]).weekday()] += 1

    assert by_weekday[5] > by_weekday[0] * 1.2


def test_improving_stores_identify_more_receipts_after_the_motivation_start():
    simulator = _simulator(_store("UP"), improving={"UP"})

    before = _rows(simulator, START - timedelta(weeks=6), START - timedelta(days=1))
    after = _rows(simulator, START + timedelta(weeks=2), START + timedelta(weeks=8))

    assert _identified_share(after) > _identified_share(before) + 0.06


def test_other_stores_are_not_lifted_by_the_motivation_scheme():
    simulator = _simulator(_store("FLAT"), improving=set())

    assert simulator.profiles[0].uplift == 0
    before = simulator.penetration(simulator.profiles[0], START - timedelta(days=1))
    after = simulator.penetration(simulator.profiles[0], START + timedelta(days=20))
    assert abs(after - before) < 0.1


def test_no_identified_receipts_without_the_lp_or_before_its_launch():
    launch = MONDAY + timedelta(days=7)
    simulator = _simulator(_store("NOLP", launched=None), _store("LATE", launched=launch))

    rows = _rows(simulator, MONDAY, launch + timedelta(days=6))

    assert not [r for r in rows if r[0] == "NOLP" and r[5]]
    late = [r for r in rows if r[0] == "LATE"]
    assert not [r for r in late if r[5] and r[2] < f"{launch}"]
    assert [r for r in late if r[5] and r[2] >= f"{launch}"]


def test_cards_return_and_new_members_leave_contacts():
    rows = _rows(_simulator(_store(), scale=0.2), MONDAY, MONDAY + timedelta(weeks=4))

    identified = [r for r in rows if r[5]]
    new = [r for r in rows if r[7] == "1"]
    assert len({r[5] for r in identified}) < len(identified) * 0.8
    assert 0.01 < len(new) / len(rows) < 0.03
    assert all(r[5] for r in new)
    assert sum(r[8] == "1" for r in new) > sum(r[9] == "1" for r in new)


def test_cashiers_are_the_stores_own_staff():
    profiles = store_profiles([_store()], cashiers={"S1": ["100001", "100002"]})
    simulator = PosSimulator(profiles, scale=0.05)

    assert {r[6] for r in _rows(simulator, MONDAY, MONDAY)} <= {"100001", "100002"}


def test_the_bulk_generator_writes_valid_receipts_in_time_order():
    out = io.BytesIO()

    receipts_bulk_write(out, stores=["B1", "B2"], day=MONDAY, count=5000)

    rows = parse_receipts(out.getvalue(), {"B1": 1, "B2": 2})
    assert len(rows) == 5000
    assert [r.issued_at for r in rows] == sorted(r.issued_at for r in rows)
    assert 0.45 < sum(1 for r in rows if r.card_id) / len(rows) < 0.65
