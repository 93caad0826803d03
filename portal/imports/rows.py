"""Typed rows: an import declares its row once, and every source feeds it the same way.

An import is a `RowSpec`: the row's dataclass, its fields (name, Russian and English
aliases of the column, the parser of a value, whether the column is required), the
values that must be unique in a file, and the checks across fields. A *source* turns
what arrived into a `Table` — a header and {field: value} per line:

- `csv_table(content)`: size limit, decoding (UTF-8 with or without BOM, cp1251),
  delimiter (`;`, `,` or tab), header aliases, ragged lines named;
- `xlsx_table(content)`: the first sheet within the bounds of `portal.imports.workbook`;
- `records_table(records)`: dicts (an API payload), whose keys are field names.

`rows_read(spec, table)` parses every row and collects every problem as a `RowError`
(line, field, reason); `ParsedFile.reject_if_any()` then rejects the file with all of
them, each named by the column as the person's file names it. Nothing is written here:
the service that takes the typed rows writes all or nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.utils.translation import gettext as _

from portal.imports.errors import ImportRejected, RowError
from portal.imports.fields import Invalid, Parser
from portal.imports.limits import size_check
from portal.imports.text import Header, csv_lines, decode_upload, sniff_delimiter
from portal.imports.workbook import first_sheet_rows, is_xlsx

Row = TypeVar("Row")
Values = dict[str, Any]


@dataclass(frozen=True)
class Field:
    """One column of an import: our name, the names files give it (Russian first: it is
    what a Russian error table suggests), how a value is read, and whether the file must
    have the column. `fallback` is the row's value when the value is bad."""

    name: str
    parse: Parser
    aliases: tuple[str, ...] = ()
    required: bool = False
    fallback: Any = ""


@dataclass(frozen=True)
class Unique:
    """Values that may appear once per file: `key` names the fields (a row with any of
    them empty or bad is skipped); the error is reported at the later line on `field`,
    saying `message(value, first line)`."""

    key: tuple[str, ...]
    message: Callable[[Any, int], str]
    field: str = ""

    @property
    def reported_on(self) -> str:
        return self.field or self.key[-1]


# A check across fields: the row's values -> (field, message) for each problem.
Check = Callable[[Values], Iterable[tuple[str, str]]]


@dataclass(frozen=True)
class RowSpec(Generic[Row]):
    """One import's rows. `row` is built as row(line=…, **values) from the fields'
    values and whatever `complete` derives from them (e.g. a default taken from another
    column). A row's errors are listed in `error_order` (by default the fields' order)."""

    row: Callable[..., Row]
    fields: tuple[Field, ...]
    unique: tuple[Unique, ...] = ()
    checks: tuple[Check, ...] = ()
    complete: Callable[[Values], Values] | None = None
    error_order: tuple[str, ...] = ()

    @property
    def columns(self) -> dict[str, tuple[str, ...]]:
        """{field: aliases}, in the file's column order."""
        return {f.name: f.aliases for f in self.fields}

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


@dataclass
class Table:
    """What a source read: its header, the non-empty lines as {field: value} (values of
    columns the import does not know are dropped) and the lines it could not take."""

    header: Header
    lines: Iterable[tuple[int, Mapping[str, Any]]]
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ParsedFile(Generic[Row]):
    """A file read to the end: every row (also the bad ones, so that checks against the
    database can still run on them; `good` holds the rows without a problem), every
    problem, and its header for naming them."""

    rows: list[Row]
    errors: list[RowError]
    header: Header
    good: list[Row] = field(default_factory=list)

    def reject_if_any(self, more: Iterable[RowError] = ()) -> None:
        """Raise `ImportRejected` with this file's problems and `more`, in line order,
        each named by the file's own column names."""
        errors = sorted([*self.errors, *more], key=lambda e: e.line)
        if errors:
            raise ImportRejected(self.header.labelled(errors))


def _reject_file(message: str) -> ImportRejected:
    return ImportRejected([RowError(1, "file", message, _("file"))])


def _header_checked(
    header: Header, spec: RowSpec, other_kind: tuple[RowSpec, str] | None
) -> Header:
    """`ImportRejected` when required columns are missing; when they are the columns of
    `other_kind` (its spec, and what to say), it says so instead."""
    missing = header.missing_errors(spec.required)
    if missing and other_kind is not None:
        other, message = other_kind
        if not Header.read(header.written, other.columns).missing_errors(other.required):
            raise _reject_file(message)
    if missing:
        raise ImportRejected(missing)
    return header


