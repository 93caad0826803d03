"""Who may give the approval a statement awaits, and if not, why — said from the rules'
own predicates (`kpi.bonus.rules`), so the page and the service cannot disagree.

The rule is asked directly (`rules.has_perm`), not through `user.has_perm`: Django lets a
superuser pass every permission, but the states of a statement (open, locked) and the
segregation of duties (never the preparer, the last changer, the first approver, the
author of a dispute) bind administrators too."""

from __future__ import annotations

from dataclasses import dataclass

import rules
from django.utils.translation import gettext as _

from kpi.bonus import rules as bonus_rules
from kpi.bonus.choices import StatementStatus
from kpi.bonus.models import Statement
from portal.org.rules import owns_content

APPROVAL_PERMS = {
    StatementStatus.REVIEW: "bonus.approve_region",
    StatementStatus.REGION_APPROVED: "bonus.approve_hq",
}
# Who gives each approval, as the rules say it (the rest of each rule is the state and
# the segregation of duties).
FIRST_APPROVERS = (
    bonus_rules.regional_manager & bonus_rules.statement_of_own_region
) | owns_content
SECOND_APPROVERS = owns_content


def allowed(user, perm: str, obj=None) -> bool:
    """The rule itself, for administrators too (see the module's docstring)."""
    return user.is_authenticated and user.is_active and rules.has_perm(perm, user, obj)


def may_approve(user, statement: Statement) -> bool:
    perm = APPROVAL_PERMS.get(statement.status)
    return perm is not None and allowed(user, perm, statement)


def approval_refusals(user, statement: Statement) -> list[str]:
    """Why `user` cannot give the approval `statement` awaits; empty when they can (or
    when it awaits none)."""
    perm = APPROVAL_PERMS.get(statement.status)
    if perm is None or allowed(user, perm, statement):
        return []
    reasons = []
    if bonus_rules.prepared_or_changed.test(user, statement):
        if statement.prepared_by_id == user.pk:
            reasons.append(_("You prepared this statement."))
        if statement.changed_by_id == user.pk:
            reasons.append(_("You changed it last."))
    if statement.status == StatementStatus.REVIEW:
        if not FIRST_APPROVERS.test(user, statement):
            reasons.append(
                _("The first approval is the region's manager's (HQ's for a network statement).")
            )
    else:
        if bonus_rules.approved_first.test(user, statement):
            reasons.append(_("You approved it first."))
        if not SECOND_APPROVERS.test(user):
            reasons.append(_("The second approval is HQ's."))
    return reasons or [_("You cannot approve this statement.")]


@dataclass(frozen=True)
class Step:
    """One step of a statement's path, with who took it and when (None: not yet)."""

    label: str
    done: bool
    current: bool
    by: object = None
    at: object = None
    until: object = None


def approval_path(statement: Statement, people: dict[int, object]) -> list[Step]:
    """Draft → open for disputes (until) → the region's approval → HQ's approval and the
    lock; `people` maps the user ids the statement names to users."""
    order = [
        StatementStatus.DRAFT,
        StatementStatus.REVIEW,
        StatementStatus.REGION_APPROVED,
        StatementStatus.LOCKED,
    ]
    reached = order.index(statement.status)
    return [
        Step(
            _("Drafted"),
            done=True,
            current=reached == 0,
            by=people.get(statement.prepared_by_id),
            at=statement.prepared_at,
        ),
        Step(
            _("Open for disputes"),
            done=reached >= 1,
            current=reached == 1,
            until=statement.dispute_until,
        ),
        Step(
            _("Approved by the regional manager"),
            done=reached >= 2,
            current=False,
            by=people.get(statement.region_approved_by_id),
            at=statement.region_approved_at,
        ),
        Step(
            _("Approved by HQ and locked"),
            done=reached >= 3,
            current=reached == 3,
            by=people.get(statement.hq_approved_by_id),
            at=statement.locked_at,
        ),
    ]
