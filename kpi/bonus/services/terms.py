"""HR's terms of the schemes (`StaffTerms`): each person's FTE share and variable bonus,
taken from HR's file through the house's file intake (`portal.imports`).

The file: personnel number; FTE; variable bonus (CSV in UTF-8 or cp1251, `;` or `,`,
or an Excel workbook), column names in Russian or English. Every problem — a value
that is not a number, an FTE outside (0, 1.5], a negative bonus, more than two
decimals, a personnel number nobody has, a person twice — is reported as (line,
column, reason) in one pass, and then nothing is written. A good file updates or
creates every listed person's terms in one transaction; people not in the file keep
theirs. Either way the file is in the batch log (`ImportLog`, kind `bonus_terms`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from kpi.bonus import clock
from kpi.bonus.models import StaffTerms
from kpi.bonus.selectors.terms import KIND
from portal.imports import fields as parse
from portal.imports.errors import RowError
from portal.imports.fields import Invalid
from portal.imports.log import intake_logged
from portal.imports.rows import Field, RowSpec, Unique, file_table, rows_read
from portal.org.models import User

MAX_ROWS = 100_000
FTE_MAX = Decimal("1.5")
KOPECK = Decimal("0.01")
TOO_LARGE = Decimal(10**10)  # the variable bonus fits 12 digits, 2 of them kopecks


@dataclass(frozen=True)
class TermsRow:
    line: int
    personnel_number: str
    fte: Decimal | None
    variable_bonus: Decimal | None


def _decimal(value: Any) -> Decimal | None:
    """A number as HR writes it: «0,75», «12 500.00», «12 500,5»; empty is None."""
    text = parse.as_text(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise Invalid(_("'%(value)s' is not a number") % {"value": value}) from error
    if not number.is_finite():
        raise Invalid(_("'%(value)s' is not a number") % {"value": value})
    if abs(number) >= TOO_LARGE:
        raise Invalid(_("'%(value)s' is too large") % {"value": value})
    if number != number.quantize(KOPECK):
        raise Invalid(_("at most two decimals, not '%(value)s'") % {"value": value})
    return number.quantize(KOPECK)


def _fte(value: Any) -> Decimal:
    number = _decimal(value)
    if number is None:
        raise Invalid(_("value is required"))
    if not Decimal(0) < number <= FTE_MAX:
        raise Invalid(
            _("FTE must be above 0 and at most %(max)s, not %(value)s")
            % {"max": FTE_MAX, "value": number}
        )
    return number


def _bonus(value: Any) -> Decimal | None:
    number = _decimal(value)
    if number is not None and number < 0:
        raise Invalid(_("the variable bonus cannot be negative"))
    return number


TERMS = RowSpec(
    TermsRow,
    fields=(
        Field(
            "personnel_number",
            parse.code(),
            ("табельный номер", "таб. номер", "personnel number"),
            required=True,
        ),
        Field("fte", _fte, ("ставка", "доля ставки", "fte share"), required=True, fallback=None),
        Field(
            "variable_bonus",
            _bonus,
            ("переменная часть", "переменная премия", "variable bonus"),
            required=True,
            fallback=None,
        ),
    ),
    unique=(
        Unique(
            ("personnel_number",),
            lambda number, line: (
                _("personnel number %(number)s is already on line %(line)s")
                % {"number": number, "line": line}
            ),
        ),
    ),
)
TERMS_COLUMNS = TERMS.columns


@dataclass(frozen=True)
class TermsReport:
    rows: int
    created: int
    updated: int


def _people(rows: list[TermsRow]) -> tuple[dict[str, User], list[RowError]]:
    """The people of the file by personnel number (one query), and an error for each
    number nobody has."""
    numbers = {row.personnel_number for row in rows if row.personnel_number}
    people = {u.personnel_number: u for u in User.objects.filter(personnel_number__in=numbers)}
    errors = [
        RowError(
            row.line,
            "personnel_number",
            _("unknown personnel number '%(number)s'") % {"number": row.personnel_number},
        )
        for row in rows
        if row.personnel_number and row.personnel_number not in people
    ]
    return people, errors


def terms_import(*, actor: User, content: bytes, filename: str = "") -> TermsReport:
    """Take HR's terms file: all rows or none (`ImportRejected` lists every problem);
    either way the file is in the batch log with who loaded it."""
    with intake_logged(kind=KIND, filename=filename, actor=actor) as intake:
        parsed = rows_read(TERMS, file_table(content, TERMS, max_rows=MAX_ROWS))
        people, problems = _people(parsed.rows)
        parsed.reject_if_any(problems)
        report = _terms_apply(rows=parsed.rows, people=people)
        intake.rows = report.rows
    return report


@transaction.atomic
def _terms_apply(*, rows: list[TermsRow], people: dict[str, User]) -> TermsReport:
    person_ids = [people[row.personnel_number].pk for row in rows]
    existing = set(
        StaffTerms.objects.filter(person_id__in=person_ids).values_list("person_id", flat=True)
    )
    now = clock.now()
    StaffTerms.objects.bulk_create(
        [
            StaffTerms(
                person=people[row.personnel_number],
                fte=row.fte,
                variable_bonus=row.variable_bonus,
                updated_at=now,
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["person"],
        update_fields=["fte", "variable_bonus", "updated_at"],
    )
    updated = len(existing)
    return TermsReport(rows=len(rows), created=len(rows) - updated, updated=updated)
