"""Text files as rows: decoding, the delimiter, column names, and a CSV reader that
names any parse failure instead of raising the csv module's own error."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from portal.imports.errors import ImportRejected, RowError


def decode_upload(content: bytes) -> str:
    """UTF-8 first (Excel's "CSV UTF-8"), then cp1251 (Excel's plain CSV in Russia).
    A file with NUL bytes is binary whatever it decodes as."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise ImportRejected(
        [RowError(1, "file", _("the file is neither UTF-8 nor Windows-1251 text"), _("file"))]
    )


DELIMITERS = (";", ",", "\t")


def sniff_delimiter(text: str) -> str:
    """`;` (Russian Excel), `,` or tab (a sheet copied out of Excel), whichever the
    header line uses most; `;` on a tie (a one-column header)."""
    first_line = text.split("\n", 1)[0]
    return max(DELIMITERS, key=first_line.count)


def _normal(name: str) -> str:
    return name.strip().lower().replace("ё", "е")


def canonical_columns(header: list[str], columns: dict[str, tuple[str, ...]]) -> list[str]:
    """Our field names for a file's header (Russian or English aliases); unknown
    columns keep their own name."""
    aliases = {name: name for name in columns}
    for name, extra in columns.items():
        aliases.update({_normal(alias): name for alias in extra})
    return [aliases.get(_normal(h), h.strip()) for h in header]


@dataclass(frozen=True)
class Header:
    """A file's header: the names as written and our field names for them."""

    written: list[str]
    fields: list[str]
    columns: dict[str, tuple[str, ...]]

    @classmethod
    def read(cls, written: list[str], columns: dict[str, tuple[str, ...]]) -> Header:
        return cls([w.strip() for w in written], canonical_columns(written, columns), columns)

    def label(self, field: str) -> str:
        """The field as this file names it; for a column the file lacks, the name a
        Russian file would use (on Russian pages) or our field name."""
        if field in self.fields:
            return self.written[self.fields.index(field)]
        if field == "file":
            return _("file")
        if field == "row":
            return _("row")
        aliases = self.columns.get(field, ())
        if (translation.get_language() or "").startswith("ru") and aliases:
            return aliases[0]
        return field

    def labelled(self, errors: list[RowError]) -> list[RowError]:
        return [
            e if e.column else RowError(e.line, e.field, e.message, self.label(e.field))
            for e in errors
        ]

    def missing_errors(self, required: tuple[str, ...] | list[str]) -> list[RowError]:
        return [
            RowError(
                1,
                name,
                _("required column is missing (name it «%(ru)s» or «%(en)s»)")
                % {"ru": (self.columns.get(name) or (name,))[0], "en": name},
                self.label(name),
            )
            for name in required
            if name not in self.fields
        ]


def csv_lines(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, values) of every line, the header included. Anything the csv
    module cannot read (a value over its field limit, a stray quote, a NUL) becomes
    `ImportRejected` naming the line, never the csv module's own exception."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportRejected([_csv_error(reader.line_num, error)]) from error
        yield reader.line_num, values


def _csv_error(line: int, error: csv.Error) -> RowError:
    reason = str(error)
    if "field larger than field limit" in reason:
        message = _(
            "a value is longer than %(n)s characters (a missing closing quote, or not a CSV file)"
        ) % {"n": csv.field_size_limit()}
    else:
        message = _("the line cannot be read as CSV: %(reason)s") % {"reason": reason}
    return RowError(line, "row", message, _("row"))
