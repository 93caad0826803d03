"""The take-next race of `bench_incidents`: operators pressing «take next» at the same
moment, each on a database connection of their own, over fewer new tickets than there are
of them (see `incidents.bench`)."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from incidents.bench.world import CLAIMS_QUEUE, NUMBER_PREFIX, World
from incidents.choices import Category, Channel, Priority, Status, TicketEventKind
from incidents.models import Ticket, TicketEvent
from incidents.services.workflow import take_next

RACE_NUMBER = f"{NUMBER_PREFIX}9"  # B9000000001…: beyond any grown ticket's number
BARRIER_SECONDS = 60


@dataclass(frozen=True)
class ClaimRace:
    tickets: int  # new tickets in the race's queue
    agents: int  # operators pressing at once
    claimed: int  # tickets assigned when it was over
    double: int  # tickets given to more than one operator (by the answers or the events)
    without: int  # operators who got none
    errors: tuple[str, ...]


def race_tickets_make(world: World, *, count: int) -> list[Ticket]:
    """`count` new, unassigned tickets in the race's queue, each with its «filed» event,
    due one minute apart."""
    now = timezone.now()
    policy = world.policies[(Category.OTHER, Priority.NORMAL)]
    tickets = Ticket.objects.bulk_create(
        Ticket(
            number=f"{RACE_NUMBER}{n:09d}",
            channel=Channel.PHONE,
            category=Category.OTHER,
            priority=Priority.NORMAL,
            status=Status.NEW,
            queue=world.queues[CLAIMS_QUEUE],
            customer_name="Гонка Проверка",
            customer_phone=f"7900{n:07d}",
            description="Нагрузочный тест: взять следующее обращение.",
            policy=policy,
            calendar=world.calendar,
            first_response_due=now + dt.timedelta(hours=2, minutes=n),
            resolution_due=now + dt.timedelta(days=3),
            sla_due=now + dt.timedelta(hours=2, minutes=n),
            created_at=now - dt.timedelta(minutes=count - n),
        )
        for n in range(1, count + 1)
    )
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=ticket,
            kind=TicketEventKind.CREATED,
            at=ticket.created_at,
            public=True,
            payload={"channel": ticket.channel, "category": ticket.category},
        )
        for ticket in tickets
    )
    return tickets


def claims_race(world: World, *, tickets: int) -> ClaimRace:
    """Every race operator calls `take_next` at once (a barrier lets them go together, each
    connected beforehand) over `tickets` new tickets. Double claims are counted from what
    each call returned and from the «assigned» events the tickets got."""
    made = race_tickets_make(world, count=tickets)
    agents = world.claimers
    barrier = threading.Barrier(len(agents))
    got: dict[int, int | None] = {}
    errors: list[str] = []

    def press(agent) -> None:
        try:
            connection.ensure_connection()
            barrier.wait(timeout=BARRIER_SECONDS)
            ticket = take_next(agent)
            got[agent.pk] = ticket.pk if ticket is not None else None
        except Exception as error:  # noqa: BLE001 — reported as the race's error
            errors.append(f"{agent.personnel_number}: {error!r}")
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(agent,)) for agent in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = [ticket.pk for ticket in made]
    answers = Counter(pk for pk in got.values() if pk is not None)
    events = Counter(
        TicketEvent.objects.filter(ticket_id__in=ids, kind=TicketEventKind.ASSIGNED).values_list(
            "ticket_id", flat=True
        )
    )
    double = {pk for pk, n in answers.items() if n > 1} | {pk for pk, n in events.items() if n > 1}
    return ClaimRace(
        tickets=len(ids),
        agents=len(agents),
        claimed=Ticket.objects.filter(pk__in=ids, assignee__isnull=False).count(),
        double=len(double),
        without=sum(1 for agent in agents if got.get(agent.pk) is None),
        errors=tuple(errors),
    )
