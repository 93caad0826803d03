"""Receipts shaped into the abuse patterns (and the ordinary trade just below them), and
flags as the scan raises them, for the abuse-flag tests and the access matrix."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from django.utils import timezone

from kpi.bonus.choices import FlagEventKind, FlagKind
from kpi.bonus.models import AbuseFlag, FlagEvent
from kpi.choices import BatchSource, BatchStatus
from kpi.models import ImportBatch, Receipt, StoreDay
from kpi.periods import Period, month_of
from portal.events.services import event_record
from portal.org.models import Store

MARCH = month_of(dt.date(2026, 3, 1))
_numbers = itertools.count(1)


def batch() -> ImportBatch:
    return ImportBatch.objects.create(
        source=BatchSource.COMMAND, filename="flags-test.csv", status=BatchStatus.APPLIED
    )


def at(day: dt.date, minute: int = 0) -> dt.datetime:
    """A moment of `day` (from 09:00, a minute per receipt)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return start + dt.timedelta(minutes=minute % 720)


def receipts(
    store: Store,
    day: dt.date,
    count: int,
    *,
    card: str | None = "",
    cashier: str = "C1",
    new_member: bool = False,
    into: ImportBatch | None = None,
) -> list[Receipt]:
    """`count` receipts of `store` on `day`. `card`: "" not identified; a card id; None:
    a different card each (ordinary customers)."""
    into = into or batch()
    rows = []
    for n in range(count):
        number = next(_numbers)
        rows.append(
            Receipt(
                store=store,
                batch=into,
                receipt_id=f"R{number:07d}",
                issued_at=at(day, n),
                amount=Decimal("250.00"),
                items=2,
                card_id=f"77{number:010d}" if card is None else card,
                cashier=cashier,
                new_member=new_member,
            )
        )
    return Receipt.objects.bulk_create(rows)


def trade(
    store: Store,
    period: Period = MARCH,
    *,
    per_day: int = 10,
    identified: int = 5,
    cashiers: tuple[str, ...] = ("C1", "C2"),
) -> None:
    """Every day of `period`: `per_day` receipts, `identified` of them on cards seen once,
    shared out among `cashiers` in turn (so their shares equal the store's)."""
    into = batch()
    day = period.start
    while day <= period.end:
        for n, cashier in enumerate(cashiers):
            share = range(n, per_day, len(cashiers))
            cards = sum(1 for i in share if i < identified)
            receipts(store, day, cards, card=None, cashier=cashier, into=into)
            receipts(store, day, len(share) - cards, cashier=cashier, into=into)
        day += dt.timedelta(days=1)


def history(store: Store, first: dt.date, last: dt.date, *, receipts: int, identified: int):
    """Store days only (the jump rule reads nothing else): the same figures each day."""
    day, rows = first, []
    while day <= last:
        rows.append(StoreDay(store=store, day=day, receipts=receipts, identified=identified))
        day += dt.timedelta(days=1)
    StoreDay.objects.bulk_create(rows)


def flag_raised(
    store: Store,
    *,
    kind: str = FlagKind.CARD_DAILY,
    period: Period = MARCH,
    cashier: str = "",
    card_id: str = "77001234567890",
    evidence: list[dict] | None = None,
) -> AbuseFlag:
    """A flag as the scan raises it (with its «raised» event)."""
    flag = AbuseFlag.objects.create(
        kind=kind,
        store=store,
        cashier=cashier,
        card_id=card_id,
        starts_on=period.start,
        ends_on=period.end,
        measure=Decimal(12),
        threshold=Decimal(5),
        receipts=12,
        evidence=evidence
        if evidence is not None
        else [
            {
                "store": store.code,
                "receipt": "R0000001",
                "at": "2026-03-05T09:00:00+03:00",
                "amount": "250.00",
                "card": card_id,
                "cashier": cashier or "C1",
            }
        ],
    )
    event_record(FlagEvent, kind=FlagEventKind.RAISED, actor=None, flag=flag)
    return flag
