"""A table described once — its columns (key, label, kind of number, alignment, link) —
rendered three ways: HTML (`includes/table.html`, Bootstrap 5, responsive), the PDF (the
same include inside a `pdf/` template, through `portal.pdf`) and CSV (raw values through
`portal.exports.csv_response`). Values are written by `portal.numbers`: localised for
people, plain for machines, so the three cannot disagree.

    table = Table(
        [Column("store.code", _("Store code")), Column("value", _("Share"), Kind.PERCENT)],
        rows,
    )
    {% include "includes/table.html" with table=table %}     # page and PDF
    table.csv_response("shares.csv")                          # CSV
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.forms.utils import flatatt
from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from portal.exports import csv_response
from portal.numbers import Kind, format_number, raw_number, unit_label

Row = Any


def value_at(row: Row, path: str) -> Any:
    """`row.a.b` for the path "a.b" (dict keys too); None when a step is missing."""
    value = row
    for step in path.split("."):
        if value is None:
            return None
        value = value.get(step) if isinstance(value, dict) else getattr(value, step, None)
    return value


@dataclass(frozen=True)
class Icon:
    """A Bootstrap icon beside a cell's text, with its meaning for screen readers."""

    name: str
    css: str
    title: str | Promise


@dataclass(frozen=True)
class Column:
    """One column. `key`: the row's attribute path (or give `value`, a function of the
    row); `kind`: how its numbers are written (`portal.numbers.Kind`), `signed` for
    changes; `link`: the cell's URL on the page (a function of the row); `narrow`: shown
    on small screens too (else from `md` up); `css` / `icon`: per-row emphasis on the
    page (functions of the row)."""

    key: str
    label: str | Promise
    kind: Kind = Kind.TEXT
    signed: bool = False
    align: str = ""  # "start" / "end"; numbers default to "end"
    value: Callable[[Row], Any] | None = None
    link: Callable[[Row], str] | None = None
    link_testid: str = ""
    narrow: bool = True
    css: Callable[[Row], str] | None = None
    icon: Callable[[Row], Icon | None] | None = None

    @property
    def alignment(self) -> str:
        return self.align or ("start" if self.kind == Kind.TEXT else "end")

    @property
    def csv_label(self) -> str:
        """The header for a machine-readable file: the unit moves from the cells into
        the header («Доля, %»)."""
        unit = unit_label(self.kind)
        return f"{self.label}, {unit}" if unit else str(self.label)

    def of(self, row: Row) -> Any:
        return self.value(row) if self.value else value_at(row, self.key)

    def text(self, row: Row) -> str:
        return format_number(self.of(row), self.kind, signed=self.signed)

    def raw(self, row: Row) -> str:
        return raw_number(self.of(row), self.kind)

    @property
    def cell_class(self) -> str:
        classes = [f"text-{self.alignment}"]
        if not self.narrow:
            classes.append("d-none d-md-table-cell")
        return " ".join(classes)


@dataclass(frozen=True)
class Cell:
    text: str
    css: str
    link: str = ""
    link_testid: str = ""
    tone: str = ""
    icon: Icon | None = None


@dataclass(frozen=True)
class HtmlRow:
    attrs: SafeString
    cells: list[Cell]


@dataclass
class Table:
    """Columns and rows; `row_attrs` gives each row's HTML attributes (a class, data-*
    for tests and scripts)."""

    columns: Sequence[Column]
    rows: Sequence[Row]
    row_attrs: Callable[[Row], dict[str, str]] | None = None
    testid: str = ""
    caption: str | Promise = ""
    _html: list[HtmlRow] = field(default_factory=list, repr=False)

    def html_rows(self) -> list[HtmlRow]:
        """Rows as the include renders them (built once per table)."""
        if not self._html and self.rows:
            self._html = [self._html_row(row) for row in self.rows]
        return self._html

    def _html_row(self, row: Row) -> HtmlRow:
        cells = [
            Cell(
                text=column.text(row),
                css=column.cell_class,
                link=column.link(row) if column.link else "",
                link_testid=column.link_testid,
                tone=column.css(row) if column.css else "",
                icon=column.icon(row) if column.icon else None,
            )
            for column in self.columns
        ]
        attrs = self.row_attrs(row) if self.row_attrs else {}
        return HtmlRow(flatatt({k: v for k, v in attrs.items() if v not in (None, "")}), cells)

    def csv_header(self) -> list[str]:
        return [column.csv_label for column in self.columns]

    def csv_rows(self) -> Iterable[list[str]]:
        for row in self.rows:
            yield [column.raw(row) for column in self.columns]

    def csv_response(self, filename: str) -> HttpResponse:
        return csv_response(filename, self.csv_header(), self.csv_rows())
