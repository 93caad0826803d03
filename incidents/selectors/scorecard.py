"""What the KPI scorecard (bonus schemes) reads of the desk, per store and period: the
complaints per 1,000 receipts, and the receipts of «points not credited» complaints that
the POS data shows were not identified at the till.

A ticket belongs to the period of the day it was filed (the portal's time zone), as the
receipts belong to their store day; merged tickets are left out (their complaint is
counted in the ticket they joined). Receipts are read from `kpi.selectors` (store-day
sums), never from kpi's models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, QuerySet

from incidents.choices import Category, ReceiptFinding, Status
from incidents.models import Ticket
from incidents.selectors.reports import period_bounds
from kpi.selectors import store_totals
from portal.numbers import ratio_of
from portal.org.models import Store

PER = 1000


def _filed_about_stores(
    *, start: dt.date, end: dt.date, store_ids: Iterable[int] | None
) -> QuerySet[Ticket]:
    low, high = period_bounds(start, end)
    tickets = Ticket.objects.filter(
        store__isnull=False, created_at__gte=low, created_at__lt=high
    ).exclude(status=Status.MERGED)
    if store_ids is not None:
        tickets = tickets.filter(store_id__in=list(store_ids))
    return tickets.order_by()


def complaints_per_thousand_receipts(
    *, start: dt.date, end: dt.date, store_ids: Iterable[int] | None = None
) -> dict[int, Decimal]:
    """{store id: tickets about the store filed from `start` to `end` per 1,000 of its
    receipts of those days}, half up to hundredths (`portal.numbers.ratio_of`). Every
    store with receipts in the period has a value (0.00 without complaints); a store
    without receipts has none (nothing to divide by). `store_ids` None: every store.
    Two queries."""
    ids = None if store_ids is None else list(store_ids)
    stores = Store.objects.all() if ids is None else Store.objects.filter(pk__in=ids)
    receipts = {
        store_id: totals.receipts
        for store_id, totals in store_totals(stores=stores, start=start, end=end).items()
        if totals.receipts
    }
    complaints = dict(
        _filed_about_stores(start=start, end=end, store_ids=ids)
        .values("store_id")
        .annotate(n=Count("pk"))
        .values_list("store_id", "n")
    )
    return {
        store_id: ratio_of(complaints.get(store_id, 0) * PER, count)
        for store_id, count in receipts.items()
    }


def not_identified_receipts(
    *, start: dt.date, end: dt.date, store_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """{store id: receipts the customer named in a «points not credited» ticket filed from
    `start` to `end`, found in the POS data and not identified} — stores with at least one.
    A receipt complained of twice (two tickets not merged) counts once: the store failed
    to identify one receipt. One query."""
    return dict(
        _filed_about_stores(start=start, end=end, store_ids=store_ids)
        .filter(
            category=Category.BONUS_NOT_CREDITED,
            receipt_finding=ReceiptFinding.NOT_IDENTIFIED,
        )
        .values("store_id")
        .annotate(n=Count("receipt_number", distinct=True))
        .values_list("store_id", "n")
    )
