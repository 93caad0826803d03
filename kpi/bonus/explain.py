"""Why a line says what it says, in the reader's language, from the basis the
computation stored with it (metric, value, rank, plan, weight, cap)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from kpi.bonus.choices import SCORECARD, LineKind, Mode, Outcome, Payees, Split
from kpi.bonus.models import Line
from kpi.metrics import BY_CODE
from portal.numbers import Kind, format_number


def _money(value) -> str:
    return format_number(Decimal(value), Kind.MONEY) if value not in (None, "") else "—"


def _metric_value(code: str, value) -> str:
    if value in (None, ""):
        return "—"
    if code == SCORECARD:
        return _("%(points)s points") % {"points": format_number(Decimal(value), Kind.DECIMAL)}
    return BY_CODE[code].format(Decimal(value))


def line_explanation(line: Line) -> str:
    """One or two sentences a seller understands: where the store stood, what that means
    under the scheme, and any cap that applied."""
    basis = line.basis
    if line.kind == LineKind.ADJUSTMENT:
        return _("Correction of an earlier approved period: %(reason)s") % {
            "reason": basis.get("reason", "")
        }
    code = basis["metric_code"]
    facts = {
        "metric": basis["metric"],
        "value": _metric_value(code, basis["value"]),
        "target": _metric_value(code, basis.get("target")),
        "rank": basis.get("rank") or "—",
        "ranked": basis.get("ranked"),
        "top": basis.get("top_n"),
        "bottom": basis.get("bottom_n"),
        "per_person": _money(basis.get("per_person")),
        "cap": _money(basis.get("cap")),
        "pool": _money(basis.get("pool")),
        "own": _metric_value("penetration", basis.get("own_share")),
    }
    parts = []
    outcome = basis["outcome"]
    if basis["mode"] == Mode.ZERO_SUM:
        if outcome == Outcome.TOP:
            parts.append(
                _(
                    "The store ranked %(rank)s of %(ranked)s on %(metric)s (%(value)s), among "
                    "the best %(top)s: they share what the worst %(bottom)s stores' people "
                    "gave up (%(pool)s in all)."
                )
                % facts
            )
        else:
            parts.append(
                _(
                    "The store ranked %(rank)s of %(ranked)s on %(metric)s (%(value)s), among "
                    "the worst %(bottom)s: %(per_person)s a person is deducted from the "
                    "variable bonus and goes to the best stores' people."
                )
                % facts
            )
    elif line.amount > 0:
        parts.append(
            _(
                "%(metric)s %(value)s, at or above the plan of %(target)s: "
                "the award is %(per_person)s."
            )
            % facts
        )
    else:
        parts.append(
            _(
                "%(metric)s %(value)s, below the plan of %(target)s: "
                "the deduction is %(per_person)s."
            )
            % facts
        )
    if basis.get("payees") == Payees.CASHIERS and basis.get("own_share") not in (None, ""):
        parts.append(_("Your own identified share of receipts: %(own)s.") % facts)
    if basis.get("split") == Split.FTE and basis.get("payees") != Payees.CASHIERS:
        parts.append(_("Shared by FTE (yours: %(fte)s).") % {"fte": basis.get("weight")})
    if line.capped:
        parts.append(
            _("Limited to your variable bonus (%(cap)s).") % facts
            if line.amount < 0
            else _("Scaled down to fit the scheme's budget.")
        )
    return " ".join(parts)
