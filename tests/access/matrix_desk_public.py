"""The complaint desk's rows of the access matrix: the customer's pages (open to everyone,
signed in or not) and the API for other channels (a channel's token only: a session,
whoever's, is 401)."""

from __future__ import annotations

from tests.access.cases import Case, R, outcomes


def rating_link(world, role: str) -> dict:
    """A resolved ticket's one-use rating link (a new ticket for each request: opening the
    link does not use it, rating does)."""
    from incidents.services.workflow import ticket_resolve
    from incidents.tests.factories import ticket

    filed = ticket(customer_email="")
    token = ticket_resolve(
        filed,
        actor=world.people[R.CALL_CENTER_AGENT],
        code="explained",
        root_cause="customer_mistake",
    )
    return {"token": token}


EVERYONE_SENT_ON = outcomes(302)

DESK_PUBLIC: list[Case] = [
    Case("incidents:public_new", "the public complaint form", anonymous=200),
    Case(
        "incidents:public_new",
        "a form without its fields comes back named (nothing filed)",
        anonymous=200,
        method="post",
        data={"category": "", "description": ""},
    ),
    Case(
        "incidents:public_filed",
        "nothing filed in this session: back to the form",
        expect=EVERYONE_SENT_ON,
        anonymous=302,
    ),
    Case("incidents:public_status", "the check by number and phone", anonymous=200),
    Case(
        "incidents:public_status",
        "a check with empty fields comes back named",
        anonymous=200,
        method="post",
        data={"number": "", "customer_phone": ""},
    ),
    Case(
        "incidents:public_message",
        "no request checked in this session: to the check",
        expect=EVERYONE_SENT_ON,
        anonymous=302,
        method="post",
        data={"body": "Жду ответа"},
    ),
    Case(
        "incidents:public_forget",
        "ends the status page on the device",
        expect=EVERYONE_SENT_ON,
        anonymous=302,
        method="post",
    ),
    Case("incidents:rate", "a valid rating link", rating_link, anonymous=200),
    Case(
        "incidents:rate",
        "an unknown or used link is gone",
        lambda w, role: {"token": "no-such-link"},
        expect=outcomes(410),
        anonymous=410,
    ),
    Case(
        "incidents:api_tickets",
        "session, no channel token",
        expect=outcomes(401),
        anonymous=401,
        method="post",
    ),
    Case(
        "incidents:api_ticket",
        "session, no channel token",
        lambda w, role: {"number": "123-456-789"},
        expect=outcomes(401),
        anonymous=401,
    ),
    Case(
        "incidents:api_not_found",
        "any other URL of the desk's API: a JSON 404",
        lambda w, role: {"path": "nothing/"},
        expect=outcomes(404),
        anonymous=404,
    ),
]
