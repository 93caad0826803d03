"""KPI definitions over summed store-day facts, and the per-store totals selector."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from kpi.metrics import BY_CODE, RANKED, Totals
from kpi.models import StoreDay
from kpi.selectors import store_totals
from portal.org.models import Store
from portal.org.tests.factories import StoreFactory

TOTALS = Totals(
    receipts=200,
    identified=150,
    turnover=Decimal("100000.00"),
    lp_turnover=Decimal("80000.00"),
    items=700,
    card_days=120,
    new_members=20,
    phones=16,
    emails=5,
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("penetration", "75.0"),
        ("contact_capture", "80.0"),
        ("lp_turnover_share", "80.0"),
        ("average_receipt", "500.00"),
        ("average_lp_receipt", "533.33"),
        ("items_per_receipt", "3.50"),
        ("receipts_per_participant", "1.25"),
    ],
)
def test_each_kpi(code, expected):
    assert BY_CODE[code].of(TOTALS) == Decimal(expected)


def test_nothing_to_divide_gives_no_figure():
    assert all(kpi.of(Totals()) is None for kpi in RANKED)


@pytest.mark.django_db
def test_store_totals_sum_the_period_only():
    store, other = StoreFactory(code="S1"), StoreFactory(code="S2")
    day = datetime.date(2026, 11, 10)
    for offset, receipts in ((-1, 7), (0, 10), (1, 20), (2, 40)):
        StoreDay.objects.create(
            store=store,
            day=day + datetime.timedelta(days=offset),
            receipts=receipts,
            identified=receipts // 2,
            turnover=Decimal(receipts * 100),
        )
    StoreDay.objects.create(store=other, day=day, receipts=99)

    totals = store_totals(
        stores=Store.objects.filter(pk=store.pk), start=day, end=day + datetime.timedelta(days=1)
    )

    assert list(totals) == [store.pk]
    assert (totals[store.pk].receipts, totals[store.pk].identified) == (30, 15)
    assert BY_CODE["penetration"].of(totals[store.pk]) == Decimal("50.0")
