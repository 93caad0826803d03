"""How KPI values read, from the KPI's own declaration (`kpi.metrics`): shares in
percent, changes of shares in percentage points, amounts in roubles."""

from __future__ import annotations

from decimal import Decimal

from django import template

from kpi.metrics import Kpi

register = template.Library()


@register.filter
def kpi_value(value: Decimal | int | None, kpi: Kpi) -> str:
    """A value or a plan's target (plans are written in the KPI's unit)."""
    return kpi.format(value)


@register.filter
def kpi_change(value: Decimal | int | None, kpi: Kpi) -> str:
    return kpi.format_change(value)
