"""A store's scorecard: a typed row read from store days, participants included."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpi.metrics import BY_CODE
from kpi.models import Receipt, StoreDay
from kpi.periods import month_of
from kpi.selectors import StoreScorecard, store_scorecard
from kpi.tests.factories import receipts_file
from portal.org.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

OCTOBER = month_of(date(2026, 10, 14))


def test_a_store_day_keeps_its_distinct_cards_sorted(load):
    StoreFactory(code="N1")
    load(receipts_file("N1", date(2026, 10, 14), receipts=5, identified=3))

    day = StoreDay.objects.get()

    assert day.cards == ["CN10", "CN11", "CN12"] and day.distinct_cards == 3


def test_participants_are_the_union_of_the_days_cards_read_from_store_days(load):
    """Given the same cards on two days (3, then those 3 and one more), the month has 4
    active participants, not 7; and the scorecard reads no receipt to say so."""
    store = StoreFactory(code="N1")
    load(receipts_file("N1", date(2026, 10, 14), receipts=5, identified=3))
    load(receipts_file("N1", date(2026, 10, 15), receipts=5, identified=4, tag="b"))

    with CaptureQueriesContext(connection) as queries:
        card = store_scorecard(store=store, kpi=BY_CODE["penetration"], period=OCTOBER)

    assert isinstance(card, StoreScorecard)
    active, growth = card.participants
    assert (active.kpi.code, active.value, active.previous) == ("active_participants", 4, 0)
    assert growth.value is None  # no participants the month before
    assert card.totals.receipts == 10 and card.totals.identified == 7
    assert not [q for q in queries.captured_queries if '"kpi_receipt"' in q["sql"]]

    Receipt.objects.all().delete()  # the receipts are not needed once the days are counted
    again = store_scorecard(store=store, kpi=BY_CODE["penetration"], period=OCTOBER)
    assert again.participants[0].value == 4
