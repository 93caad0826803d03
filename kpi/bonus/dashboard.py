"""The bonus room's dashboard panels: store staff and store managers see their latest
line and why («staff see their line on their dashboard»); regional managers and HQ the
statements awaiting their approval, the disputes for them to decide and the schemes'
latest suspensions and resumptions («announced on dashboards»). A few queries each."""

from __future__ import annotations

from kpi.bonus.explain import line_explanation
from kpi.bonus.selectors.statements import own_lines
from kpi.bonus.statement_pages.reads import awaiting_approval, disputes_to_decide, scheme_turns
from kpi.bonus.statement_pages.tables import period_label

SHOWN = 5  # statements listed on the panel


def own_line_panel(user) -> dict:
    line = own_lines(user=user).first()
    if line is None:
        return {"line": None}
    return {
        "line": line,
        "period": period_label(line.statement),
        "explanation": line_explanation(line),
    }


def approvals_panel(user) -> dict:
    awaiting = awaiting_approval(user=user)
    return {
        "awaiting": [{"statement": s, "period": period_label(s)} for s in awaiting[:SHOWN]],
        "more": max(len(awaiting) - SHOWN, 0),
        "disputes": len(disputes_to_decide(user=user)),
        "turns": scheme_turns(user=user),
    }
