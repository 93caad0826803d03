"""Parsing and validation of the stores and staff CSV files (no writes here).

Files come from HR and Excel: UTF-8 (with or without BOM) or cp1251, `;` or `,`
separated, dates as YYYY-MM-DD or DD.MM.YYYY, column names in English or Russian.
Every problem is reported as (line, column as the file names it, reason) in one pass;
the caller writes nothing if any. Reading itself (limits, decoding, CSV) is
`portal.imports`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from portal.imports.errors import ImportRejected, RowError
from portal.imports.limits import size_check
from portal.imports.text import (
    Header,
    canonical_columns,
    csv_lines,
    decode_upload,
    sniff_delimiter,
)
from portal.org.choices import Role, StoreFormat

# The readers' shared names, kept importable from here for the apps that use them.
__all__ = [
    "ImportRejected",
    "RowError",
    "canonical_columns",
    "decode_upload",
    "sniff_delimiter",
]

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


@dataclass(frozen=True)
class StoreRow:
    line: int
    region_code: str
    region_name: str
    code: str
    name: str
    city: str
    address: str
    format: str
    opened_on: date
    lp_launch_date: date | None
    is_active: bool


@dataclass(frozen=True)
class PersonRow:
    line: int
    personnel_number: str
    last_name: str
    first_name: str
    middle_name: str
    email: str
    role: str
    store_code: str
    region_code: str
    hire_date: date | None
    is_active: bool


STORE_COLUMNS = {
    "region_code": ("код региона",),
    "region_name": ("регион",),
    "code": ("код магазина", "код"),
    "name": ("название", "магазин"),
    "city": ("город",),
    "address": ("адрес",),
    "format": ("формат",),
    "opened_on": ("дата открытия",),
    "lp_launch_date": ("дата запуска пл",),
    "is_active": ("активен",),
}
STORE_REQUIRED = ("region_code", "code", "name", "city", "address", "format", "opened_on")

PERSON_COLUMNS = {
    "personnel_number": ("табельный номер", "таб. номер"),
    "last_name": ("фамилия",),
    "first_name": ("имя",),
    "middle_name": ("отчество",),
    "email": ("e-mail", "почта", "электронная почта"),
    "role": ("роль", "должность"),
    "store_code": ("код магазина", "магазин"),
    "region_code": ("код региона", "регион"),
    "hire_date": ("дата приёма", "дата приема"),
    "is_active": ("активен",),
}
PERSON_REQUIRED = ("personnel_number", "last_name", "first_name", "email", "role")

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


class _RowParser:
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


def parse_store_rows(content: bytes) -> ParsedFile[StoreRow]:
    """Every row of a stores file with every problem of its values (none raised here
    unless the file cannot be read row by row)."""
    parsed: list[StoreRow] = []
    seen: dict[str, int] = {}
    header, rows, errors = read_rows(
        content,
        STORE_COLUMNS,
        STORE_REQUIRED,
        other_kind=(
            PERSON_COLUMNS,
            PERSON_REQUIRED,
            _("this looks like a staff file: choose «Staff» as what the file contains"),
        ),
    )
    for line, values in rows:
        p = _RowParser(line, values, errors)
        code = p.code("code")
        if code in seen:
            p.error(
                "code",
                _("store %(code)s is already on line %(line)s")
                % {"code": code, "line": seen[code]},
            )
        seen.setdefault(code, line)
        region_code = p.code("region_code")
        opened_on = p.date("opened_on", required=True)
        row = StoreRow(
            line=line,
            region_code=region_code,
            region_name=p.text("region_name") or region_code,
            code=code,
            name=p.text("name", required=True),
            city=p.text("city", required=True, max_length=100),
            address=p.text("address", required=True, max_length=300),
            format=p.choice("format", StoreFormat),
            opened_on=opened_on or date.min,
            lp_launch_date=p.date("lp_launch_date"),
            is_active=p.flag("is_active"),
        )
        if opened_on and row.lp_launch_date and row.lp_launch_date < opened_on:
            p.error("lp_launch_date", _("LP launch date is before the store opened"))
        parsed.append(row)
    return ParsedFile(parsed, errors, header)


def parse_person_rows(content: bytes) -> ParsedFile[PersonRow]:
    """Every row of a staff file with every problem of its values; the references to
    stores, regions and other people's e-mails are checked by the service."""
    parsed: list[PersonRow] = []
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    header, rows, errors = read_rows(
        content,
        PERSON_COLUMNS,
        PERSON_REQUIRED,
        other_kind=(
            STORE_COLUMNS,
            STORE_REQUIRED,
            _(
                "this looks like a stores file: choose «Stores and regions» as what the file "
                "contains"
            ),
        ),
    )
    for line, values in rows:
        p = _RowParser(line, values, errors)
        number = p.code("personnel_number")
        if number in seen_numbers:
            p.error(
                "personnel_number",
                _("personnel number %(number)s is already on line %(line)s")
                % {"number": number, "line": seen_numbers[number]},
            )
        seen_numbers.setdefault(number, line)
        email = p.text("email", required=True, max_length=254).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                p.error("email", _("'%(value)s' is not an e-mail address") % {"value": email})
            if email in seen_emails:
                p.error(
                    "email",
                    _("e-mail %(email)s is already on line %(line)s")
                    % {"email": email, "line": seen_emails[email]},
                )
            seen_emails.setdefault(email, line)
        role = p.choice("role", Role)
        store_code = p.code("store_code", required=False)
        region_code = p.code("region_code", required=False)
        if role in {Role.STORE_STAFF, Role.STORE_MANAGER} and not store_code:
            p.error("store_code", _("a store is required for this role"))
        if role == Role.REGIONAL_MANAGER and not region_code:
            p.error("region_code", _("a region is required for a regional manager"))
        if role == Role.REGIONAL_MANAGER and store_code:
            p.error("store_code", _("a regional manager belongs to a region, not a store"))
        parsed.append(
            PersonRow(
                line=line,
                personnel_number=number,
                last_name=p.text("last_name", required=True, max_length=150),
                first_name=p.text("first_name", required=True, max_length=150),
                middle_name=p.text("middle_name", max_length=150),
                email=email,
                role=role,
                store_code=store_code,
                region_code=region_code,
                hire_date=p.date("hire_date"),
                is_active=p.flag("is_active"),
            )
        )
    return ParsedFile(parsed, errors, header)
