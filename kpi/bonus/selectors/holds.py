"""What the abuse flags hold: the stores and cashiers a flag still open or confirmed
keeps out of a period's awards (a cleared flag holds nothing). A cashier's own pattern
(their identified share far above the store's) holds that cashier; every other pattern
(a card on too many receipts, a few cards carrying the store, a sudden jump, bad phones
at enrolment) holds the whole store, whoever rang the receipts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from kpi.bonus.choices import HOLDING_FLAG, FlagKind
from kpi.bonus.models import AbuseFlag


def _holding(*, store_ids: Iterable[int], start: dt.date, end: dt.date):
    return AbuseFlag.objects.filter(
        store_id__in=list(store_ids),
        status__in=HOLDING_FLAG,
        starts_on__lte=end,
        ends_on__gte=start,
    )


def stores_held(*, store_ids: Iterable[int], start: dt.date, end: dt.date) -> set[int]:
    """Stores held out of awards over [start, end]: a holding flag of a store's pattern
    overlapping the period. One query."""
    return set(
        _holding(store_ids=store_ids, start=start, end=end)
        .exclude(kind=FlagKind.CASHIER_SHARE)
        .values_list("store_id", flat=True)
    )


def cashiers_held(
    *, store_ids: Iterable[int], start: dt.date, end: dt.date
) -> set[tuple[int, str]]:
    """(store id, cashier personnel number) held out of awards over [start, end]. One
    query."""
    return set(
        _holding(store_ids=store_ids, start=start, end=end)
        .filter(kind=FlagKind.CASHIER_SHARE)
        .values_list("store_id", "cashier")
    )