def _text_lines(
    header: Header, lines: Iterator[tuple[int, list[str]]], errors: list[RowError]
) -> Iterator[tuple[int, dict[str, str]]]:
    """{field: stripped value} of every non-empty line; a line with the wrong number of
    values, or one the CSV reader cannot read (which ends the reading), becomes an
    error in `errors`."""
    width = len(header.fields)
    try:
        for line, values in lines:
            if not any(v.strip() for v in values):
                continue
            if len(values) != width:
                errors.append(
                    RowError(
                        line,
                        "row",
                        _("expected %(expected)s values, found %(found)s")
                        % {"expected": width, "found": len(values)},
                        _("row"),
                    )
                )
                continue
            yield line, {h: v.strip() for h, v in zip(header.fields, values, strict=True)}
    except ImportRejected as unreadable:
        errors.extend(unreadable.errors)


def csv_table(
    content: bytes,
    spec: RowSpec,
    *,
    max_bytes: int | None | bool = True,
    other_kind: tuple[RowSpec, str] | None = None,
) -> Table:
    """A CSV file as a table. `max_bytes`: the size cap (True: `IMPORT_MAX_BYTES`;
    False: none, for bulk loads capped elsewhere). `ImportRejected` for a file that
    cannot be read row by row at all (too big, binary, empty, columns missing)."""
    if max_bytes is not False:
        size_check(content, limit=None if max_bytes is True else max_bytes)
    text = decode_upload(content)
    if not text.strip():
        raise _reject_file(_("the file is empty"))
    lines = csv_lines(text, sniff_delimiter(text))
    header = _header_checked(Header.read(next(lines)[1], spec.columns), spec, other_kind)
    table = Table(header, ())
    table.lines = _text_lines(header, lines, table.errors)
    return table


def xlsx_table(
    content: bytes,
    spec: RowSpec,
    *,
    max_rows: int,
    other_kind: tuple[RowSpec, str] | None = None,
) -> Table:
    """The first sheet of an Excel workbook as a table: row N of the sheet is line N."""
    rows = enumerate(first_sheet_rows(content, max_rows=max_rows), 1)
    first = next(rows, None)
    if first is None:
        raise _reject_file(_("the file is empty"))
    header = _header_checked(Header.read(first[1], spec.columns), spec, other_kind)
    table = Table(header, ())
    table.lines = _text_lines(header, rows, table.errors)
    return table


def file_table(
    content: bytes,
    spec: RowSpec,
    *,
    max_rows: int,
    max_bytes: int | None = None,
    other_kind: tuple[RowSpec, str] | None = None,
) -> Table:
    """An uploaded file, CSV or Excel (told by its content, not its name), within
    `max_bytes` (`IMPORT_MAX_BYTES` by default) and, for Excel, `max_rows`."""
    size_check(content, limit=max_bytes)
    if is_xlsx(content):
        return xlsx_table(content, spec, max_rows=max_rows, other_kind=other_kind)
    return csv_table(content, spec, max_bytes=False, other_kind=other_kind)


def records_table(records: Iterable[Mapping[str, Any]], spec: RowSpec, *, first: int = 1) -> Table:
    """Dicts keyed by field name (an API payload, values typed or text), numbered from
    `first`; a missing key is an empty value. Errors keep the field names."""
    names = [f.name for f in spec.fields]
    header = Header(names, names, spec.columns)
    return Table(header, enumerate(records, first))


def rows_read(spec: RowSpec[Row], table: Table) -> ParsedFile[Row]:
    """Every row of `table` typed by `spec`, with every problem of its values."""
    rows: list[Row] = []
    good: list[Row] = []
    errors = table.errors
    seen: list[dict[tuple, int]] = [{} for _u in spec.unique]
    order = {name: i for i, name in enumerate(spec.error_order or [f.name for f in spec.fields])}
    fields = spec.fields
    for line, raw in table.lines:
        values: Values = {}
        bad: list[tuple[str, str]] = []
        for f in fields:
            try:
                values[f.name] = f.parse(raw.get(f.name, ""))
            except Invalid as invalid:
                bad.append((f.name, str(invalid)))
                values[f.name] = f.fallback
        failed = {name for name, _m in bad}
        for unique, first_lines in zip(spec.unique, seen, strict=True):
            if any(name in failed for name in unique.key):
                continue
            key = tuple(values[name] for name in unique.key)
            if any(part in ("", None) for part in key):
                continue
            first = first_lines.setdefault(key, line)
            if first != line:
                bad.append((unique.reported_on, unique.message(key[-1], first)))
        for check in spec.checks:
            bad.extend(check(values))
        if spec.complete is not None:
            values = spec.complete(values)
        row = spec.row(line=line, **values)
        rows.append(row)
        if bad:
            bad.sort(key=lambda problem: order.get(problem[0], len(order)))
            errors.extend(RowError(line, name, message) for name, message in bad)
        else:
            good.append(row)
    if not rows and not errors:
        raise _reject_file(_("the file has no data rows"))
    return ParsedFile(rows, errors, table.header, good)
