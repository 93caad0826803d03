"""Assignment: «take next» never gives two agents the same ticket, even when twenty press
it at once (PostgreSQL's `FOR UPDATE SKIP LOCKED`), and a queue that assigns by itself
goes round its members in turn."""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection

from incidents.choices import Status, TicketEventKind
from incidents.models import Queue, Ticket, TicketEvent
from incidents.services.workflow import take_next
from incidents.tests.factories import ticket
from portal.org.choices import Role
from portal.org.tests.factories import person

AGENTS, TICKETS = 20, 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_agents_pressing_take_next_at_once_never_share_a_ticket():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks with SKIP LOCKED (SQLite has one writer)")
    queue = Queue.objects.get(code="bonus")
    agents = [person(Role.CALL_CENTER_AGENT) for _ in range(AGENTS)]
    queue.members.add(*agents)
    filed = {ticket().pk for _ in range(TICKETS)}  # «points not credited»: the bonus queue
    assert Ticket.objects.filter(queue=queue, status=Status.NEW, assignee=None).count() == TICKETS
    start = threading.Barrier(AGENTS)
    taken: dict[int, int | None] = {}
    failures: list[BaseException] = []

    def press(agent) -> None:
        try:
            connection.ensure_connection()  # each thread its own connection, opened first
            start.wait(timeout=60)
            got = take_next(agent)
            taken[agent.pk] = got.pk if got is not None else None
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not [thread for thread in threads if thread.is_alive()]
    assert failures == []
    assert len(taken) == AGENTS
    claims = Counter(pk for pk in taken.values() if pk is not None)
    assert set(claims) == filed and set(claims.values()) == {1}  # each ticket exactly once
    assert list(taken.values()).count(None) == AGENTS - TICKETS
    holders = dict(Ticket.objects.values_list("pk", "assignee_id"))
    assert holders == {pk: agent for agent, pk in taken.items() if pk is not None}
    assert set(Ticket.objects.values_list("status", flat=True)) == {Status.ASSIGNED}
    assert TicketEvent.objects.filter(kind=TicketEventKind.ASSIGNED).count() == TICKETS


@pytest.mark.django_db
def test_a_queue_that_assigns_by_itself_goes_round_its_members_in_turn():
    queue = Queue.objects.get(code="bonus")
    queue.auto_assign = True
    queue.save(update_fields=["auto_assign"])
    a, b, c = (person(Role.CALL_CENTER_AGENT) for _ in range(3))
    # Neither a seller nor an agent who left is given tickets, though listed.
    queue.members.add(a, b, c, person(Role.STORE_STAFF))
    queue.members.add(person(Role.CALL_CENTER_AGENT, is_active=False))

    filed = [ticket() for _ in range(6)]

    assert [t.assignee for t in filed] == [a, b, c, a, b, c]
    assert all(t.status == Status.ASSIGNED for t in filed)
    stored = dict(Ticket.objects.values_list("pk", "assignee_id"))
    assert [stored[t.pk] for t in filed] == [a.pk, b.pk, c.pk, a.pk, b.pk, c.pk]
    queue.refresh_from_db()
    assert queue.last_assignee == c
    assigned = TicketEvent.objects.filter(kind=TicketEventKind.ASSIGNED, actor=None)
    assert assigned.count() == 6


@pytest.mark.django_db
def test_take_next_gives_the_most_urgent_ticket_of_the_agents_own_queues_only():
    agent = person(Role.CALL_CENTER_AGENT)
    Queue.objects.get(code="cards").members.add(agent)
    ticket()  # the bonus queue: not the agent's
    later = ticket(category="account_login")  # first response in 120 business minutes
    sooner = ticket(category="account_login", priority="urgent")  # in 30

    assert take_next(agent) == sooner
    assert take_next(agent) == later
    assert take_next(agent) is None
