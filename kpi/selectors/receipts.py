"""One receipt looked up in a store's POS data (an audit visit's proof, a complaint's
«points not credited»): by its number, or by amount within a time window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from kpi.models import ImportBatch, Receipt, StoreDay
from kpi.services import day_bounds

FOUND, NOT_FOUND, NOT_LOADED = "found", "not_found", "not_loaded"
WINDOW = timedelta(minutes=30)


@dataclass(frozen=True)
class ReceiptLookup:
    """`status`: found / not_found / not_loaded (the store's receipts for that day have not
    arrived: ask again later). A found receipt gives its number, time, amount and whether
    it was identified (a card or phone on it)."""

    status: str
    receipt_id: str = ""
    issued_at: datetime | None = None
    amount: Decimal | None = None
    identified: bool | None = None
    card_id: str = ""
    by: str = ""  # "number" or "amount"
    loaded_at: datetime | None = None  # when its batch reached the portal


def receipt_lookup(
    *,
    store_id: int,
    number: str = "",
    at: datetime | None = None,
    amount: Decimal | None = None,
    window: timedelta = WINDOW,
) -> ReceiptLookup:
    """The receipt numbered `number` in the store, else the one of `amount` issued nearest
    to `at` within `window`. Four queries at most, each on an index (the unique store and
    number; the store day; the time index; the batch, for when the receipt was loaded)."""
    number = (number or "").strip()
    receipts = Receipt.objects.filter(store_id=store_id)
    if number:
        found = receipts.filter(receipt_id=number).first()
        if found is not None:
            return _found(found, by="number")
    if at is None:
        return ReceiptLookup(NOT_FOUND)
    day = timezone.localtime(at).date()
    if not StoreDay.objects.filter(store_id=store_id, day=day).exists():
        return ReceiptLookup(NOT_LOADED)
    if amount is not None:
        near = sorted(
            receipts.filter(amount=amount, issued_at__range=(at - window, at + window)),
            key=lambda receipt: abs(receipt.issued_at - at),
        )
        if near:
            return _found(near[0], by="amount")
    return ReceiptLookup(NOT_FOUND)


def _found(receipt: Receipt, *, by: str, with_load_time: bool = True) -> ReceiptLookup:
    loaded_at = None
    if with_load_time:  # the batch is not a database-checked key: read it apart
        loaded_at = (
            ImportBatch.objects.filter(pk=receipt.batch_id)
            .values_list("created_at", flat=True)
            .first()
        )
    return ReceiptLookup(
        FOUND,
        receipt_id=receipt.receipt_id,
        issued_at=receipt.issued_at,
        amount=receipt.amount,
        identified=bool(receipt.card_id),
        card_id=receipt.card_id,
        by=by,
        loaded_at=loaded_at,
    )


def receipts_on(*, store_id: int, day, limit: int = 20) -> list[ReceiptLookup]:
    """Some receipts of a store's day (the demo's shoppers buy something real)."""
    start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
    return [
        _found(receipt, by="number", with_load_time=False)
        for receipt in Receipt.objects.filter(
            store_id=store_id, issued_at__range=(start, start + timedelta(days=1))
        ).order_by("issued_at")[:limit]
    ]


@dataclass(frozen=True)
class CashierReceipts:
    receipts: int
    identified: int


def cashier_receipts(
    *, store_ids: list[int], start: date, end: date
) -> dict[tuple[int, str], CashierReceipts]:
    """{(store id, cashier personnel number): their receipts and identified receipts from
    `start` to `end`} (receipts without a cashier number are left out). One query over
    the period's receipts (the time index)."""
    low, high = day_bounds(start)[0], day_bounds(end)[1]
    rows = (
        Receipt.objects.filter(store_id__in=store_ids, issued_at__gte=low, issued_at__lt=high)
        .exclude(cashier="")
        .values("store_id", "cashier")
        .annotate(n=Count("pk"), identified=Count("pk", filter=~Q(card_id="")))
        .order_by()
    )
    return {
        (row["store_id"], row["cashier"]): CashierReceipts(row["n"], row["identified"])
        for row in rows
    }
