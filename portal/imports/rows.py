"""A file read row by row: the header, the rows as {field: value}, the values parsed
into typed rows with every problem collected (`RowParser`), and the result
(`ParsedFile`), which rejects the file with all its problems at once."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portal.imports.errors import ImportRejected, RowError
from portal.imports.limits import size_check
from portal.imports.text import Header, csv_lines, decode_upload, sniff_delimiter

Row = TypeVar("Row")


@dataclass
class ParsedFile(Generic[Row]):
    """A file read to the end: every row (also the bad ones, so that checks against the
    database can still run on them), every problem, and its header for naming them."""

    rows: list[Row]
    errors: list[RowError]
    header: Header

    def reject_if_any(self, more: Iterable[RowError] = ()) -> None:
        """Raise `ImportRejected` with this file's problems and `more`, in line order,
        each named by the file's own column names."""
        errors = sorted([*self.errors, *more], key=lambda e: e.line)
        if errors:
            raise ImportRejected(self.header.labelled(errors))


_TRUE = {"1", "true", "yes", "y", "да", "д", "+"}
_FALSE = {"0", "false", "no", "n", "нет", "н", "-"}
_CODE_RE = re.compile(r"^[\w.-]{1,20}$")


def read_rows(
    content: bytes,
    columns: dict[str, tuple[str, ...]],
    required: Iterable[str],
    *,
    other_kind: tuple[dict[str, tuple[str, ...]], Iterable[str], str] | None = None,
) -> tuple[Header, list[tuple[int, dict[str, str]]], list[RowError]]:
    """The header, the non-empty rows as {field: value} and the lines that have the
    wrong number of values; `ImportRejected` for a file that cannot be read row by row
    at all (too big, binary, not CSV, columns missing). `other_kind`: (columns,
    required, message) of the other kind of file, so that a staff file uploaded as
    stores says so rather than listing missing columns."""
    size_check(content)
    text = decode_upload(content)
    if not text.strip():
        raise ImportRejected([RowError(1, "file", _("the file is empty"), _("file"))])
    lines = csv_lines(text, sniff_delimiter(text))
    header = Header.read(next(lines)[1], columns)
    missing = header.missing_errors(tuple(required))
    if missing and other_kind is not None:
        other_columns, other_required, message = other_kind
        if not Header.read(header.written, other_columns).missing_errors(tuple(other_required)):
            raise ImportRejected([RowError(1, "file", message, _("file"))])
    if missing:
        raise ImportRejected(missing)
    rows, ragged = [], []
    for line, values in lines:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header.fields):
            ragged.append(
                RowError(
                    line,
                    "row",
                    _("expected %(expected)s values, found %(found)s")
                    % {"expected": len(header.fields), "found": len(values)},
                    _("row"),
                )
            )
            continue
        rows.append((line, {h: v.strip() for h, v in zip(header.fields, values, strict=True)}))
    if not rows and not ragged:
        raise ImportRejected([RowError(1, "file", _("the file has no data rows"), _("file"))])
    return header, rows, ragged


class RowParser:
    """Collects field errors of one row instead of stopping at the first."""

    def __init__(self, line: int, values: dict[str, str], errors: list[RowError]):
        self.line, self.values, self.errors = line, values, errors

    def error(self, field: str, message: str) -> None:
        self.errors.append(RowError(self.line, field, message))

    def text(self, field: str, *, required: bool = False, max_length: int = 200) -> str:
        value = self.values.get(field, "")
        if required and not value:
            self.error(field, _("value is required"))
        elif len(value) > max_length:
            self.error(field, _("longer than %(n)s characters") % {"n": max_length})
        return value

    def code(self, field: str, *, required: bool = True) -> str:
        value = self.text(field, required=required, max_length=20)
        if value and not _CODE_RE.match(value):
            self.error(field, _("code may contain only letters, digits, '.', '-' and '_'"))
        return value

    def date(self, field: str, *, required: bool = False) -> date | None:
        value = self.values.get(field, "")
        if not value:
            if required:
                self.error(field, _("value is required"))
            return None
        for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        self.error(
            field, _("'%(value)s' is not a date (YYYY-MM-DD or DD.MM.YYYY)") % {"value": value}
        )
        return None

    def flag(self, field: str) -> bool:
        value = self.values.get(field, "").lower()
        if not value or value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.error(field, _("'%(value)s' is not yes/no (1/0)") % {"value": value})
        return True

    def choice(self, field: str, choices: type, *, labels: bool = True) -> str:
        value = self.values.get(field, "")
        by_key = {str(c.value): str(c.value) for c in choices}
        if labels:  # HR files may carry the role's name in Russian or English
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    by_key.update({str(c.label).lower(): str(c.value) for c in choices})
        found = by_key.get(value.lower()) or by_key.get(value)
        if not found:
            self.error(
                field,
                _("'%(value)s' is not one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(str(c.value) for c in choices)},
            )
        return found or ""
