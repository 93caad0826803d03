"""Permissions of the incidents app as django-rules predicates.

Visibility comes from `incidents.selectors.tickets.tickets_visible_to` (404 outside it):
the desk and HQ see every ticket, a regional manager the region's, a store manager the
store's; store staff and auditors none. These rules say what a role may do with a ticket
it sees (403)."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import follows_stores, owns_content, role_in

DESK_ROLES = frozenset({Role.CALL_CENTER_AGENT, Role.CALL_CENTER_SUPERVISOR})

works_desk = role_in(*DESK_ROLES)
supervises_desk = role_in(Role.CALL_CENTER_SUPERVISOR)
is_store_manager = role_in(Role.STORE_MANAGER)
# Who may open the list of tickets at all (what it holds is the selector's business).
sees_tickets = works_desk | follows_stores


@rules.predicate
def ticket_open(user, ticket) -> bool:
    from incidents.choices import OPEN_STATUSES

    return ticket is not None and ticket.status in OPEN_STATUSES


@rules.predicate
def ticket_reopenable(user, ticket) -> bool:
    from incidents.services.workflow import reopen_allowed

    return ticket is not None and reopen_allowed(ticket)


@rules.predicate
def ticket_is_theirs(user, ticket) -> bool:
    return ticket is not None and ticket.assignee_id == user.pk


@rules.predicate
def filed_it(user, ticket) -> bool:
    return ticket is not None and ticket.created_by_id == user.pk


@rules.predicate
def credit_is_theirs(user, credit) -> bool:
    return credit is not None and credit.requested_by_id == user.pk


@rules.predicate
def credit_pending(user, credit) -> bool:
    return credit is not None and credit.status == "pending"


# Personal data (phone, e-mail, card) unmasked: whoever works the ticket — the desk, or
# the store manager who filed it in the store.
rules.add_perm("incidents.see_customer", works_desk | filed_it)
rules.add_perm("incidents.open_tickets", sees_tickets)
rules.add_perm("incidents.file_ticket", works_desk)
rules.add_perm("incidents.file_in_store", is_store_manager)
rules.add_perm("incidents.take_next", works_desk)
rules.add_perm("incidents.work_ticket", works_desk & ticket_open)
rules.add_perm("incidents.assign_ticket", supervises_desk & ticket_open)
rules.add_perm("incidents.note_ticket", (works_desk | follows_stores) & ticket_open)
rules.add_perm("incidents.reopen_ticket", works_desk & ticket_reopenable)
rules.add_perm("incidents.decide_credit", supervises_desk & credit_pending & ~credit_is_theirs)
rules.add_perm("incidents.open_board", supervises_desk | owns_content)
rules.add_perm("incidents.open_reports", supervises_desk | owns_content | follows_stores)
# The operators' own figures (resolved, SLA met, ratings) are for the desk's supervisors
# and HQ; the store side reads its stores' figures without names.
rules.add_perm("incidents.open_agent_figures", supervises_desk | owns_content)
rules.add_perm("incidents.export_personal", works_desk)
