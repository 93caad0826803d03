"""The stores and staff files, declared on `portal.imports` (no writes here).

Files come from HR and Excel: CSV in UTF-8 (with or without BOM) or cp1251, `;`, `,` or
tab separated, or an Excel workbook; dates as YYYY-MM-DD or DD.MM.YYYY, column names in
English or Russian. Each kind is a `RowSpec`: its row, and per column the names files
give it and the parser of its values. Every problem is reported as (line, column as
the file names it, reason) in one pass; the caller writes nothing if any.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from portal.imports import fields as parse
from portal.imports.fields import Invalid
from portal.imports.rows import Field, ParsedFile, RowSpec, Unique, Values, file_table, rows_read
from portal.org.choices import Role, StoreFormat

# The most data rows of an Excel sheet of stores or staff (its bytes are capped too).
MAX_ROWS = 100_000


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
    email: str | None
    role: str
    store_code: str
    region_code: str
    hire_date: date | None
    is_active: bool


def _email(value: Any) -> str | None:
    email = parse.text(max_length=254, lower=True)(value)
    if not email:
        return None  # optional: a seller without e-mail activates with a code
    try:
        validate_email(email)
    except ValidationError as error:
        raise Invalid(_("'%(value)s' is not an e-mail address") % {"value": email}) from error
    return email


def _launch_after_opening(values: Values) -> list[tuple[str, str]]:
    opened_on, launched = values["opened_on"], values["lp_launch_date"]
    if opened_on != date.min and launched and launched < opened_on:
        return [("lp_launch_date", _("LP launch date is before the store opened"))]
    return []


def _place_fits_role(values: Values) -> list[tuple[str, str]]:
    role, store_code, region_code = values["role"], values["store_code"], values["region_code"]
    problems = []
    if role in {Role.STORE_STAFF, Role.STORE_MANAGER} and not store_code:
        problems.append(("store_code", _("a store is required for this role")))
    if role == Role.REGIONAL_MANAGER and not region_code:
        problems.append(("region_code", _("a region is required for a regional manager")))
    if role == Role.REGIONAL_MANAGER and store_code:
        problems.append(("store_code", _("a regional manager belongs to a region, not a store")))
    return problems


STORES = RowSpec(
    StoreRow,
    fields=(
        Field("region_code", parse.code(), ("код региона",), required=True),
        Field("region_name", parse.text(), ("регион",)),
        Field("code", parse.code(), ("код магазина", "код"), required=True),
        Field("name", parse.text(required=True), ("название", "магазин"), required=True),
        Field("city", parse.text(required=True, max_length=100), ("город",), required=True),
        Field("address", parse.text(required=True, max_length=300), ("адрес",), required=True),
        Field("format", parse.choice(StoreFormat), ("формат",), required=True),
        Field("opened_on", parse.day(required=True), ("дата открытия",), True, date.min),
        Field("lp_launch_date", parse.day(), ("дата запуска пл",), fallback=None),
        Field("is_active", parse.flag(), ("активен",), fallback=True),
    ),
    unique=(
        Unique(
            ("code",),
            lambda code, line: (
                _("store %(code)s is already on line %(line)s") % {"code": code, "line": line}
            ),
        ),
    ),
    checks=(_launch_after_opening,),
    complete=lambda values: {
        **values,
        "region_name": values["region_name"] or values["region_code"],
    },
)

PEOPLE = RowSpec(
    PersonRow,
    fields=(
        Field("personnel_number", parse.code(), ("табельный номер", "таб. номер"), True),
        Field("last_name", parse.text(required=True, max_length=150), ("фамилия",), True),
        Field("first_name", parse.text(required=True, max_length=150), ("имя",), True),
        Field("middle_name", parse.text(max_length=150), ("отчество",)),
        Field("email", _email, ("e-mail", "почта", "электронная почта")),
        Field("role", parse.choice(Role), ("роль", "должность"), required=True),
        Field("store_code", parse.code(required=False), ("код магазина", "магазин")),
        Field("region_code", parse.code(required=False), ("код региона", "регион")),
        Field("hire_date", parse.day(), ("дата приёма", "дата приема"), fallback=None),
        Field("is_active", parse.flag(), ("активен",), fallback=True),
    ),
    unique=(
        Unique(
            ("personnel_number",),
            lambda number, line: (
                _("personnel number %(number)s is already on line %(line)s")
                % {"number": number, "line": line}
            ),
        ),
        Unique(
            ("email",),
            lambda email, line: (
                _("e-mail %(email)s is already on line %(line)s") % {"email": email, "line": line}
            ),
        ),
    ),
    checks=(_place_fits_role,),
    # A row's problems in the order people fix them: who, how to reach them, where.
    error_order=(
        "personnel_number",
        "email",
        "role",
        "store_code",
        "region_code",
        "last_name",
        "first_name",
        "middle_name",
        "hire_date",
        "is_active",
    ),
)

# {field: aliases} in the files' column order (templates, the demo's files).
STORE_COLUMNS = STORES.columns
PERSON_COLUMNS = PEOPLE.columns


def parse_store_rows(content: bytes) -> ParsedFile[StoreRow]:
    """Every row of a stores file (CSV or Excel) with every problem of its values (none
    raised here unless the file cannot be read row by row)."""
    looks_like_staff = _("this looks like a staff file: choose «Staff» as what the file contains")
    table = file_table(content, STORES, max_rows=MAX_ROWS, other_kind=(PEOPLE, looks_like_staff))
    return rows_read(STORES, table)


def parse_person_rows(content: bytes) -> ParsedFile[PersonRow]:
    """Every row of a staff file (CSV or Excel) with every problem of its values; the
    references to stores, regions and other people's e-mails are checked by the service."""
    looks_like_stores = _(
        "this looks like a stores file: choose «Stores and regions» as what the file contains"
    )
    table = file_table(content, PEOPLE, max_rows=MAX_ROWS, other_kind=(STORES, looks_like_stores))
    return rows_read(PEOPLE, table)
