"""The bench chain of `bench_incidents`: regions and stores, the desk's people (agents, a
supervisor, the agents of the take-next race), the bench's own queues beside the desk's,
and the clean-up (see `incidents.bench`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.files.storage import default_storage
from django.db import connection, transaction

from incidents.choices import Category, Channel, Priority, ReceiptFinding, Status
from incidents.models import Queue, SlaCalendar, SlaPolicy, Ticket, TicketAttachment
from incidents.services.clock import calendar_for, policy_for
from portal.bench import bench_region_code, purge
from portal.org.choices import Role, StoreFormat
from portal.org.models import Region, Store, User

REGION_PREFIX = bench_region_code("incidents")  # BENCH-INCIDENTS-01…
STORE_PREFIX = "BENCH-INC-"
PREFIX = "BINC"  # personnel numbers
EMAIL_DOMAIN = "bench-incidents.local"
QUEUE_PREFIX = "bench-incidents-"
# Ticket numbers of the bench: «B» and ten digits; the desk's own are «123-456-789».
NUMBER_PREFIX = "B"
REGIONS = 10
AGENTS = 30  # the desk's operators; the first one is the one whose queue is timed
CLAIMERS = 20  # operators of the take-next race, each only in the race's queue
# Names sort after the desk's own queues, so routing by category never picks them.
QUEUE_NAME = "Тест нагрузки: {}"

# The bench queues mirror the desk's (migration 0002): the same categories each.
QUEUES = {
    "general": ("Общая линия", [Category.PROMOTIONS, Category.OTHER]),
    "bonus": ("Начисления бонусов", [Category.BONUS_NOT_CREDITED]),
    "cards": (
        "Карты и личный кабинет",
        [Category.LOST_CARD, Category.ACCOUNT_LOGIN, Category.QUESTIONNAIRE],
    ),
    "quality": ("Качество обслуживания", [Category.STAFF_BEHAVIOUR]),
}
PROBE_QUEUE = "bonus"  # the agent's timed queue: the busiest one
CLAIMS_QUEUE = "claims"

# Shares of the tickets, each list summing to 1: most closed, a few % open (4 %).
STATUS_SHARES = (
    (Status.CLOSED, 0.925),
    (Status.RESOLVED, 0.025),  # within the reopen window
    (Status.MERGED, 0.01),
    (Status.NEW, 0.005),
    (Status.ASSIGNED, 0.008),
    (Status.IN_PROGRESS, 0.017),
    (Status.WAITING, 0.01),  # paused: no SLA due moment
)
CATEGORY_SHARES = (
    (Category.BONUS_NOT_CREDITED, 0.35),
    (Category.ACCOUNT_LOGIN, 0.15),
    (Category.LOST_CARD, 0.12),
    (Category.PROMOTIONS, 0.12),
    (Category.OTHER, 0.10),
    (Category.QUESTIONNAIRE, 0.08),
    (Category.STAFF_BEHAVIOUR, 0.08),
)
PRIORITY_SHARES = (
    (Priority.NORMAL, 0.80),
    (Priority.HIGH, 0.12),
    (Priority.LOW, 0.05),
    (Priority.URGENT, 0.03),
)
CHANNEL_SHARES = (
    (Channel.PHONE, 0.60),
    (Channel.WEB, 0.20),
    (Channel.STORE, 0.15),
    (Channel.API, 0.05),
)
FINDING_SHARES = (  # «points not credited» tickets whose receipt was looked up
    (ReceiptFinding.IDENTIFIED, 0.45),
    (ReceiptFinding.NOT_IDENTIFIED, 0.30),
    (ReceiptFinding.NOT_FOUND, 0.15),
    (ReceiptFinding.NOT_LOADED, 0.05),
    (ReceiptFinding.NONE, 0.05),
)


@dataclass
class World:
    regions: list[Region]
    stores: list[Store]
    queues: dict[str, Queue]  # by key of QUEUES, and CLAIMS_QUEUE
    agents: list[User]
    supervisor: User
    claimers: list[User]
    calendar: SlaCalendar
    policies: dict[tuple[str, str], SlaPolicy]  # (category, priority): the one in force

    @property
    def agent(self) -> User:
        """The operator whose queue and ticket are timed."""
        return self.agents[0]

    @property
    def probe_queue(self) -> Queue:
        return self.queues[PROBE_QUEUE]

    def queue_of(self, category: str) -> Queue:
        return next(self.queues[key] for key, (_n, cats) in QUEUES.items() if category in cats)


def _person(number: str, role: str, *, last: str) -> User:
    return User(
        email=f"{number.lower()}@{EMAIL_DOMAIN}",
        personnel_number=number,
        last_name=last,
        first_name="Проверка",
        role=role,
        password="!",
    )


def bench_setup(*, stores: int) -> World:
    """Ten regions of `stores` stores, the desk's operators in the four bench queues, a
    supervisor, and the take-next race's operators in a queue of their own. SLA policies
    and the default calendar are the desk's own (migration 0002)."""
    regions = Region.objects.bulk_create(
        Region(code=f"{REGION_PREFIX}-{n:02d}", name=f"Нагрузка, регион {n}")
        for n in range(1, REGIONS + 1)
    )
    made = Store.objects.bulk_create(
        Store(
            region=regions[(n - 1) * REGIONS // stores],
            code=f"{STORE_PREFIX}{n:04d}",
            name=f"Нагрузочный {n}",
            city="Казань",
            address=f"ул. Нагрузочная, {n}",
            format=StoreFormat.SUPERMARKET,
            opened_on=date(2018, 3, 1),
        )
        for n in range(1, stores + 1)
    )
    agents = User.objects.bulk_create(
        _person(f"{PREFIX}A{n:04d}", Role.CALL_CENTER_AGENT, last=f"Оператор {n:02d}")
        for n in range(1, AGENTS + 1)
    )
    claimers = User.objects.bulk_create(
        _person(f"{PREFIX}C{n:04d}", Role.CALL_CENTER_AGENT, last=f"Гонка {n:02d}")
        for n in range(1, CLAIMERS + 1)
    )
    supervisor = _person(f"{PREFIX}S0001", Role.CALL_CENTER_SUPERVISOR, last="Старший")
    supervisor.save()
    queues = {
        key: Queue.objects.create(
            code=f"{QUEUE_PREFIX}{key}", name=QUEUE_NAME.format(name), categories=list(cats)
        )
        for key, (name, cats) in QUEUES.items()
    }
    for queue in queues.values():
        queue.members.add(*agents)
    # No category: it takes no ticket of the desk's (their «general» sorts first).
    queues[CLAIMS_QUEUE] = Queue.objects.create(
        code=f"{QUEUE_PREFIX}{CLAIMS_QUEUE}", name=QUEUE_NAME.format("взять следующий")
    )
    queues[CLAIMS_QUEUE].members.add(*claimers)
    return World(
        regions=list(regions),
        stores=list(Store.objects.filter(pk__in=[s.pk for s in made]).order_by("code")),
        queues=queues,
        agents=list(User.objects.filter(pk__in=[p.pk for p in agents]).order_by("pk")),
        supervisor=supervisor,
        claimers=list(User.objects.filter(pk__in=[p.pk for p in claimers]).order_by("pk")),
        calendar=calendar_for(region_id=None),
        policies={
            (category, priority): policy_for(category=category, priority=priority)
            for category, _share in CATEGORY_SHARES
            for priority, _share in PRIORITY_SHARES
        },
    )


# Clean-up ----------------------------------------------------------------------------


def _bench_queues() -> list[int]:
    return list(Queue.objects.filter(code__startswith=QUEUE_PREFIX).values_list("pk", flat=True))


def _rows_of_tickets() -> list[tuple[type, str]]:
    """(model, column) of every foreign key to a ticket, hidden ones (`related_name="+"`)
    included: what must go before the tickets."""
    return [
        (relation.related_model, relation.field.column)
        for relation in Ticket._meta.get_fields(include_hidden=True)
        if relation.auto_created and not relation.concrete and relation.one_to_many
    ]


def bench_cleanup() -> None:
    """Remove everything a bench run made (also what a failed run left): attachment files
    first, then every row hanging off the bench's tickets and the tickets by SQL (the
    generic `purge` would load a million of them as objects), then queues, people,
    stores and regions."""
    queues = _bench_queues()
    files = list(
        TicketAttachment.objects.filter(ticket__queue__in=queues).values_list("file", flat=True)
    )
    for name in files:
        default_storage.delete(name)
    params = {"queues": queues}
    tickets = "SELECT id FROM incidents_ticket WHERE queue_id = ANY(%(queues)s)"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as `tickets_grow` does
        # Deleting a ticket looks its rows up by ticket in each table (foreign-key checks):
        # on the indexes only with the statistics of the rows there (see `tickets_grow`).
        cursor.execute("ANALYZE incidents_ticket, incidents_ticketevent, incidents_ticketmessage")
        for model, column in _rows_of_tickets():
            if model is Ticket:  # merged into a bench ticket
                cursor.execute(
                    f"UPDATE incidents_ticket SET {column} = NULL WHERE {column} IN ({tickets})",
                    params,
                )
            else:
                cursor.execute(
                    f"DELETE FROM {model._meta.db_table} WHERE {column} IN ({tickets})", params
                )
        cursor.execute("DELETE FROM incidents_ticket WHERE queue_id = ANY(%(queues)s)", params)
    people = User.objects.filter(personnel_number__startswith=PREFIX)
    purge(Queue.objects.filter(pk__in=queues))
    purge(people)
    purge(Store.objects.filter(code__startswith=STORE_PREFIX))
    purge(Region.objects.filter(code__startswith=REGION_PREFIX))


def leftovers() -> dict[str, int]:
    """What of the bench is still in the database (all zero after `bench_cleanup`)."""
    return {
        "regions": Region.objects.filter(code__startswith=REGION_PREFIX).count(),
        "stores": Store.objects.filter(code__startswith=STORE_PREFIX).count(),
        "people": User.objects.filter(personnel_number__startswith=PREFIX).count(),
        "queues": Queue.objects.filter(code__startswith=QUEUE_PREFIX).count(),
        "tickets": Ticket.objects.filter(number__startswith=NUMBER_PREFIX).count(),
    }


def timed(say: Callable[[str], None], label: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = work()
    say(f"{label}: {time.perf_counter() - started:.1f} s")
    return result
