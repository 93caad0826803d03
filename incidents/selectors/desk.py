"""What the desk's pages read besides the tickets: its people, queues, canned replies, the
script beside a ticket, and the supervisor's SLA board (bounded reads, no count of every
open ticket)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from incidents.choices import OPEN_STATUSES, SCRIPT_CATEGORY, Status
from incidents.models import CannedReply, Queue, Ticket
from incidents.rules import DESK_ROLES
from portal.org.models import User
from portal.sop.selectors import script_for

CAP = 100  # counts on the board stop here («100+»): they read an index range, never a table
BOARD_ROWS = 25


def desk_people() -> QuerySet[User]:
    return User.objects.filter(role__in=DESK_ROLES, is_active=True).order_by(
        "last_name", "first_name"
    )


def queues_of(user: User) -> list[Queue]:
    return list(user.desk_queues.order_by("name"))


def queues_all() -> list[Queue]:
    return list(Queue.objects.order_by("name"))


def canned_for(*, category: str) -> list[CannedReply]:
    return list(
        CannedReply.objects.filter(Q(category=category) | Q(category=""), is_active=True).order_by(
            "-uses", "title"
        )[:20]
    )


def script_of(ticket: Ticket):
    return script_for(category=SCRIPT_CATEGORY.get(ticket.category, "in_store_complaint"))


def canned_fill(reply: CannedReply, *, ticket: Ticket, agent: User) -> str:
    """The reply's text with its variables filled in for the ticket."""
    from django.utils import formats, timezone

    values = {
        "customer": (
            ticket.customer_name.split()[1]
            if len(ticket.customer_name.split()) > 1
            else ticket.customer_name
        )
        or "",
        "number": ticket.number,
        "agent": agent.first_name or agent.get_full_name(),
        "store": ticket.store.name if ticket.store_id else "",
        "due": formats.date_format(timezone.localtime(ticket.resolution_due), "DATETIME_FORMAT"),
    }
    text = reply.body
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


@dataclass(frozen=True)
class QueueLoad:
    queue: Queue
    open: int  # capped at CAP
    unassigned: int
    breached: int


@dataclass(frozen=True)
class Board:
    queues: list[QueueLoad]
    breached: list[Ticket]  # the most overdue first
    at_risk: list[Ticket]  # due next
    paused: list[Ticket]
    agents: list[tuple[User, int]]  # open tickets each (capped)


def capped(tickets: QuerySet[Ticket]) -> int:
    """How many, counting at most CAP (an index range, never the whole table)."""
    return len(tickets.order_by().values_list("pk", flat=True)[:CAP])


def sla_board(*, now: dt.datetime) -> Board:
    """Per queue: open, unassigned and overdue tickets (each count capped at CAP, an index
    range each); the overdue and the next-due tickets; agents' open tickets (capped)."""
    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES)
    loads = [
        QueueLoad(
            queue,
            capped(open_tickets.filter(queue=queue)),
            capped(open_tickets.filter(queue=queue, status=Status.NEW)),
            capped(open_tickets.filter(queue=queue, sla_due__lt=now)),
        )
        for queue in queues_all()
    ]
    related = ("store", "assignee", "queue", "policy", "calendar")
    breached = list(
        open_tickets.filter(sla_due__lt=now)
        .select_related(*related)
        .order_by("sla_due", "pk")[:BOARD_ROWS]
    )
    at_risk = list(
        open_tickets.filter(sla_due__gte=now)
        .select_related(*related)
        .order_by("sla_due", "pk")[:BOARD_ROWS]
    )
    paused = list(
        Ticket.objects.filter(status=Status.WAITING)
        .select_related(*related)
        .order_by("paused_at", "pk")[:BOARD_ROWS]
    )
    # Each agent's open tickets: one GROUP BY over the (assignee, status, due) index.
    counts = dict(
        open_tickets.filter(assignee__isnull=False)
        .order_by()
        .values_list("assignee")
        .annotate(n=Count("pk"))
        .values_list("assignee", "n")
    )
    agents = [(agent, counts.get(agent.pk, 0)) for agent in desk_people()]
    return Board(loads, breached, at_risk, paused, agents)


def employee_by_number(number: str) -> User | None:
    """An active employee of a store by personnel number (the ticket's «employee
    concerned»); the desk names them without seeing the store's people pages."""
    return (
        User.objects.filter(personnel_number=number.strip(), is_active=True, store__isnull=False)
        .only("pk", "first_name", "last_name", "personnel_number")
        .first()
    )


def details_shown(ticket: Ticket) -> list[tuple[str, str]]:
    """The category's structured answers as (label, value) in the category's order."""
    from incidents.choices import CATEGORY_FIELDS

    shown = []
    for key, label, options in CATEGORY_FIELDS.get(ticket.category, []):
        value = (ticket.details or {}).get(key)
        if value:
            shown.append((str(label), str(dict(options).get(value, value))))
    return shown
