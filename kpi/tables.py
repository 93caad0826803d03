"""The KPI tables, described once (`portal.tables`) and rendered on the page, in the PDF
and in the CSV export."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kpi.metrics import Kpi
from kpi.selectors import Row, TrendPoint
from portal.numbers import Kind
from portal.tables import Column, Icon, Table

HIGHLIGHT_ROW = {"top": "table-success", "bottom": "table-danger"}
HIGHLIGHT_ICON = {
    "top": Icon("bi-arrow-up-circle", "text-success", _("top 3")),
    "bottom": Icon("bi-arrow-down-circle", "text-danger", _("bottom 3")),
}


def _attainment_tone(row: Row) -> str:
    if row.attainment is None:
        return ""
    return "text-success" if row.attainment >= 100 else "text-danger"


def leaderboard_table(*, kpi: Kpi, rows: Sequence[Row], query: QueryDict | None) -> Table:
    """The board: ranked stores, then those not ranked (no rank); each store links to
    its own page on the same KPI and period."""
    store_query = query.copy() if query is not None else QueryDict(mutable=True)
    store_query.pop("region", None)
    suffix = f"?{store_query.urlencode()}" if store_query else ""

    def store_link(row: Row) -> str:
        return reverse("kpi:store", args=[row.store.code]) + suffix

    def attrs(row: Row) -> dict[str, str]:
        if row.rank is None:
            return {"data-testid": "board-unranked", "data-code": row.store.code}
        return {
            "data-testid": "board-row",
            "data-code": row.store.code,
            "data-rank": str(row.rank),
            "data-value": kpi.raw(row.value),
            "class": HIGHLIGHT_ROW.get(row.highlight, ""),
        }

    columns = [
        Column(
            "rank",
            _("Rank"),
            Kind.COUNT,
            icon=lambda row: HIGHLIGHT_ICON.get(row.highlight),
        ),
        Column(
            "store.code", _("Store code"), link=store_link, link_testid="store-link", align="start"
        ),
        Column("store.name", _("Store")),
        Column("store.region.name", _("Region"), narrow=False),
        Column("value", kpi.label, kpi.unit),
        Column("plan.target", _("Plan"), kpi.unit),
        Column("attainment", _("Attainment"), Kind.PERCENT, css=_attainment_tone),
        Column("previous", _("Previous period"), kpi.unit, narrow=False),
        Column(
            "change",
            pgettext_lazy("against the previous period", "Change"),
            kpi.change_unit,
            signed=True,
        ),
        Column("totals.receipts", _("Receipts"), Kind.COUNT, narrow=False),
        Column("totals.identified", _("Identified receipts"), Kind.COUNT, narrow=False),
    ]
    return Table(columns, rows, row_attrs=attrs, testid="leaderboard")


def trend_table(*, kpi: Kpi, points: Sequence[TrendPoint]) -> Table:
    """A store's KPI week by week with each week's plan (the trend's CSV)."""
    return Table(
        [
            Column("period.slug", _("Week")),
            Column("period.start", _("From"), value=lambda p: p.period.start.isoformat()),
            Column("period.end", _("To"), value=lambda p: p.period.end.isoformat()),
            Column("value", kpi.label, kpi.unit),
            Column("target", _("Plan"), kpi.unit),
        ],
        points,
    )
