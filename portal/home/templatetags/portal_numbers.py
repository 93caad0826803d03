"""Numbers in templates, written by `portal.numbers`: `{{ share|number:"percent" }}`,
`{{ change|signed_number:"points" }}`."""

from __future__ import annotations

from decimal import Decimal

from django import template

from portal.numbers import format_number

register = template.Library()


@register.filter
def number(value: Decimal | int | None, kind: str) -> str:
    return format_number(value, kind)


@register.filter
def signed_number(value: Decimal | int | None, kind: str) -> str:
    return format_number(value, kind, signed=True)
