"""Which tickets a person sees, and the desk's lists read in keyset pages (never a count
of every open ticket): the queue, «mine», the SLA board, a store's complaints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.http import Http404

from incidents.choices import OPEN_STATUSES, Status
from incidents.models import Ticket, TicketEvent
from portal.org.scoping import ScopeLevel, scope_for

PAGE = 25


def tickets_visible_to(*, user) -> QuerySet[Ticket]:
    """The desk (directory scope) and HQ see every ticket; a regional manager the region's
    stores'; a store manager the store's; store staff, auditors and everyone else none."""
    if not user.is_authenticated or not user.has_perm("incidents.open_tickets"):
        return Ticket.objects.none()
    scope = scope_for(user)
    tickets = Ticket.objects.all()
    if scope.level in (ScopeLevel.NETWORK, ScopeLevel.DIRECTORY):
        return tickets
    return tickets.filter(scope.q(store_field="store"))


def ticket_get_visible(*, user, pk: int) -> Ticket:
    ticket = (
        tickets_visible_to(user=user)
        .select_related(
            "store__region", "assignee", "queue", "policy", "calendar", "employee", "merged_into"
        )
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


@dataclass(frozen=True)
class Filters:
    """The desk list's filters, parsed from the query string by the view's form."""

    queue: int | None = None
    status: str = ""  # "", "open" or a status code
    category: str = ""
    priority: str = ""
    assignee: int | None = None  # 0: unassigned
    store: int | None = None
    region: int | None = None
    breached: bool = False
    text: str = ""  # a ticket number or a phone's last digits


@dataclass(frozen=True)
class Page:
    rows: list[Ticket]
    next_after: str  # "" on the last page


def _after_q(after: str, *, by_due: bool) -> Q:
    """The keyset cursor «<epoch seconds or '-'>_<id>»: rows strictly after it."""
    try:
        stamp, pk_text = after.split("_", 1)
        pk = int(pk_text)
    except ValueError:
        return Q()
    if not 0 <= pk < 2**63:  # a hand-made cursor beyond the key's range: start again
        return Q()
    if not by_due:
        try:
            moment = dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC)
        except (ValueError, OverflowError, OSError):
            return Q()
        return Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk)
    if stamp == "-":  # past the dated rows: the undated ones (paused) by id
        return Q(sla_due__isnull=True, pk__gt=pk)
    try:
        moment = dt.datetime.fromtimestamp(float(stamp), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        return Q()
    return Q(sla_due__gt=moment) | Q(sla_due=moment, pk__gt=pk) | Q(sla_due__isnull=True)


def _cursor(ticket: Ticket, *, by_due: bool) -> str:
    if by_due:
        stamp = "-" if ticket.sla_due is None else f"{ticket.sla_due.timestamp():.6f}"
    else:
        stamp = f"{ticket.created_at.timestamp():.6f}"
    return f"{stamp}_{ticket.pk}"


def ticket_page(
    tickets: QuerySet[Ticket], *, filters: Filters, after: str = "", size: int = PAGE
) -> Page:
    """One page of tickets after the cursor: open ones by their nearest SLA due moment
    (paused ones last), the others newest first. Reads `size + 1` rows on an index."""
    open_only = filters.status in ("", "open") or filters.status in OPEN_STATUSES
    q = Q()
    if filters.status == "open" or filters.status == "":
        q &= Q(status__in=OPEN_STATUSES)
    elif filters.status != "all":
        q &= Q(status=filters.status)
    if filters.queue:
        q &= Q(queue_id=filters.queue)
    if filters.category:
        q &= Q(category=filters.category)
    if filters.priority:
        q &= Q(priority=filters.priority)
    if filters.assignee == 0:
        q &= Q(assignee__isnull=True)
    elif filters.assignee:
        q &= Q(assignee_id=filters.assignee)
    if filters.store:
        q &= Q(store_id=filters.store)
    if filters.region:
        q &= Q(store__region_id=filters.region)
    if filters.breached:
        q &= Q(breached=True)
    text = filters.text.strip()
    if text:
        digits = "".join(ch for ch in text if ch.isdigit())
        if len(digits) == 9:
            q &= Q(number=f"{digits[:3]}-{digits[3:6]}-{digits[6:]}")
        elif len(digits) >= 10:
            q &= Q(customer_phone__endswith=digits[-10:]) | Q(card_number=digits)
        else:
            q &= Q(pk__in=[])
    if after:
        q &= _after_q(after, by_due=open_only)
    # Paused tickets (no due moment) come last on every backend, as the cursor expects.
    order = [F("sla_due").asc(nulls_last=True), "pk"] if open_only else ["-created_at", "-pk"]
    rows = list(
        tickets.filter(q)
        .select_related("store", "assignee", "queue", "policy", "calendar")
        .order_by(*order)[: size + 1]
    )
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, _cursor(rows[-1], by_due=open_only) if more and rows else "")


def customer_history(
    *, phone: str, card: str, exclude: int | None = None, limit: int = 10
) -> list[Ticket]:
    """The customer's earlier tickets, by phone or card, newest first."""
    who = Q()
    if phone:
        who |= Q(customer_phone=phone)
    if card:
        who |= Q(card_number=card)
    if not who:
        return []
    tickets = Ticket.objects.filter(who).select_related("store").order_by("-created_at")
    if exclude:
        tickets = tickets.exclude(pk=exclude)
    return list(tickets[:limit])


def ticket_timeline(ticket: Ticket, *, public_only: bool = False) -> list[TicketEvent]:
    events = ticket.events.select_related("actor").order_by("at", "pk")
    if public_only:
        events = events.filter(public=True)
    return list(events)


def ticket_public_get(*, number: str, phone: str) -> Ticket | None:
    """A ticket by its number and the customer's phone (the status page); None otherwise."""
    if not number or not phone:
        return None
    return (
        Ticket.objects.filter(number=number, customer_phone=phone, anonymised_at__isnull=True)
        .exclude(status=Status.MERGED)
        .first()
    )
