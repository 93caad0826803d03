"""Parsing and validation of the stores and staff CSV files (no writes here).

Files come from HR and Excel: UTF-8 (with or without BOM) or cp1251, `;` or `,`
separated, dates as YYYY-MM-DD or DD.MM.YYYY, column names in English or Russian.
Every problem is reported as (line, field, reason); the caller writes nothing if any.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from portal.org.choices import Role, StoreFormat

MAX_IMPORT_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.field,
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


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


def decode_upload(content: bytes) -> str:
    """UTF-8 first (Excel's "CSV UTF-8"), then cp1251 (Excel's plain CSV in Russia)."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [RowError(1, "file", _("the file is neither UTF-8 nor Windows-1251 text"))]
    )


def sniff_delimiter(text: str) -> str:
    """`;` (Russian Excel) or `,`, whichever the header line uses more."""
    first_line = text.split("\n", 1)[0]
    return ";" if first_line.count(";") >= first_line.count(",") else ","


def canonical_columns(header: list[str], columns: dict[str, tuple[str, ...]]) -> list[str]:
    aliases = {name: name for name in columns}
    for name, extra in columns.items():
        aliases.update({alias: name for alias in extra})
    return [aliases.get(h.strip().lower().replace("ё", "е"), h.strip()) for h in header]


def read_rows(
    content: bytes, columns: dict[str, tuple[str, ...]], required: Iterable[str]
) -> list[tuple[int, dict[str, str]]]:
    if len(content) > MAX_IMPORT_BYTES:
        raise ImportRejected([RowError(1, "file", _("the file is larger than 5 MB; split it"))])
    text = decode_upload(content)
    if not text.strip():
        raise ImportRejected([RowError(1, "file", _("the file is empty"))])
    reader = csv.reader(io.StringIO(text), delimiter=sniff_delimiter(text))
    header = canonical_columns(next(reader), columns)
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRejected(
            [RowError(1, name, _("required column is missing")) for name in missing]
        )
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise ImportRejected(
                [
                    RowError(
                        reader.line_num,
                        "row",
                        _("expected %(expected)s values, found %(found)s")
                        % {"expected": len(header), "found": len(values)},
                    )
                ]
            )
        rows.append((reader.line_num, {h: v.strip() for h, v in zip(header, values, strict=True)}))
    if not rows:
        raise ImportRejected([RowError(1, "file", _("the file has no data rows"))])
    return rows


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


def parse_store_rows(content: bytes) -> list[StoreRow]:
    errors: list[RowError] = []
    parsed: list[StoreRow] = []
    seen: dict[str, int] = {}
    for line, values in read_rows(content, STORE_COLUMNS, STORE_REQUIRED):
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
    if errors:
        raise ImportRejected(errors)
    return parsed


def parse_person_rows(content: bytes) -> list[PersonRow]:
    errors: list[RowError] = []
    parsed: list[PersonRow] = []
    seen_numbers: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for line, values in read_rows(content, PERSON_COLUMNS, PERSON_REQUIRED):
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
    if errors:
        raise ImportRejected(errors)
    return parsed
