"""The scorecard's and the effect report's tables, described once (`portal.tables`) and
rendered on the page, in the PDF and in the CSV. A component a store has no data for
reads «no data» on the page and in the PDF, and is an empty cell in the CSV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kpi.bonus.selectors.effect import (
    NO_EFFECT,
    TOO_LITTLE,
    WORKED,
    WRONG_WAY,
    EffectReport,
    GroupEffect,
)
from kpi.bonus.selectors.scorecard import COMPONENTS, ScorecardRow
from kpi.tables import HIGHLIGHT_ICON, HIGHLIGHT_ROW
from portal.numbers import Kind
from portal.tables import Column, Table

NO_DATA = _("no data")
MISSING_CSS = "text-body-secondary fst-italic"


@dataclass(frozen=True)
class ScoreColumn(Column):
    """A score that may be missing: «no data», never a number, when the store has none."""

    def text(self, row) -> str:
        return str(NO_DATA) if self.of(row) is None else super().text(row)


def _missing_tone(key: str):
    return lambda row: MISSING_CSS if value_missing(row, key) else ""


def value_missing(row: ScorecardRow, key: str) -> bool:
    return row.parts[key].missing


def scorecard_table(
    *, rows: Sequence[ScorecardRow], query: QueryDict | None, for_file: bool = False
) -> Table:
    """Ranked stores, then those not ranked. The page and the PDF show each component's
    score; the CSV (`for_file`) adds each component's value in its own unit."""
    store_query = query.copy() if query is not None else QueryDict(mutable=True)
    for name in ("region", "format", "page"):
        store_query.pop(name, None)
    suffix = f"?{store_query.urlencode()}" if store_query else ""

    def store_link(row: ScorecardRow) -> str:
        return reverse("kpi:store", args=[row.store.code]) + suffix

    def attrs(row: ScorecardRow) -> dict[str, str]:
        common = {"data-code": row.store.code, "data-missing": " ".join(row.missing)}
        if row.rank is None:
            return common | {"data-testid": "scorecard-unranked"}
        return common | {
            "data-testid": "scorecard-row",
            "data-rank": str(row.rank),
            "data-score": str(row.composite),
            "class": HIGHLIGHT_ROW.get(row.highlight, ""),
        }

    columns = [
        Column("rank", _("Rank"), Kind.COUNT, icon=lambda row: HIGHLIGHT_ICON.get(row.highlight)),
        Column(
            "store.code", _("Store code"), link=store_link, link_testid="store-link", align="start"
        ),
        Column("store.name", _("Store"), narrow=False),
        Column("store.region.name", _("Region"), narrow=False),
        ScoreColumn(
            "composite",
            _("Score"),
            Kind.DECIMAL,
            css=lambda row: MISSING_CSS if row.composite is None else "fw-semibold",
        ),
    ]
    if for_file:
        columns += [
            Column("receipts", _("Receipts"), Kind.COUNT),
            Column("penetration", _("LP penetration"), Kind.PERCENT),
            Column("plan", _("Penetration plan"), Kind.PERCENT),
        ]
    for component in COMPONENTS:
        if for_file:
            raw_label = _("Plan attainment") if component.key == "penetration" else component.label
            columns.append(Column(f"parts.{component.key}.raw", raw_label, component.unit))
        columns.append(
            ScoreColumn(
                f"parts.{component.key}.score",
                _("%(component)s (score)") % {"component": component.label}
                if for_file
                else component.label,
                Kind.DECIMAL,
                css=_missing_tone(component.key),
            )
        )
    if for_file:
        columns.append(Column("unranked_because", _("Not ranked because"), value=_unranked_reason))
    return Table(columns, rows, row_attrs=attrs, testid="scorecard")


UNRANKED = {
    "too_few": _("too few receipts"),
    "not_launched": _("LP not launched"),
    "no_value": _("no data for any weighted component"),
}


def _unranked_reason(row: ScorecardRow) -> str:
    return str(UNRANKED.get(row.unranked_because, ""))


VERDICT_LABELS = {
    WORKED: _("worked"),
    NO_EFFECT: _("no clear effect"),
    WRONG_WAY: _("the wrong way"),
    TOO_LITTLE: _("too little data"),
}
UNCONTROLLED_LABELS = VERDICT_LABELS | {
    WORKED: _("rose"),
    NO_EFFECT: _("no clear change"),
    WRONG_WAY: _("fell"),
}


def effect_table(report: EffectReport) -> Table:
    """Per third and overall: the metric before and after, its change, the control's, the
    difference in differences with its 95 % interval, and the verdict."""
    kpi = report.kpi
    labels = VERDICT_LABELS if report.controlled else UNCONTROLLED_LABELS

    def verdict(group: GroupEffect) -> str:
        return str(labels[group.verdict])

    columns = [
        Column("label", _("Stores")),
        Column("stores", _("Number"), Kind.COUNT, narrow=False),
        Column("before", _("Before"), kpi.unit, narrow=False),
        Column("after", _("After"), kpi.unit, narrow=False),
        Column("change", _("Change"), kpi.change_unit, signed=True),
    ]
    if report.controlled:
        columns += [
            Column("control_stores", _("Outside: number"), Kind.COUNT, narrow=False),
            Column("control_before", _("Outside: before"), kpi.unit, narrow=False),
            Column("control_after", _("Outside: after"), kpi.unit, narrow=False),
            Column("control_change", _("Outside: change"), kpi.change_unit, signed=True),
            Column("effect", _("Effect"), kpi.change_unit, signed=True),
        ]
    columns += [
        Column("interval.low", _("95% interval from"), kpi.change_unit, signed=True),
        Column("interval.high", _("95% interval to"), kpi.change_unit, signed=True),
        Column("verdict", _("Verdict"), value=verdict),
    ]

    def attrs(group: GroupEffect) -> dict[str, str]:
        return {
            "data-testid": "effect-row",
            "data-group": group.key,
            "data-verdict": group.verdict,
            "class": "fw-semibold" if group.key == "all" else "",
        }

    return Table(columns, report.rows, row_attrs=attrs, testid="effect")
