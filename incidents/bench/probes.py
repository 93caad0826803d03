"""The desk's three timed pages — the agent's queue, a ticket, the supervisor's SLA board —
as URLs for `portal.bench.page_probe_pair`, or, while the views are not there yet, as
their selectors timed the same way (see `incidents.bench`)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from incidents.bench.world import World
from incidents.models import Ticket
from incidents.selectors.tickets import (
    Filters,
    customer_history,
    ticket_get_visible,
    ticket_page,
    ticket_timeline,
    tickets_visible_to,
)
from portal.bench import Probe  # here: queries, median seconds, rows read


@dataclass(frozen=True)
class Page:
    label: str
    who: str  # "agent" or "supervisor"
    url: str  # "" when the view is not there yet
    read: Callable[[], int]  # the page's selectors; returns the rows read


def pages_ready() -> bool:
    """Whether the desk's three views are routed (their URL names reverse)."""
    try:
        reverse("incidents:desk")
        reverse("incidents:ticket", args=[1])
        reverse("incidents:board")
    except NoReverseMatch:
        return False
    return True


def desk_pages(world: World, ticket: Ticket, *, selectors: bool = False) -> list[Page]:
    """The agent's queue (25 rows, `?view=queue&queue=`), the ticket, the supervisor's SLA
    board; with `selectors` (or while the views are not routed) their selectors instead."""
    agent, queue = world.agent, world.probe_queue
    ready = pages_ready() and not selectors

    def queue_rows() -> int:
        page = ticket_page(tickets_visible_to(user=agent), filters=Filters(queue=queue.pk))
        return len(page.rows)

    def ticket_rows() -> int:
        shown = ticket_get_visible(user=agent, pk=ticket.pk)
        events = ticket_timeline(shown)
        messages = list(shown.messages.select_related("author"))
        credits = list(shown.credits.all())
        earlier = customer_history(
            phone=shown.customer_phone, card=shown.card_number, exclude=shown.pk
        )
        return 1 + len(events) + len(messages) + len(credits) + len(earlier)

    def board_rows() -> int:
        from incidents.selectors.desk import sla_board  # the lead's, being written

        board = sla_board(now=timezone.now())
        return len(board.queues) + len(board.breached) + len(board.at_risk) + len(board.paused)

    urls = ("", "", "")
    if ready:
        urls = (
            # «Queues», not the operator's default «mine»: the queue's 25 most urgent.
            f"{reverse('incidents:desk')}?view=queue&queue={queue.pk}",
            reverse("incidents:ticket", args=[ticket.pk]),
            reverse("incidents:board"),
        )
    return [
        Page("agent's queue", "agent", urls[0], queue_rows),
        Page("ticket page", "agent", urls[1], ticket_rows),
        Page("SLA board", "supervisor", urls[2], board_rows),
    ]


def selector_probe_pair(
    read: Callable[[], int], *, runs: int, small: str, large: str, use: Callable[[str], None]
) -> tuple[Probe, Probe]:
    """`portal.bench.page_probe_pair` for a page's selectors: queries and rows of one call
    on each database, then `runs` timed calls on each, taken in turns; after each switch
    one call goes untimed (its connection is new)."""
    counted: dict[str, tuple[int, int]] = {}
    for name in (small, large):
        use(name)
        read()
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            rows = read()
        counted[name] = (len(queries.captured_queries), rows)
    times: dict[str, list[float]] = {small: [], large: []}
    for _run in range(runs):
        for name in (small, large):
            use(name)
            read()
            started = time.perf_counter()
            read()
            times[name].append(time.perf_counter() - started)
    small_probe, large_probe = (
        (counted[name][0], statistics.median(times[name]), counted[name][1])
        for name in (small, large)
    )
    return small_probe, large_probe
