"""bench_incidents grows its tickets straight into the tables: the rows it writes hold
together as the desk's own would (the benchmark itself is run by `make bench`, not here)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from incidents import bench
from incidents.choices import OPEN_STATUSES, Status, TicketEventKind
from incidents.models import SlaPause, Ticket, TicketEvent, TicketMessage
from portal.bench import bench_run

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="grown by SQL on PostgreSQL"),
]

TICKETS = 200


@pytest.fixture
def grown():
    """The bench chain with 200 tickets, removed afterwards as the bench removes it."""
    with bench_run(bench.bench_cleanup):
        world = bench.bench_setup(stores=bench.REGIONS)
        written = bench.tickets_grow(world, first=1, count=TICKETS, seed=0.5)
        yield world, written
    assert set(bench.leftovers().values()) == {0}


def test_most_tickets_are_closed_and_a_few_open(grown):
    _world, written = grown
    tickets = Ticket.objects.filter(number__startswith=bench.NUMBER_PREFIX)

    assert written["tickets"] == tickets.count() == TICKETS
    assert tickets.filter(status=Status.CLOSED).count() > TICKETS * 0.8
    assert 0 < tickets.filter(status__in=OPEN_STATUSES).count() < TICKETS * 0.15
    numbers = sorted(tickets.values_list("number", flat=True))
    assert numbers[0] == "B0000000001" and numbers[-1] == f"B{TICKETS:010d}"


def test_open_tickets_have_their_due_moment_and_paused_ones_their_pause(grown):
    tickets = Ticket.objects.filter(number__startswith=bench.NUMBER_PREFIX)
    running = tickets.filter(status__in=OPEN_STATUSES).exclude(status=Status.WAITING)
    waiting = tickets.filter(status=Status.WAITING)

    assert running.exists() and not running.filter(sla_due__isnull=True).exists()
    for ticket in running:
        targets = [ticket.resolution_due, ticket.next_response_due]
        if ticket.first_responded_at is None:
            targets.append(ticket.first_response_due)
        assert ticket.sla_due == min(t for t in targets if t is not None)
    assert not waiting.filter(Q(sla_due__isnull=False) | Q(paused_at__isnull=True)).exists()
    assert SlaPause.objects.filter(ticket__in=waiting, ended_at__isnull=True).count() == (
        waiting.count()
    )
    assert not running.filter(assignee__isnull=True).exclude(status=Status.NEW).exists()


def test_done_tickets_are_resolved_and_closed_in_order(grown):
    tickets = Ticket.objects.filter(number__startswith=bench.NUMBER_PREFIX)
    closed = tickets.filter(status=Status.CLOSED)

    assert not tickets.exclude(status__in=OPEN_STATUSES).filter(sla_due__isnull=False).exists()
    assert not closed.filter(Q(closed_at__isnull=True) | Q(resolved_at__isnull=True)).exists()
    assert not closed.filter(closed_at__lt=F("resolved_at")).exists()
    assert not closed.filter(resolved_at__lt=F("created_at")).exists()
    assert not tickets.filter(closed_at__gt=timezone.now()).exists()
    assert not tickets.filter(status=Status.MERGED, merged_into__isnull=True).exists()
    assert not tickets.filter(
        Q(status=Status.CLOSED) & (Q(resolution_code="") | Q(root_cause=""))
    ).exists()


def test_each_ticket_sits_in_its_categorys_queue_under_its_policy(grown):
    world, _written = grown
    for ticket in Ticket.objects.filter(number__startswith=bench.NUMBER_PREFIX):
        assert ticket.queue_id == world.queue_of(ticket.category).pk
        assert ticket.policy_id == world.policies[(ticket.category, ticket.priority)].pk


def test_events_and_messages_belong_to_the_grown_tickets_after_their_filing(grown):
    _world, written = grown
    bench_tickets = Q(ticket__number__startswith=bench.NUMBER_PREFIX)
    events = TicketEvent.objects.filter(bench_tickets)
    messages = TicketMessage.objects.filter(bench_tickets)

    assert events.count() == written["events"] == TicketEvent.objects.count()
    assert messages.count() == written["messages"] > 0
    assert events.filter(kind=TicketEventKind.CREATED).count() == TICKETS
    assert events.filter(kind=TicketEventKind.STATUS).exists()
    assert not events.filter(at__lt=F("ticket__created_at")).exists()
    assert not messages.filter(at__lt=F("ticket__created_at")).exists()
    closed_with_history = events.filter(
        kind=TicketEventKind.STATUS, payload__after=Status.CLOSED
    ).values_list("ticket", flat=True)
    assert (
        not Ticket.objects.filter(pk__in=closed_with_history).exclude(status=Status.CLOSED).exists()
    )
