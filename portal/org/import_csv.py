"""Parsing and validation of the stores and staff CSV files (no writes here).

Files come from HR and Excel: UTF-8 (with or without BOM) or cp1251, `;` or `,`
separated, dates as YYYY-MM-DD or DD.MM.YYYY, column names in English or Russian.
Every problem is reported as (line, column as the file names it, reason) in one pass;
the caller writes nothing if any. Reading itself (limits, decoding, CSV) is
`portal.imports`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portal.imports.rows import ParsedFile, RowParser, read_rows
from portal.org.choices import Role, StoreFormat


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
        p = RowParser(line, values, errors)
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
        p = RowParser(line, values, errors)
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
