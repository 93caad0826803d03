"""Leaderboards: rank, ties, minimum volume, plans, change, gap; the page, its CSV and
PDF; a fixed number of queries whatever the number of stores and receipts."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpi.metrics import BY_CODE
from kpi.models import Plan
from kpi.periods import CUSTOM, Period, custom_period, month_named, month_of, week_named, week_of
from kpi.selectors import leaderboard
from kpi.tests.factories import receipts_file
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 14)
BEFORE = date(2026, 10, 13)
ONE_DAY = Period(CUSTOM, DAY, DAY)
PENETRATION = BY_CODE["penetration"]


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.KPI_MIN_RECEIPTS_PER_DAY = 10


@pytest.fixture
def chain(load):
    """Seven stores in two regions on one day (identified of 20 receipts), and the day
    before. S7 has too few receipts to be ranked."""
    north, south = RegionFactory(code="N", name="Север"), RegionFactory(code="S", name="Юг")
    shares = {"S1": 15, "S2": 12, "S3": 12, "S4": 10, "S5": 6, "S6": 4}
    for code, identified in shares.items():
        StoreFactory(code=code, region=north if code in ("S1", "S2", "S3") else south)
        load(receipts_file(code, DAY, receipts=20, identified=identified))
        load(receipts_file(code, BEFORE, receipts=20, identified=10))
    StoreFactory(code="S7", region=south)
    load(receipts_file("S7", DAY, receipts=5, identified=5))
    # S3 ties S2 on the share but has more receipts: listed first, same rank.
    load(receipts_file("S3", DAY, receipts=5, identified=5, tag="x"))
    return north, south


def test_ranks_ties_minimum_volume_and_highlights(chain):
    board = leaderboard(kpi=PENETRATION, stores=Store.objects.all(), period=ONE_DAY)

    ranked = [(r.store.code, r.rank, r.value, r.highlight) for r in board.ranked]
    assert ranked == [
        ("S1", 1, Decimal("75.0"), "top"),
        ("S3", 2, Decimal("68.0"), "top"),
        ("S2", 3, Decimal("60.0"), "top"),
        ("S4", 4, Decimal("50.0"), "bottom"),
        ("S5", 5, Decimal("30.0"), "bottom"),
        ("S6", 6, Decimal("20.0"), "bottom"),
    ]
    assert [r.store.code for r in board.unranked] == ["S7"]
    assert board.min_receipts == 10


def test_equal_values_share_a_rank_and_list_by_receipts(load):
    for code, receipts, identified in (("A", 20, 10), ("B", 40, 20), ("C", 20, 5)):
        StoreFactory(code=code)
        load(receipts_file(code, DAY, receipts=receipts, identified=identified))

    board = leaderboard(kpi=PENETRATION, stores=Store.objects.all(), period=ONE_DAY)

    assert [(r.store.code, r.rank) for r in board.ranked] == [("B", 1), ("A", 1), ("C", 3)]
    assert board.gap_to_next_place(board.ranked[2]) == Decimal("25.0")
    assert board.gap_to_next_place(board.ranked[0]) is None


def test_change_against_the_previous_period_and_gap_to_next_place(chain):
    board = leaderboard(kpi=PENETRATION, stores=Store.objects.all(), period=ONE_DAY)
    s4 = board.row_of(Store.objects.get(code="S4").pk)

    assert board.previous_period == Period(CUSTOM, BEFORE, BEFORE)
    assert s4.previous == Decimal("50.0") and s4.change == Decimal("0")
    assert board.row_of(Store.objects.get(code="S1").pk).change == Decimal("25.0")
    assert board.gap_to_next_place(s4) == Decimal("10.0")  # S2 at 60%


def test_the_most_specific_plan_applies(chain):
    north, _south = chain
    s1 = Store.objects.get(code="S1")
    for store, region, target in ((None, None, "50"), (None, north, "70"), (s1, None, "80")):
        Plan.objects.create(
            kpi="penetration",
            store=store,
            region=region,
            starts_on=date(2026, 10, 1),
            ends_on=date(2026, 10, 31),
            target=Decimal(target),
        )
    Plan.objects.create(  # a later plan that does not cover the period: ignored
        kpi="penetration", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30), target=99
    )

    board = leaderboard(kpi=PENETRATION, stores=Store.objects.all(), period=ONE_DAY)
    plans = {r.store.code: (r.plan.target, r.attainment) for r in board.ranked}

    assert plans["S1"] == (Decimal("80"), Decimal("93.8"))  # 75% of 80%
    assert plans["S2"] == (Decimal("70"), Decimal("85.7"))  # region plan
    assert plans["S4"] == (Decimal("50"), Decimal("100.0"))  # network plan


def test_periods_and_their_previous_periods():
    assert week_of(date(2026, 11, 25)) == Period("week", date(2026, 11, 23), date(2026, 11, 29))
    assert month_of(date(2026, 3, 10)).previous() == month_of(date(2026, 2, 1))
    assert month_of(date(2026, 3, 10)).previous().end == date(2026, 2, 28)
    assert week_named("2026-W01").start == date(2025, 12, 29)
    assert month_named("2026-02").days == 28
    custom = custom_period(date(2026, 10, 1), date(2026, 10, 10))
    assert custom.previous() == Period(CUSTOM, date(2026, 9, 21), date(2026, 9, 30))


def _page(client, **params):
    return client.get(
        reverse("kpi:leaderboard"),
        {"period": "custom", "start": DAY.isoformat(), "end": DAY.isoformat(), **params},
    )


def test_the_page_lists_the_board_and_exports_it(client, chain):
    client.force_login(person(Role.LP_MANAGER))

    page = _page(client)
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-testid="board-row"') == 6
    assert 'data-code="S1" data-rank="1"' in body and "<svg" in body
    assert "75,0\u00a0%" in body  # Russian number format
    assert "чеки по 14.10.2026" in body  # how fresh the data is

    exported = _page(client, format="csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][0] == "Место" and [r[1] for r in rows[1:]] == [
        "S1",
        "S3",
        "S2",
        "S4",
        "S5",
        "S6",
        "S7",
    ]
    assert rows[1][4] == "75.0" and rows[-1][0] == ""  # S7: not ranked

    pdf = client.get(
        reverse("kpi:leaderboard_pdf"),
        {"period": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()},
    )
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_regional_manager_ranks_the_region_and_sees_only_it(client, chain):
    north, _south = chain
    manager = person(Role.REGIONAL_MANAGER, region=north)
    client.force_login(manager)

    body = _page(client).content.decode()
    assert [c for c in ("S1", "S2", "S3", "S4") if f'data-code="{c}"' in body] == ["S1", "S2", "S3"]

    network = _page(client, region="all").content.decode()
    assert 'data-code="S1" data-rank="1"' in network and 'data-code="S4"' not in network
    assert "ещё 3 магазина рейтинга" in network.lower()
    assert _page(client, region="S").status_code == 404


def test_store_people_see_their_place_and_gap(client, chain):
    seller = person(Role.STORE_STAFF, store=Store.objects.get(code="S5"))
    client.force_login(seller)

    assert _page(client).url == reverse("kpi:my_store")
    page = client.get(
        reverse("kpi:store", args=["S5"]),
        {"period": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()},
    )
    body = page.content.decode()
    assert page.status_code == 200
    # In the south region S4 50%, S5 30%, S6 20%: second of three, 20 pp behind S4.
    assert 'data-testid="place-rank">2 ' in body
    assert "+20,0\u00a0п.п." in body
    assert client.get(reverse("kpi:store", args=["S4"])).status_code == 404


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert _page(client).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_with_more_stores_and_receipts(client, chain, load):
    client.force_login(person(Role.LP_MANAGER))
    few = _queries(client)
    region = RegionFactory(code="X")
    for n in range(12):
        StoreFactory(code=f"X{n}", region=region)
        load(receipts_file(f"X{n}", DAY, receipts=30, identified=n))
        Plan.objects.create(
            kpi="penetration",
            store=Store.objects.get(code=f"X{n}"),
            starts_on=DAY,
            ends_on=DAY,
            target=Decimal("40"),
        )

    assert _queries(client) == few


def test_a_store_without_the_lp_is_not_ranked_on_lp_kpis(load):
    for code, launched in (("A", date(2025, 3, 1)), ("B", None), ("C", date(2026, 11, 1))):
        StoreFactory(code=code, lp_launch_date=launched)
        load(receipts_file(code, DAY, receipts=20, identified=0 if launched is None else 5))

    lp_board = leaderboard(kpi=PENETRATION, stores=Store.objects.all(), period=ONE_DAY)
    receipt_board = leaderboard(
        kpi=BY_CODE["average_receipt"], stores=Store.objects.all(), period=ONE_DAY
    )

    assert [r.store.code for r in lp_board.ranked] == ["A"]
    assert {r.store.code: r.unranked_because for r in lp_board.unranked} == {
        "B": "not_launched",
        "C": "not_launched",
    }
    assert len(receipt_board.ranked) == 3


def test_a_region_cut_of_the_network_board_ranks_like_the_region_board(chain):
    _north, south = chain
    network = leaderboard(kpi=PENETRATION, stores=Store.objects.all(), period=ONE_DAY)
    region = leaderboard(kpi=PENETRATION, stores=Store.objects.filter(region=south), period=ONE_DAY)

    cut = network.within(south.pk)

    assert [(r.store.code, r.rank, r.highlight) for r in cut.ranked] == [
        (r.store.code, r.rank, r.highlight) for r in region.ranked
    ]
    assert [r.store.code for r in cut.unranked] == [r.store.code for r in region.unranked]
    assert network.row_of(Store.objects.get(code="S4").pk).rank == 4  # the network's untouched


def _store_page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = client.get(
            reverse("kpi:store", args=["S5"]),
            {"period": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()},
        )
        assert page.status_code == 200
    return len(queries)


def test_the_store_page_costs_the_same_queries_with_more_stores_and_plans(client, chain, load):
    client.force_login(person(Role.STORE_STAFF, store=Store.objects.get(code="S5")))
    _store_page_queries(client)  # the first read counts the store's SOP confirmations
    few = _store_page_queries(client)
    region = RegionFactory(code="Y")
    for n in range(8):
        store = StoreFactory(code=f"Y{n}", region=region)
        load(receipts_file(f"Y{n}", DAY, receipts=30, identified=n))
        Plan.objects.create(
            kpi="penetration", store=store, starts_on=DAY, ends_on=DAY, target=Decimal("40")
        )

    assert _store_page_queries(client) == few
