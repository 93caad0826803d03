"""The complaint desk's rows of the access matrix: the lists, intake, the ticket page and
its actions, for every role.

Who sees a ticket: the desk (agents, supervisors) and HQ every one; a regional manager
the region's stores'; a store manager the store's; store staff and auditors none (the list
says 403 to them, a ticket 404). What they may do with it is the rule's (403)."""

from __future__ import annotations

from conftest import World
from tests.access.cases import Case, R, outcomes

DESK = {R.CALL_CENTER_AGENT: 200, R.CALL_CENTER_SUPERVISOR: 200}
SEES_A1 = outcomes(404, store_manager=200, regional_manager=200, lp_manager=200, admin=200, **DESK)
SEES_B1 = outcomes(404, lp_manager=200, admin=200, **DESK)
LISTS = outcomes(403, store_manager=200, regional_manager=200, lp_manager=200, admin=200, **DESK)
# POSTs answer with a redirect (302) when allowed; admins are superusers: they pass rules.
WORK = outcomes(
    404,
    store_manager=403,
    regional_manager=403,
    lp_manager=403,
    admin=302,
    call_center_agent=302,
    call_center_supervisor=302,
)
NOTE = outcomes(
    404,
    store_manager=302,
    regional_manager=302,
    lp_manager=302,
    admin=302,
    call_center_agent=302,
    call_center_supervisor=302,
)
SUPERVISE = outcomes(
    404,
    store_manager=403,
    regional_manager=403,
    lp_manager=403,
    admin=302,
    call_center_agent=403,
    call_center_supervisor=302,
)


def ticket_at(store_code: str = "A1", *, fresh: bool = False, state: str = "new"):
    """A ticket about a store of the world (made once, or afresh per role for POSTs that
    change it), in `state`: new, resolved (by the world's agent)."""

    def kwargs(world: World, role: str) -> dict:
        from incidents.models import Ticket
        from incidents.services.intake import Intake, ticket_file
        from incidents.services.workflow import ticket_resolve
        from portal.org.models import Store

        marker = f"matrix {store_code} {state}" + (f" {role}" if fresh else "")
        found = Ticket.objects.filter(description=marker).first()
        if found is None:
            found = ticket_file(
                Intake(
                    channel="phone",
                    category="bonus_not_credited",
                    description=marker,
                    customer_name="Петрова Анна",
                    customer_phone="+7 916 000-00-01",
                    store=Store.objects.get(code=store_code),
                ),
                actor=world.people[R.CALL_CENTER_AGENT],
            )
            if state == "resolved":
                ticket_resolve(
                    found,
                    actor=world.people[R.CALL_CENTER_AGENT],
                    code="explained",
                    root_cause="customer_mistake",
                )
        return {"pk": found.pk}

    return kwargs


def pending_credit(world: World, role: str) -> dict:
    """A manual credit the world's agent requested, waiting for a supervisor (afresh per
    role: deciding it changes it)."""
    from decimal import Decimal

    from incidents.models import CreditRequest, Ticket
    from incidents.services.guided import credit_request

    pk = ticket_at("A1", fresh=True)(world, role)["pk"]
    waiting = CreditRequest.objects.filter(ticket_id=pk, status="pending").first()
    if waiting is not None:  # the anonymous request asked for the same role's ticket
        return {"pk": waiting.pk}
    Ticket.objects.filter(pk=pk).update(receipt_finding="not_identified")
    ticket = Ticket.objects.get(pk=pk)
    credit = credit_request(
        ticket, actor=world.people[R.CALL_CENTER_AGENT], points=Decimal("120"), reason="matrix"
    )
    return {"pk": credit.pk}


DESK: list[Case] = [
    *[
        Case("incidents:desk", "the list, scoped", expect=LISTS, query=query)
        for query in (
            {},
            {"view": "queue"},
            {"view": "all", "status": "all", "category": "lost_card", "store": "B1"},
            {"breached": "on", "q": "916"},
            {"format": "csv"},
            {"after": "1700000000.0_5"},
        )
    ],
    Case(
        "incidents:take_next",
        "the next ticket of one's queues",
        expect=outcomes(403, admin=302, call_center_agent=302, call_center_supervisor=302),
        method="post",
    ),
    # Every signed-in person is sent on to the «Акции» section (a redirect either way).
    Case("incidents:promotions", "the promotions section", expect=outcomes(302)),
    Case(
        "incidents:board",
        "the SLA board",
        expect=outcomes(403, lp_manager=200, admin=200, call_center_supervisor=200),
    ),
    *[
        Case(
            "incidents:intake",
            "the agent's form",
            expect=outcomes(403, admin=200, **DESK),
            query=query,
        )
        for query in ({}, {"q": "+7 916 000-00-01"}, {"q": "1234567890123"})
    ],
    Case(
        "incidents:store_intake",
        "the store manager's entry",
        expect=outcomes(403, store_manager=200, admin=403),
    ),
    Case("incidents:ticket", "a ticket about A1", ticket_at("A1"), SEES_A1),
    Case("incidents:ticket", "a ticket about B1", ticket_at("B1"), SEES_B1),
    Case("incidents:ticket_take", "take a new ticket", ticket_at(fresh=True), WORK, method="post"),
    Case(
        "incidents:ticket_assign",
        "give a ticket to an operator",
        ticket_at(fresh=True),
        SUPERVISE,
        method="post",
    ),
    Case(
        "incidents:ticket_reply",
        "an internal note",
        ticket_at(fresh=True),
        NOTE,
        method="post",
        data={"kind": "note", "body": "Проверили"},
    ),
    Case(
        "incidents:ticket_reply",
        "a reply to the customer",
        ticket_at(fresh=True),
        WORK,
        method="post",
        data={"kind": "reply", "body": "Здравствуйте"},
    ),
    Case(
        "incidents:ticket_resolve",
        "resolve",
        ticket_at(fresh=True),
        WORK,
        method="post",
        data={"code": "explained", "root_cause": "other"},
    ),
    Case(
        "incidents:ticket_reopen",
        "reopen a resolved ticket",
        ticket_at(fresh=True, state="resolved"),
        WORK,
        method="post",
        data={"reason": "Клиент перезвонил"},
    ),
    Case("incidents:ticket_merge", "merge", ticket_at(fresh=True), WORK, method="post"),
    Case("incidents:ticket_update", "details", ticket_at(fresh=True), WORK, method="post"),
    Case("incidents:ticket_attach", "a file", ticket_at(fresh=True), NOTE, method="post"),
    Case("incidents:ticket_receipt", "the receipt", ticket_at(fresh=True), WORK, method="post"),
    Case("incidents:credit_request", "a manual credit", ticket_at(fresh=True), WORK, method="post"),
    Case(
        "incidents:credit_decide",
        "a pending credit",
        pending_credit,
        outcomes(
            404,
            store_manager=403,
            regional_manager=403,
            lp_manager=403,
            admin=302,
            call_center_agent=403,
            call_center_supervisor=302,
        ),
        method="post",
        data={"approve": "1"},
    ),
]
