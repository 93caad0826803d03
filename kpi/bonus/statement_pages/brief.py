"""A statement's numbers as people read them and its scheme's rules in brief, for the
statement's page and the store's PDF."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kpi.bonus.choices import SCORECARD, Mode
from kpi.bonus.compute import metric_kpi
from kpi.bonus.models import Scheme
from kpi.bonus.scheme_display import scheme_rules
from kpi.metrics import BY_CODE
from portal.numbers import Kind, format_number


def metric_text(scheme: Scheme, value: Decimal | None) -> str:
    """A store's value of the scheme's metric («63,0 %», «71,25 points»)."""
    if value is None:
        return "—"
    if scheme.metric == SCORECARD:
        return _("%(points)s points") % {"points": format_number(value, Kind.DECIMAL)}
    return BY_CODE[scheme.metric].format(value)


def scope_text(scheme: Scheme, value: Decimal | None) -> str:
    """The scope's value or plan (read on the KPI the plan is set for)."""
    return metric_kpi(scheme).format(value) if value is not None else "—"


def scheme_brief(scheme: Scheme) -> list[str]:
    """The scheme's rules in brief, as its own page words them
    (`kpi.bonus.scheme_display.scheme_rules`): how it pays, the cap, the tie rule (a
    ranking), the rounding and who is paid."""
    rules = scheme_rules(scheme)
    sentences = [rules["mode"], rules["cap"]]
    if scheme.mode == Mode.ZERO_SUM:
        sentences.append(rules["ties"])
    return [*sentences, rules["rounding"], rules["payees"]]
