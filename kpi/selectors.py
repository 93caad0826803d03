"""Reads of the kpi app: store-day facts summed per store over a period (one query)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet, Sum

from kpi.metrics import Totals
from kpi.models import StoreDay
from portal.org.models import Store


def store_totals(*, stores: QuerySet[Store], start: date, end: date) -> dict[int, Totals]:
    """{store id: sums of its days in [start, end]} for the given stores."""
    rows = (
        StoreDay.objects.filter(store__in=stores, day__gte=start, day__lte=end)
        .values("store_id")
        .annotate(
            receipts=Sum("receipts"),
            identified=Sum("identified"),
            turnover=Sum("turnover"),
            lp_turnover=Sum("lp_turnover"),
            items=Sum("items"),
            card_days=Sum("distinct_cards"),
            new_members=Sum("new_members"),
            phones=Sum("phones"),
            emails=Sum("emails"),
        )
    )
    return {row.pop("store_id"): Totals(**row) for row in rows}
