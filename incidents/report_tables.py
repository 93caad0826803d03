"""The desk reports' tables, described once (`portal.tables`) and rendered on the page, in
the PDF and as CSV (`?format=csv&table=<name>`), and their inline SVG bar charts (drawn on
the server: the same markup on a phone and in the PDF)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from incidents.selectors.reports import Bucket, Counts, DeskReport, Line
from portal.numbers import Kind, format_number
from portal.tables import Column, Table


def _outcome_columns(prefix: str, *, filed: bool = True) -> list[Column]:
    """The counts of a group: volume, how the resolved tickets ended, CSAT."""
    p = f"{prefix}." if prefix else ""
    columns = [Column(f"{p}filed", _("Filed"), Kind.COUNT)] if filed else []
    return columns + [
        Column(f"{p}resolved", _("Resolved"), Kind.COUNT),
        Column(f"{p}sla_rate", _("SLA met"), Kind.PERCENT),
        Column(f"{p}first_response_rate", _("First response in time"), Kind.PERCENT, narrow=False),
        Column(
            f"{p}first_contact_rate", _("Resolved at first contact"), Kind.PERCENT, narrow=False
        ),
        Column(f"{p}reopen_rate", _("Reopened"), Kind.PERCENT, narrow=False),
        Column(f"{p}csat_average", _("Average rating"), Kind.DECIMAL),
        Column(f"{p}ratings", _("Ratings"), Kind.COUNT, narrow=False),
        Column(f"{p}satisfied_rate", _("Rated 4–5"), Kind.PERCENT, narrow=False),
    ]


def _attrs(testid: str) -> Callable[[Line], dict[str, str]]:
    return lambda line: {"data-testid": testid, "data-key": "" if line.key is None else line.key}


def summary_table(report: DeskReport) -> Table:
    return Table(_outcome_columns(""), [report.total], testid="report-summary")


def categories_table(report: DeskReport) -> Table:
    return Table(
        [Column("label", _("Category")), *_outcome_columns("counts")],
        report.categories,
        row_attrs=_attrs("report-category"),
        testid="report-categories",
    )


def regions_table(report: DeskReport) -> Table:
    return Table(
        [Column("label", _("Region")), *_outcome_columns("counts")],
        report.regions,
        row_attrs=_attrs("report-region"),
        testid="report-regions",
    )


def stores_table(report: DeskReport, rows: Sequence[Line] | None = None) -> Table:
    return Table(
        [
            Column("code", _("Store code")),
            Column("label", _("Store")),
            Column("region", _("Region"), narrow=False),
            *_outcome_columns("counts"),
        ],
        report.stores if rows is None else rows,
        row_attrs=_attrs("report-store"),
        testid="report-stores",
    )


def months_table(report: DeskReport) -> Table:
    return Table(
        [Column("label", _("Month")), Column("filed", _("Filed"), Kind.COUNT)],
        report.months,
        testid="report-months",
    )


def weeks_table(report: DeskReport) -> Table:
    return Table(
        [Column("label", _("Week")), Column("filed", _("Filed"), Kind.COUNT)],
        report.weeks,
        testid="report-weeks",
    )


def causes_table(report: DeskReport) -> Table:
    return Table(
        [
            Column("label", _("Root cause")),
            Column("counts.resolved", _("Resolved"), Kind.COUNT),
            Column("share", _("Share"), Kind.PERCENT),
        ],
        report.causes,
        row_attrs=_attrs("report-cause"),
        testid="report-causes",
    )


def agents_table(report: DeskReport) -> Table:
    return Table(
        [Column("label", _("Agent")), *_outcome_columns("counts", filed=False)],
        report.agents or [],
        row_attrs=_attrs("report-agent"),
        testid="report-agents",
    )


# The tables a CSV can be asked for, by name (`?format=csv&table=<name>`).
TABLES: dict[str, Callable[[DeskReport], Table]] = {
    "summary": summary_table,
    "categories": categories_table,
    "regions": regions_table,
    "stores": stores_table,
    "months": months_table,
    "weeks": weeks_table,
    "causes": causes_table,
    "agents": agents_table,
}


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: Decimal | int | None
    kind: Kind
    testid: str
    note: str = ""


def key_figures(total: Counts) -> list[KeyFigure]:
    """The figures above the tables: the totals of the scope and period."""
    return [
        KeyFigure(_("Filed"), total.filed, Kind.COUNT, "filed"),
        KeyFigure(_("Resolved"), total.resolved, Kind.COUNT, "resolved"),
        KeyFigure(_("SLA met"), total.sla_rate, Kind.PERCENT, "sla"),
        KeyFigure(_("First response in time"), total.first_response_rate, Kind.PERCENT, "frt"),
        KeyFigure(_("Resolved at first contact"), total.first_contact_rate, Kind.PERCENT, "fcr"),
        KeyFigure(_("Reopened"), total.reopen_rate, Kind.PERCENT, "reopen"),
        KeyFigure(
            _("Average rating"),
            total.csat_average,
            Kind.DECIMAL,
            "csat",
            ngettext("%(n)s rating", "%(n)s ratings", total.ratings) % {"n": total.ratings},
        ),
        KeyFigure(_("Rated 4–5"), total.satisfied_rate, Kind.PERCENT, "satisfied"),
    ]


BAR = "#0d6efd"
LABEL_CHARS = 30
MUTED = "#6c757d"


def bar_chart(bars: Sequence[tuple[str, Decimal | int]], *, kind: Kind, title: str) -> SafeString:
    """Horizontal bars in the given order, each value written by `portal.numbers` as the
    table beside it writes it; nothing when there is nothing to draw."""
    if not bars or not any(value for _label, value in bars):
        return mark_safe("")
    row, label_w, width = 18, 210, 500
    plot_w = width - label_w - 56
    top = max(Decimal(value) for _label, value in bars) or Decimal(1)
    height = row * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="report-chart" '
        'style="max-width:680px">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, value) in enumerate(bars):
        y = 4 + i * row
        length = float(Decimal(value) / top) * plot_w
        shown = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end" '
            f'fill="#212529">{escape(shown)}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{length:.1f}" height="{row - 5}" '
            f'fill="{BAR}" rx="2"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 12}" font-size="10" '
            f'fill="{MUTED}">{escape(format_number(value, kind))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


CHART_STORES = 15


def report_charts(report: DeskReport, *, by_month: bool) -> dict[str, SafeString]:
    """The charts beside the tables: volume by category, by month (or week), the stores
    with most complaints, the root causes."""
    series: Sequence[Bucket] = report.months if by_month else report.weeks
    stores = [line for line in report.stores if line.key is not None][:CHART_STORES]
    return {
        "categories": bar_chart(
            [(line.label, line.counts.filed) for line in report.categories],
            kind=Kind.COUNT,
            title=str(_("Filed by category")),
        ),
        "series": bar_chart(
            [(bucket.label, bucket.filed) for bucket in series],
            kind=Kind.COUNT,
            title=str(_("Filed by month") if by_month else _("Filed by week")),
        ),
        "stores": bar_chart(
            [(f"{line.code} {line.label}", line.counts.filed) for line in stores],
            kind=Kind.COUNT,
            title=str(_("Stores with most complaints")),
        ),
        "causes": bar_chart(
            [(line.label, line.counts.resolved) for line in report.causes],
            kind=Kind.COUNT,
            title=str(_("Root causes of resolved tickets")),
        ),
    }
