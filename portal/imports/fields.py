"""Field parsers: one value of a row (text from a CSV or Excel cell, or a typed value from
an API payload) to its typed value, or `Invalid` with the reason a person can act on.

A parser is any callable `value -> typed value`; these are the ones several imports
share. Messages are the house's: an empty required value is «value is required», a
long one names its limit.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

Parser = Callable[[Any], Any]

CODE_RE = re.compile(r"^[\w.-]{1,20}$")
YES = ("1", "true", "yes", "y", "да", "д", "+")
NO = ("0", "false", "no", "n", "нет", "н", "-")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y")


class Invalid(ValueError):
    """The value cannot be taken; the message says why (translated)."""


def as_text(value: Any) -> str:
    """A cell as text: None is empty, Decimal without exponent, the rest as str()."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    return value if isinstance(value, str) else str(value)


def text(*, required: bool = False, max_length: int = 200, lower: bool = False) -> Parser:
    def parse(value: Any) -> str:
        value = as_text(value)
        if required and not value:
            raise Invalid(_("value is required"))
        if len(value) > max_length:
            raise Invalid(_("longer than %(n)s characters") % {"n": max_length})
        return value.lower() if lower else value

    return parse


def code(*, required: bool = True) -> Parser:
    """A code of a store, region or person: letters, digits, '.', '-', '_', 1-20 long."""
    read = text(required=required, max_length=20)

    def parse(value: Any) -> str:
        value = read(value)
        if value and not CODE_RE.match(value):
            raise Invalid(_("code may contain only letters, digits, '.', '-' and '_'"))
        return value

    return parse


def day(*, required: bool = False) -> Parser:
    """A date as YYYY-MM-DD or DD.MM.YYYY (or a date already); empty is None."""

    def parse(value: Any) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        value = as_text(value).removesuffix(" 00:00:00")  # an Excel date cell
        if not value:
            if required:
                raise Invalid(_("value is required"))
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(value, fmt).date()
            except ValueError:
                continue
        raise Invalid(_("'%(value)s' is not a date (YYYY-MM-DD or DD.MM.YYYY)") % {"value": value})

    return parse


def flag(*, empty: bool = True) -> Parser:
    """Yes or no in the words HR files use (1/0, да/нет, yes/no, +/-); empty is `empty`."""
    yes, no = set(YES), set(NO)

    def parse(value: Any) -> bool:
        if isinstance(value, bool):
            return value
        value = as_text(value).lower()
        if not value:
            return empty
        if value in yes:
            return True
        if value in no:
            return False
        raise Invalid(_("'%(value)s' is not yes/no (1/0)") % {"value": value})

    return parse


def choice(choices: Iterable, *, labels: bool = True) -> Parser:
    """One of a Django choices class, by its value or (`labels`) by its label in any of
    the portal's languages (HR files carry the role's name in Russian or English)."""
    known: dict[str, str] = {}

    def by_key() -> dict[str, str]:
        if not known:
            known.update({str(c.value): str(c.value) for c in choices})
            for language, _name in settings.LANGUAGES if labels else ():
                with translation.override(language):
                    known.update({str(c.label).lower(): str(c.value) for c in choices})
        return known

    def parse(value: Any) -> str:
        value = as_text(value)
        found = by_key().get(value.lower()) or by_key().get(value)
        if not found:
            raise Invalid(
                _("'%(value)s' is not one of: %(allowed)s")
                % {"value": value, "allowed": ", ".join(str(c.value) for c in choices)}
            )
        return found

    return parse
