"""What the customer's status page reads: their ticket (kept in the session after a
check by number and phone) and its public story, the desk's replies and the customer's
own messages included."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from incidents.choices import MessageKind, Status
from incidents.models import Ticket
from incidents.selectors.tickets import ticket_timeline


@dataclass(frozen=True)
class PublicEntry:
    at: dt.datetime
    kind: str
    payload: dict
    body: str = ""  # the reply's or the customer's text


def ticket_public_by_pk(pk: int | None) -> Ticket | None:
    """The ticket a session checked earlier, while the customer may still see it (not
    anonymised, not merged into another)."""
    if not pk:
        return None
    return (
        Ticket.objects.select_related("store")
        .filter(pk=pk, anonymised_at__isnull=True)
        .exclude(status=Status.MERGED)
        .first()
    )


def ticket_public_story(ticket: Ticket) -> list[PublicEntry]:
    """The ticket's public events in order, each reply or customer message with its text
    (two queries whatever the length)."""
    events = ticket_timeline(ticket, public_only=True)
    bodies = dict(
        ticket.messages.filter(kind__in=(MessageKind.REPLY, MessageKind.CUSTOMER)).values_list(
            "pk", "body"
        )
    )
    return [
        PublicEntry(
            at=event.at,
            kind=event.kind,
            payload=event.payload or {},
            body=bodies.get((event.payload or {}).get("message"), ""),
        )
        for event in events
    ]
