"""What the KPI scorecard reads of the complaint desk, across apps: receipts loaded through
the KPI loading service, complaints filed and receipts looked up through the desk's
services, then complaints per 1,000 receipts and the receipts not identified per store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from audits.tests.factories import receipts_load
from incidents.choices import Category, ReceiptFinding
from incidents.selectors.scorecard import (
    complaints_per_thousand_receipts,
    not_identified_receipts,
)
from incidents.services.guided import receipt_check
from incidents.services.workflow import ticket_merge
from incidents.tests.factories import MSK, ticket
from portal.org.choices import Role
from portal.org.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

MAR_2, MAR_3, MAR_4 = dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)


def _on(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=MSK)


@pytest.fixture
def chain(world, django_capture_on_commit_callbacks):
    """Receipts (ids «YYMMDD-n», the first `identified` with a card):
    A1: 2.03 four (one identified), 3.03 five (all), 4.03 five — nine on 2–3 March;
    A2: 2.03 three; A3 (region A): 3.03 two; B1: none.
    Complaints on 2–3 March: A1 four (two not identified, one a second ticket on the
    same receipt, one identified) and a fifth merged into the first; A2 one; B1 one.
    On 4 March: A1 one."""
    capture = django_capture_on_commit_callbacks
    a1, a2, b1 = world.store_a1, world.store_a2, world.store_b1
    a3 = StoreFactory(code="A3", region=world.region_a)
    receipts_load(capture, a1, MAR_2, receipts=4, identified=1)
    receipts_load(capture, a1, MAR_3, receipts=5, identified=5)
    receipts_load(capture, a1, MAR_4, receipts=5, identified=5)
    receipts_load(capture, a2, MAR_2, receipts=3, identified=3)
    receipts_load(capture, a3, MAR_3, receipts=2, identified=2)
    agent = world.people[Role.CALL_CENTER_AGENT]

    def points(day: dt.date, receipt: str, store=a1):
        made = ticket(at=_on(day), store=store, category=Category.BONUS_NOT_CREDITED)
        return receipt_check(made, actor=agent, store=store, number=receipt)

    first = points(MAR_2, "260302-1")
    points(MAR_3, "260302-2")
    again = points(MAR_3, "260302-1")
    known = points(MAR_3, "260303-0")
    merged = points(MAR_3, "260302-3")
    ticket_merge(merged, into=first, actor=agent)
    ticket(at=_on(MAR_3), store=a2, category=Category.STAFF_BEHAVIOUR)
    ticket(at=_on(MAR_2), store=b1, category=Category.PROMOTIONS)
    ticket(at=_on(MAR_4), store=a1, category=Category.OTHER)
    assert first.receipt_finding == again.receipt_finding == ReceiptFinding.NOT_IDENTIFIED
    assert known.receipt_finding == ReceiptFinding.IDENTIFIED
    return {"A1": a1.pk, "A2": a2.pk, "A3": a3.pk, "B1": b1.pk}


def test_complaints_per_thousand_receipts_of_each_store(chain):
    rates = complaints_per_thousand_receipts(start=MAR_2, end=MAR_3)

    assert rates == {
        chain["A1"]: Decimal("444.44"),  # 4 complaints (not the merged one) per 9 receipts
        chain["A2"]: Decimal("333.33"),  # 1 per 3
        chain["A3"]: Decimal("0.00"),  # receipts and no complaint
    }  # B1 has a complaint and no receipts: no rate


def test_the_rate_reads_only_the_stores_and_days_asked_for(chain):
    some = complaints_per_thousand_receipts(
        start=MAR_2, end=MAR_3, store_ids=[chain["A2"], chain["B1"], chain["A3"]]
    )
    fourth = complaints_per_thousand_receipts(start=MAR_4, end=MAR_4)

    assert some == {chain["A2"]: Decimal("333.33"), chain["A3"]: Decimal("0.00")}
    assert fourth == {chain["A1"]: Decimal("200.00")}  # 1 per 5


def test_receipts_not_identified_count_each_receipt_once(chain):
    assert not_identified_receipts(start=MAR_2, end=MAR_3) == {chain["A1"]: 2}
    assert not_identified_receipts(start=MAR_2, end=MAR_2) == {chain["A1"]: 1}
    assert not_identified_receipts(start=MAR_4, end=MAR_4) == {}


def test_the_scorecard_reads_cost_two_queries_and_one(chain, django_assert_num_queries):
    with django_assert_num_queries(2):
        complaints_per_thousand_receipts(start=MAR_2, end=MAR_3)
    with django_assert_num_queries(1):
        not_identified_receipts(start=MAR_2, end=MAR_3)
