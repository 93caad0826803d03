"""Who may do what with bonus schemes. Segregation of duties: money moves only after
two different people approved a statement that neither prepared nor last changed; a
dispute is never decided by whoever raised it. What a person *sees* (which statements,
lines, flags) is scoped by `kpi.bonus.selectors`; these rules say what they may do
with it."""

from __future__ import annotations

import rules

from kpi.bonus.choices import DisputeStatus, FlagStatus, StatementStatus
from portal.org.choices import Role
from portal.org.rules import follows_regions, owns_content, role_in

store_people = role_in(Role.STORE_STAFF, Role.STORE_MANAGER)
store_manager = role_in(Role.STORE_MANAGER)
regional_manager = role_in(Role.REGIONAL_MANAGER)
# Who follows schemes and statements: HQ (the network) and regional managers (theirs).
follows_schemes = follows_regions


@rules.predicate
def prepared_or_changed(user, statement) -> bool:
    return statement is not None and user.pk in (statement.prepared_by_id, statement.changed_by_id)


@rules.predicate
def approved_first(user, statement) -> bool:
    return statement is not None and statement.region_approved_by_id == user.pk


@rules.predicate
def statement_open(user, statement) -> bool:
    return statement is not None and statement.status != StatementStatus.LOCKED


@rules.predicate
def statement_in_review(user, statement) -> bool:
    return statement is not None and statement.status == StatementStatus.REVIEW


@rules.predicate
def statement_awaits_region(user, statement) -> bool:
    return statement is not None and statement.status == StatementStatus.REVIEW


@rules.predicate
def statement_awaits_hq(user, statement) -> bool:
    return statement is not None and statement.status == StatementStatus.REGION_APPROVED


@rules.predicate
def statement_locked(user, statement) -> bool:
    return statement is not None and statement.status == StatementStatus.LOCKED


@rules.predicate
def statement_of_own_region(user, statement) -> bool:
    return (
        statement is not None
        and statement.region_id is not None
        and (statement.region_id == user.region_id)
    )


@rules.predicate
def line_of_own_store(user, line) -> bool:
    return line is not None and bool(user.store_id) and line.store_id == user.store_id


@rules.predicate
def dispute_open(user, dispute) -> bool:
    return dispute is not None and dispute.status == DisputeStatus.OPEN


@rules.predicate
def raised_it(user, dispute) -> bool:
    return dispute is not None and dispute.raised_by_id == user.pk


@rules.predicate
def flag_open(user, flag) -> bool:
    return flag is not None and flag.status == FlagStatus.OPEN


rules.add_perm("bonus.open_schemes", follows_schemes)
rules.add_perm("bonus.manage_schemes", owns_content)
rules.add_perm("bonus.simulate", follows_schemes)
rules.add_perm("bonus.open_statements", follows_schemes | store_manager)
rules.add_perm("bonus.close_period", owns_content)
rules.add_perm("bonus.restate", owns_content & statement_open)
rules.add_perm("bonus.open_disputes", owns_content & statement_open)
# The first approval: the region's manager (HQ for a network statement, or standing in
# when the region's manager changed it by accepting a dispute), never the preparer.
rules.add_perm(
    "bonus.approve_region",
    statement_awaits_region
    & ~prepared_or_changed
    & ((regional_manager & statement_of_own_region) | owns_content),
)
# The second: HQ, never the preparer nor the first approver.
rules.add_perm(
    "bonus.approve_hq",
    statement_awaits_hq & owns_content & ~prepared_or_changed & ~approved_first,
)
rules.add_perm("bonus.export_payroll", owns_content & statement_locked)
rules.add_perm("bonus.adjust_line", owns_content)
rules.add_perm("bonus.dispute_line", store_manager & line_of_own_store)
rules.add_perm(
    "bonus.decide_dispute", (regional_manager | owns_content) & dispute_open & ~raised_it
)
rules.add_perm("bonus.see_own_lines", store_people)
rules.add_perm("bonus.open_flags", owns_content | regional_manager)
rules.add_perm("bonus.decide_flag", role_in(Role.LP_MANAGER) & flag_open)
rules.add_perm("bonus.open_scorecard", follows_schemes)
rules.add_perm("bonus.set_weights", owns_content)
rules.add_perm("bonus.open_effect", follows_schemes)
