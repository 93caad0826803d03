"""How KPI values read: shares in percent, changes of shares in percentage points."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from kpi.metrics import Kpi

register = template.Library()

MONEY = {"average_receipt", "average_lp_receipt"}


@register.filter
def kpi_value(value: Decimal | int | None, kpi: Kpi) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if kpi.percent:
        return f"{number_format(value * 100, 2)} %"
    suffix = " ₽" if kpi.code in MONEY else ""
    return number_format(value, 2, force_grouping=True) + suffix


@register.filter
def kpi_change(value: Decimal | int | None, kpi: Kpi) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    if kpi.percent:
        return _("%(sign)s%(value)s pp") % {
            "sign": sign,
            "value": number_format(abs(value) * 100, 2),
        }
    return sign + number_format(abs(value), 2, force_grouping=True)


@register.filter
def plan_target(target: Decimal | None, kpi: Kpi) -> str:
    if target is None or target == "":  # no plan (a missing attribute reads as "")
        return "—"
    if kpi.percent:
        return f"{number_format(target, 1)} %"
    return number_format(target, 2, force_grouping=True)
