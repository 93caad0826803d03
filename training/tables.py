"""The training reports' tables, described once (`portal.tables`) for the page and CSV."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.numbers import Kind
from portal.tables import Column, Table
from training.selectors.status import StoreCoverage


def coverage_table(rows: Sequence[StoreCoverage]) -> Table:
    """Certified coverage per store (the sellers of the main exam), furthest behind first
    as the rows come; each store links to its certification report."""
    return Table(
        [
            Column(
                "store.code",
                _("Store code"),
                link=lambda row: reverse("training:store_report", args=[row.store.code]),
            ),
            Column("store.name", _("Store")),
            Column("store.region.name", _("Region"), narrow=False),
            Column("people", _("Sellers"), Kind.COUNT),
            Column("certified", _("Certified"), Kind.COUNT, narrow=False),
            Column("share", _("Certified share"), Kind.PERCENT),
            Column("overdue", _("Overdue"), Kind.COUNT),
        ],
        rows,
        row_attrs=lambda row: {
            "data-testid": "coverage-row",
            "data-code": row.store.code,
            "data-people": str(row.people),
            "data-certified": str(row.certified),
        },
        testid="coverage",
    )
