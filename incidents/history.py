"""Tickets built in bulk as the services would have left them: the demo's year of history
(and any load of old tickets), which the per-ticket services — a dozen statements a step —
cannot write in time.

A `HistorySpec` is what happened to one ticket: its intake, when and by whom it was filed,
and its steps, each naming the service call it stands for (`Reply` is `ticket_reply`,
`CustomerWrote` is `customer_wrote`…). `tickets_history_build` replays the steps in memory
with the services' own pieces — `intake_check`, `queue_for`, `clock_start` and the rest of
the SLA clock on `BusinessHours`, `reopen_allowed`, the rules' `decide_credit`, the CSAT
token's hash — and writes, chunk by chunk, the rows those services would have written:
tickets, messages, pauses, credit requests and their event rows (kinds checked and payloads
made JSON as `event_build` does). The SLA beat (`sla_escalate`) is replayed too: it runs
every `BEAT` on the clock, so a missed target is escalated at the first run at or after
it, to the supervisors and, still open `INCIDENTS_REGIONAL_AFTER_MINUTES` business minutes
after the resolution target, to the regional manager. `incidents/tests/test_history.py`
holds a ticket built here to the same ticket driven through the services, field by field
and event by event.

What the builder leaves out on purpose: notifications (a year-old inbox entry helps nobody)
and the mail a reply or a CSAT link sends.

    specs = [HistorySpec(intake, at=filed, actor=agent, steps=[TakeNext(...), Reply(...),
             Resolve(...), Rate(...), Close(...)]), ...]
    tickets_history_build(specs, now=timezone.now())
"""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from incidents.choices import (
    DONE_STATUSES,
    OPEN_STATUSES,
    CreditStatus,
    Escalation,
    MessageKind,
    ReceiptFinding,
    ResolutionCode,
    RootCause,
    Status,
    TicketEventKind,
)
from incidents.models import (
    CannedReply,
    CreditRequest,
    Queue,
    SlaCalendar,
    SlaPause,
    SlaPolicy,
    Ticket,
    TicketEvent,
    TicketMessage,
)
from incidents.services.clock import (
    calendar_for,
    clock_restart_resolution,
    clock_resumed,
    clock_start,
    hours_of,
    next_response_set,
    policy_for,
    sla_due,
)
from incidents.services.csat import token_hash
from incidents.services.intake import Intake, _number, intake_check, queue_for
from incidents.services.workflow import BODY_MAX, reopen_allowed
from kpi.selectors import ReceiptLookup
from portal.events.changes import jsonable
from portal.org.models import Store, User

BEAT = dt.timedelta(minutes=5)  # how often the SLA beat runs (`sla_escalate`)
CHUNK = 2000  # tickets replayed and written together
CENTS = Decimal("0.01")


class _Assignee:
    """The actor of a step is whoever holds the ticket then (the live demo's take-next may
    hand the ticket to another agent than planned)."""

    def __repr__(self) -> str:
        return "ASSIGNEE"


ASSIGNEE = _Assignee()
Actor = User | _Assignee | None


# The steps: one per service call, with the arguments that call takes.
@dataclass(frozen=True)
class Assign:
    """`ticket_assign`: a supervisor's reassignment (or any explicit one)."""

    at: dt.datetime
    assignee: User
    actor: User | None


@dataclass(frozen=True)
class TakeNext:
    """`take_next` by `agent` gave them this ticket."""

    at: dt.datetime
    agent: User


@dataclass(frozen=True)
class Start:
    """`ticket_start`."""

    at: dt.datetime
    actor: Actor = ASSIGNEE


# A reply's text, or what writes it for the ticket and its author then (a canned reply
# filled in with the ticket's number and due moment, which the plan cannot know).
ReplyText = str | Callable[[Ticket, User], str]


@dataclass(frozen=True)
class Reply:
    """`ticket_reply`; `wait` is its `wait_for_customer`."""

    at: dt.datetime
    body: ReplyText
    actor: Actor = ASSIGNEE
    wait: bool = False
    canned: CannedReply | None = None


@dataclass(frozen=True)
class Note:
    """`ticket_note`."""

    at: dt.datetime
    body: str
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class CustomerWrote:
    """`customer_wrote` (reopens a resolved ticket within the window)."""

    at: dt.datetime
    body: str


@dataclass(frozen=True)
class ReceiptChecked:
    """`receipt_check(store=, number=, at=purchase_at, amount=, now=at)`, with what
    `kpi.selectors.receipt_lookup` answered (`found`)."""

    at: dt.datetime
    store: Store
    found: ReceiptLookup
    number: str = ""
    purchase_at: dt.datetime | None = None
    amount: Decimal | None = None
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class CreditRequested:
    """`credit_request`."""

    at: dt.datetime
    points: Decimal
    reason: str
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class CreditDecided:
    """`credit_decide` of the ticket's pending request."""

    at: dt.datetime
    actor: User
    approve: bool
    comment: str = ""


@dataclass(frozen=True)
class Resolve:
    """`ticket_resolve`."""

    at: dt.datetime
    code: str
    root_cause: str
    note: str = ""
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class Rate:
    """`csat_rate` with the link the resolution sent."""

    at: dt.datetime
    rating: int
    comment: str = ""


@dataclass(frozen=True)
class Close:
    """`ticket_close` (actor None: the nightly `tickets_close_resolved`)."""

    at: dt.datetime
    actor: User | None = None


@dataclass(frozen=True)
class Reopen:
    """`ticket_reopen` by someone at the desk."""

    at: dt.datetime
    reason: str
    actor: Actor = ASSIGNEE


@dataclass(frozen=True)
class Merge:
    """`ticket_merge` of this ticket into `into` (filed before it, open then)."""

    at: dt.datetime
    into: HistorySpec
    actor: Actor = ASSIGNEE


Step = (
    Assign
    | TakeNext
    | Start
    | Reply
    | Note
    | CustomerWrote
    | ReceiptChecked
    | CreditRequested
    | CreditDecided
    | Resolve
    | Rate
    | Close
    | Reopen
    | Merge
)


@dataclass(eq=False)
class HistorySpec:
    """One ticket's life: filed through `intake` at `at` by `actor` (None: the public page,
    the API), then `steps` in time order."""

    intake: Intake
    at: dt.datetime
    actor: User | None = None
    steps: list[Step] = field(default_factory=list)
    ticket: Ticket | None = field(default=None, init=False, repr=False)  # once built


class HistoryError(ValueError):
    """A step the services would refuse (the spec, not the builder, is wrong)."""


def tickets_history_build(
    specs: Iterable[HistorySpec], *, now: dt.datetime, chunk: int = CHUNK
) -> int:
    """Write the tickets `specs` describe, as the services and the SLA beat would have left
    them at `now` (steps after `now` must not be given). Specs are replayed in the order
    given, which should be the order they were filed (round robin takes turns in it; a
    merge's target comes before its source). Atomic; returns the number of tickets."""
    desk = _Desk.load()
    built = 0
    with transaction.atomic():
        for batch in _chunks(specs, chunk):
            desk.numbers_draw(len(batch))
            rows = _Rows()
            for spec in batch:
                _Replay(spec, desk, rows, now=now).run()
            rows.save()
            built += len(batch)
        desk.save()
    return built


def _chunks(specs: Iterable[HistorySpec], size: int) -> Iterator[list[HistorySpec]]:
    batch: list[HistorySpec] = []
    for spec in specs:
        batch.append(spec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def beat_from(moment: dt.datetime) -> dt.datetime:
    """The first run of the beat at or after `moment`."""
    step = BEAT.total_seconds()
    return dt.datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, dt.UTC)


class _Desk:
    """What the services read from the database on every call, read once: the queues by
    category, the policies and calendars, the round robin's turn."""

    def __init__(self) -> None:
        from incidents.rules import DESK_ROLES

        self.desk_roles = DESK_ROLES
        self.queues: dict[str, Queue] = {}
        self.policies: dict[tuple[str, str], SlaPolicy] = {}
        self.calendars: dict[int | None, SlaCalendar] = {}
        self.members: dict[int, list[User]] = {}
        self.turn: dict[int, int | None] = {}
        self.numbers: list[str] = []
        self.canned_uses: Counter[int] = Counter()
        self.regional_after = settings.INCIDENTS_REGIONAL_AFTER_MINUTES
        # A new ticket's field values by attribute, in the model's order (built from them
        # positionally: the model's fast way).
        self.blank = {f.attname: f.get_default() for f in Ticket._meta.concrete_fields}

    @classmethod
    def load(cls) -> _Desk:
        desk = cls()
        for queue in Queue.objects.all():
            desk.members[queue.pk] = list(
                queue.members.filter(is_active=True, role__in=desk.desk_roles).order_by("pk")
            )
            desk.turn[queue.pk] = queue.last_assignee_id
        return desk

    def queue(self, category: str) -> Queue:
        if category not in self.queues:
            self.queues[category] = queue_for(category)
        return self.queues[category]

    def policy(self, category: str, priority: str) -> SlaPolicy:
        key = (category, priority)
        if key not in self.policies:
            self.policies[key] = policy_for(category=category, priority=priority)
        return self.policies[key]

    def calendar(self, region_id: int | None) -> SlaCalendar:
        if region_id not in self.calendars:
            self.calendars[region_id] = calendar_for(region_id=region_id)
        return self.calendars[region_id]

    def round_robin(self, queue: Queue) -> User | None:
        """`round_robin_next`: the member after the last one given a ticket (by id)."""
        members = self.members.get(queue.pk, [])
        if not members:
            return None
        last = self.turn.get(queue.pk) or 0
        chosen = next((member for member in members if member.pk > last), members[0])
        self.turn[queue.pk] = chosen.pk
        return chosen

    def numbers_draw(self, count: int) -> None:
        """Numbers for the next `count` tickets, none of them taken (`ticket_file` draws
        one and tries again on a collision; here a chunk's are checked at once)."""
        drawn: set[str] = set()
        while len(drawn) < count:
            fresh = {_number() for _ in range(count - len(drawn))} - drawn
            taken = Ticket.objects.filter(number__in=fresh).values_list("number", flat=True)
            drawn |= fresh - set(taken)
        self.numbers = list(drawn)

    def number(self) -> str:
        return self.numbers.pop()

    def save(self) -> None:
        """The round robin's turn and the canned replies' counts, as the services keep them."""
        for queue_id, last in self.turn.items():
            Queue.objects.filter(pk=queue_id).exclude(last_assignee_id=last).update(
                last_assignee_id=last
            )
        for canned_id, uses in self.canned_uses.items():
            CannedReply.objects.filter(pk=canned_id).update(uses=F("uses") + uses)


class _Message:
    """A message row before it is written (events point at it by its key, known after)."""

    __slots__ = ("ticket", "kind", "author", "body", "at", "sent_to", "pk")

    def __init__(
        self,
        ticket: Ticket,
        kind: str,
        author: User | None,
        body: str,
        at: dt.datetime,
        sent_to: str = "",
    ):
        self.ticket, self.kind, self.author, self.body = ticket, kind, author, body
        self.at, self.sent_to, self.pk = at, sent_to, None


class _Pause:
    __slots__ = ("ticket", "started_at", "ended_at", "business_minutes")

    def __init__(self, ticket: Ticket, started_at: dt.datetime):
        self.ticket, self.started_at = ticket, started_at
        self.ended_at = self.business_minutes = None


class _Credit:
    __slots__ = (
        "ticket",
        "points",
        "reason",
        "status",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "comment",
    )

    @property
    def requested_by_id(self) -> int:  # what the rules' predicates read
        return self.requested_by.pk

    def __init__(
        self,
        ticket: Ticket,
        points: Decimal,
        reason: str,
        requested_by: User,
        requested_at: dt.datetime,
    ):
        self.ticket, self.points, self.reason = ticket, points, reason
        self.requested_by, self.requested_at = requested_by, requested_at
        self.status, self.decided_by, self.decided_at, self.comment = (
            CreditStatus.PENDING,
            None,
            None,
            "",
        )


_EVENT_KINDS = frozenset(TicketEventKind.values)
_CODES, _CAUSES = frozenset(ResolutionCode.values), frozenset(RootCause.values)


class _Rows:
    """A chunk's rows, written in dependency order (tickets first: the rest point at them).

    Written as the ORM would write them — every value through the database's own adapter
    (`connection.ops`), events' payloads through `portal.events.changes.jsonable` as
    `event_build` does — but with one prepared INSERT a table (`executemany`), like the
    KPI receipts' loader: model instances and `bulk_create` cost ten times as much a row,
    and the history has some 200,000 rows. The tickets' keys are read back by number."""

    def __init__(self) -> None:
        self.tickets: list[Ticket] = []
        self.messages: list[_Message] = []
        self.notes: list[_Message] = []  # merge notes on another ticket (no event names them)
        self.pauses: list[_Pause] = []
        self.credits: list[_Credit] = []
        # (ticket, kind, actor, at, public, payload, the message the payload names)
        self.events: list[tuple] = []
        self.merged: list[tuple[Ticket, Ticket]] = []  # (source, target)

    def save(self) -> None:
        ops = connection.ops
        when = _memo(ops.adapt_datetimefield_value)  # a step's events share their moment
        fields = [f for f in Ticket._meta.concrete_fields if not f.primary_key]
        values = attrgetter(*(field.attname for field in fields))
        adapters = [
            (n, when if _is_moment(field) else _adapter(field)) for n, field in enumerate(fields)
        ]
        adapters = [(n, adapt) for n, adapt in adapters if adapt is not None]

        def ticket_row(ticket: Ticket) -> list:
            row = list(values(ticket))
            for n, adapt in adapters:
                row[n] = adapt(row[n])
            return row

        _insert(Ticket, [field.column for field in fields], [ticket_row(t) for t in self.tickets])
        keys = dict(
            Ticket.objects.filter(number__in=[t.number for t in self.tickets]).values_list(
                "number", "pk"
            )
        )
        for ticket in self.tickets:
            ticket.id = keys[ticket.number]
            ticket._state.adding, ticket._state.db = False, connection.alias
        if self.merged:
            with connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE incidents_ticket SET merged_into_id = %s WHERE id = %s",
                    [(target.pk, source.pk) for source, target in self.merged],
                )
            for source, target in self.merged:
                source.merged_into = target
        message_columns = ["ticket_id", "kind", "author_id", "body", "at", "sent_to"]

        def message_row(message: _Message) -> tuple:
            author = message.author.pk if message.author is not None else None
            return (
                message.ticket.id,
                message.kind,
                author,
                message.body,
                when(message.at),
                message.sent_to,
            )

        _insert(TicketMessage, message_columns, [message_row(m) for m in self.messages])
        written: dict[int, list[int]] = {}
        for pk, ticket_id in (
            TicketMessage.objects.filter(ticket_id__in=keys.values())
            .order_by("pk")
            .values_list("pk", "ticket_id")
        ):
            written.setdefault(ticket_id, []).append(pk)
        for message in reversed(self.messages):
            message.pk = written[message.ticket.id].pop()
        _insert(TicketMessage, message_columns, [message_row(m) for m in self.notes])
        _insert(
            SlaPause,
            ["ticket_id", "started_at", "ended_at", "business_minutes"],
            [
                (p.ticket.id, when(p.started_at), when(p.ended_at), p.business_minutes)
                for p in self.pauses
            ],
        )
        _insert(
            CreditRequest,
            [
                "ticket_id",
                "points",
                "reason",
                "status",
                "requested_by_id",
                "requested_at",
                "decided_by_id",
                "decided_at",
                "comment",
            ],
            [
                (
                    c.ticket.id,
                    ops.adapt_decimalfield_value(c.points, 10, 2),
                    c.reason,
                    c.status,
                    c.requested_by.pk,
                    when(c.requested_at),
                    c.decided_by.pk if c.decided_by is not None else None,
                    when(c.decided_at),
                    c.comment,
                )
                for c in self.credits
            ],
        )
        encoder = TicketEvent._meta.get_field("payload").encoder

        def as_json(payload: dict[str, Any]) -> Any:  # `event_build`'s: JSON values
            return ops.adapt_json_value(jsonable(payload), encoder)

        # Most payloads repeat (a status from «new» to «assigned»): written once, reused.
        same = _memo(lambda items: as_json(dict(items)))

        def payload_of(payload: dict[str, Any], message: _Message | None) -> Any:
            if message is not None:
                return as_json({**payload, "message": message.pk})
            try:
                return same(tuple(payload.items()))
            except TypeError:  # a value that cannot be a key (a list)
                return as_json(payload)

        _insert(
            TicketEvent,
            ["ticket_id", "kind", "actor_id", "at", "public", "payload"],
            [
                (
                    ticket.id,
                    kind,
                    actor.pk if actor is not None else None,
                    when(at),
                    public,
                    payload_of(payload, message),
                )
                for ticket, kind, actor, at, public, payload, message in self.events
            ],
        )


def _memo(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    known: dict[Any, Any] = {}

    def adapted(value: Any) -> Any:
        if value is None:
            return None
        if value not in known:
            known[value] = adapt(value)
        return known[value]

    return adapted


def _is_moment(field: models.Field) -> bool:
    return field.get_internal_type() == "DateTimeField"


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """How the ORM adapts a value of the field for the database (None: as it is)."""
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    if kind == "JSONField":
        return lambda value: ops.adapt_json_value(value, field.encoder)
    return None


def _insert(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class _Replay:
    """One ticket's steps applied in memory, each as its service applies it."""

    def __init__(self, spec: HistorySpec, desk: _Desk, rows: _Rows, *, now: dt.datetime):
        self.spec, self.desk, self.rows, self.now = spec, desk, rows, now
        self.replies = 0
        self.customer_messages = 0
        self.pauses: list[_Pause] = []
        self.credits: list[_Credit] = []
        self.ticket: Ticket

    def run(self) -> None:
        self._file()
        self.spec.ticket = self.ticket
        since = self.spec.at
        for step in self.spec.steps:
            if step.at < since:
                raise HistoryError(f"steps out of time order at {step!r}")
            if step.at > self.now:
                raise HistoryError(f"a step after now: {step!r}")
            self._beat(since, step.at)
            _APPLY[type(step)](self, step)
            since = step.at
        self._beat(since, self.now + dt.timedelta(microseconds=1))
        self.ticket.sla_due = sla_due(self.ticket)

    # -- what the services do ---------------------------------------------------------

    def _event(
        self,
        kind: str,
        *,
        actor: User | None,
        at: dt.datetime,
        public: bool = False,
        ticket: Ticket | None = None,
        **payload: Any,
    ) -> None:
        if kind not in _EVENT_KINDS:  # as `event_build` refuses it
            raise HistoryError(f"no event kind {kind!r}")
        message = payload.pop("message", None)
        self.rows.events.append((ticket or self.ticket, kind, actor, at, public, payload, message))

    def _actor(self, actor: Actor) -> User:
        if actor is ASSIGNEE:
            actor = self.ticket.assignee
        if actor is None:
            raise HistoryError(f"№ {self.ticket.number}: nobody holds the ticket for this step")
        return actor

    def _require_open(self) -> None:
        if self.ticket.status not in OPEN_STATUSES:
            raise HistoryError(f"№ {self.ticket.number} is {self.ticket.status}")

    def _set_status(self, status: str, *, actor: User | None, at: dt.datetime) -> None:
        """`_set_status`: the pause starts on «waiting», ends on leaving it."""
        ticket = self.ticket
        before = ticket.status
        if before == status:
            return
        if status == Status.WAITING:
            ticket.paused_at, ticket.sla_due = at, None  # `clock_pause`, its row below
            pause = _Pause(ticket, at)
            self.pauses.append(pause)
            self.rows.pauses.append(pause)
            self._event(TicketEventKind.PAUSED, actor=actor, at=at)
        elif before == Status.WAITING:
            minutes = self._resume(at)
            self._event(TicketEventKind.RESUMED, actor=actor, at=at, business_minutes=minutes)
        ticket.status = status
        self._event(
            TicketEventKind.STATUS, actor=actor, at=at, public=True, before=before, after=status
        )

    def _resume(self, at: dt.datetime) -> int:
        """`clock_resume`: the due moments move on, the open pause row closes."""
        if self.ticket.paused_at is None:
            return 0
        minutes = clock_resumed(self.ticket, at=at)
        pause = self.pauses[-1]
        pause.ended_at, pause.business_minutes = at, minutes
        return minutes

    def _message(self, kind: str, *, author: User | None, body: str, at: dt.datetime, **kw):
        body = (body or "").strip()
        if not body or len(body) > BODY_MAX:
            raise HistoryError(f"№ {self.ticket.number}: a message must have 1–{BODY_MAX} chars")
        message = _Message(self.ticket, kind, author, body, at, **kw)
        self.rows.messages.append(message)
        return message

    def _file(self) -> None:
        """`ticket_file`, round robin included."""
        spec, desk = self.spec, self.desk
        intake = spec.intake
        try:
            intake_check(intake)
        except ValidationError as error:
            raise HistoryError(f"intake refused: {error}") from error
        queue = desk.queue(intake.category)
        actor = spec.actor if spec.actor is not None and spec.actor.is_authenticated else None
        values = dict(desk.blank)  # `ticket_file`'s values over a new ticket's defaults
        values.update(
            channel=intake.channel,
            category=intake.category,
            priority=intake.priority,
            queue_id=queue.pk,
            employee_id=intake.employee.pk if intake.employee else None,
            customer_name=intake.customer_name.strip()[:200],
            customer_phone=intake.customer_phone,
            customer_email=(intake.customer_email or "").strip().lower(),
            card_number=intake.card_number,
            description=intake.description.strip(),
            details=intake.details,
            receipt_number=(intake.receipt_number or "").strip(),
            receipt_at=intake.receipt_at,
            receipt_amount=intake.receipt_amount,
            created_at=spec.at,
            created_by_id=actor.pk if actor else None,
        )
        ticket = self.ticket = Ticket(*values.values())
        if intake.store is not None:
            ticket.store = intake.store  # the object: texts name the store
        region_id = intake.store.region_id if intake.store else None
        clock_start(
            ticket,
            at=spec.at,
            region_id=region_id,
            policy=desk.policy(intake.category, intake.priority),
            calendar=desk.calendar(region_id),
        )
        ticket.number = desk.number()
        self.rows.tickets.append(ticket)
        self._event(
            TicketEventKind.CREATED,
            actor=actor,
            at=spec.at,
            public=True,
            channel=ticket.channel,
            category=ticket.category,
            queue=queue.code,
        )
        if queue.auto_assign:
            assignee = desk.round_robin(queue)
            if assignee is not None:
                self._assign_to(assignee, actor=None, at=spec.at)

    def _assign_to(self, assignee: User, *, actor: User | None, at: dt.datetime) -> None:
        """`ticket_assign`."""
        self._require_open()
        if assignee.role not in self.desk.desk_roles or not assignee.is_active:
            raise HistoryError(f"{assignee} does not work the desk")
        ticket = self.ticket
        before = ticket.assignee_id
        ticket.assignee = assignee
        if ticket.status == Status.NEW:
            self._set_status(Status.ASSIGNED, actor=actor, at=at)
        ticket.sla_due = sla_due(ticket)
        self._event(
            TicketEventKind.ASSIGNED,
            actor=actor,
            at=at,
            before=before,
            after=assignee.pk,
            name=assignee.get_full_name(),
        )

    def _assign(self, step: Assign) -> None:
        self._assign_to(step.assignee, actor=step.actor, at=step.at)

    def _takenext(self, step: TakeNext) -> None:
        if self.ticket.status != Status.NEW or self.ticket.assignee_id is not None:
            raise HistoryError(f"№ {self.ticket.number} is not in the queue to be taken")
        self._assign_to(step.agent, actor=step.agent, at=step.at)

    def _start(self, step: Start) -> None:
        """`ticket_start`."""
        self._require_open()
        actor = self._actor(step.actor)
        if self.ticket.assignee_id is None:
            self.ticket.assignee = actor
        self._set_status(Status.IN_PROGRESS, actor=actor, at=step.at)
        self.ticket.sla_due = sla_due(self.ticket)

    def _reply(self, step: Reply) -> None:
        """`ticket_reply` (the mail it sends is left out)."""
        self._require_open()
        ticket, at = self.ticket, step.at
        actor = self._actor(step.actor)
        message = self._message(
            MessageKind.REPLY,
            author=actor,
            body=reply_text(step, ticket, actor),
            at=at,
            sent_to=ticket.customer_email,
        )
        self.replies += 1
        if ticket.assignee_id is None:
            ticket.assignee = actor
        if ticket.first_responded_at is None:
            ticket.first_responded_at = at
        ticket.next_response_due = None
        self._event(TicketEventKind.REPLIED, actor=actor, at=at, public=True, message=message)
        status = Status.WAITING if step.wait else Status.IN_PROGRESS
        self._set_status(status, actor=actor, at=at)
        ticket.sla_due = sla_due(ticket)
        if step.canned is not None:
            self.desk.canned_uses[step.canned.pk] += 1

    def _note(self, step: Note) -> None:
        """`ticket_note`."""
        self._require_open()
        actor = self._actor(step.actor)
        message = self._message(MessageKind.NOTE, author=actor, body=step.body, at=step.at)
        self._event(TicketEventKind.NOTED, actor=actor, at=step.at, message=message)

    def _customerwrote(self, step: CustomerWrote) -> None:
        """`customer_wrote`: a resolved ticket reopens within the window."""
        ticket, at = self.ticket, step.at
        if ticket.status in DONE_STATUSES:
            if not reopen_allowed(ticket, at=at):
                raise HistoryError(f"№ {ticket.number} is closed for good")
            self._reopen_by(None, reason=_("The customer wrote again."), at=at)
        message = self._message(MessageKind.CUSTOMER, author=None, body=step.body, at=at)
        self.customer_messages += 1
        self._event(TicketEventKind.CUSTOMER_WROTE, actor=None, at=at, public=True, message=message)
        if ticket.status == Status.WAITING:
            self._set_status(Status.IN_PROGRESS, actor=None, at=at)
        next_response_set(ticket, at=at)
        ticket.sla_due = sla_due(ticket)

    def _receiptchecked(self, step: ReceiptChecked) -> None:
        """`receipt_check` with the lookup's answer."""
        self._require_open()
        ticket, found = self.ticket, step.found
        actor = self._actor(step.actor)
        if found.status == "found":
            finding = (
                ReceiptFinding.IDENTIFIED if found.identified else ReceiptFinding.NOT_IDENTIFIED
            )
        else:
            finding = ReceiptFinding(found.status)
        ticket.store = step.store
        ticket.receipt_number = found.receipt_id or step.number.strip() or ticket.receipt_number
        ticket.receipt_at = found.issued_at or step.purchase_at or ticket.receipt_at
        ticket.receipt_amount = next(
            (v for v in (found.amount, step.amount, ticket.receipt_amount) if v is not None),
            None,
        )
        ticket.receipt_finding = finding
        ticket.receipt_card = found.card_id
        ticket.receipt_loaded_at = found.loaded_at
        ticket.receipt_checked_at = step.at
        self._event(
            TicketEventKind.RECEIPT_CHECKED,
            actor=actor,
            at=step.at,
            public=True,
            finding=finding,
            store=step.store.code,
            receipt=ticket.receipt_number,
            by=found.by,
        )

    def _creditrequested(self, step: CreditRequested) -> None:
        """`credit_request` (the supervisors' notification is left out)."""
        self._require_open()
        actor = self._actor(step.actor)
        if self.ticket.receipt_finding != ReceiptFinding.NOT_IDENTIFIED:
            raise HistoryError(f"№ {self.ticket.number}: no manual credit without the receipt")
        if self._pending() is not None or not step.reason.strip() or step.points <= 0:
            raise HistoryError(f"№ {self.ticket.number}: the credit request is refused")
        credit = _Credit(self.ticket, step.points, step.reason.strip(), actor, step.at)
        self.credits.append(credit)
        self.rows.credits.append(credit)
        self._event(
            TicketEventKind.CREDIT_REQUESTED,
            actor=actor,
            at=step.at,
            public=True,
            points=step.points,
        )

    def _pending(self) -> CreditRequest | None:
        return next((c for c in self.credits if c.status == CreditStatus.PENDING), None)

    def _creditdecided(self, step: CreditDecided) -> None:
        """`credit_decide`: never the requester's own request."""
        credit = self._pending()
        if credit is None or not rules.has_perm("incidents.decide_credit", step.actor, credit):
            raise HistoryError(f"№ {self.ticket.number}: no request this person may decide")
        if not step.approve and not step.comment.strip():
            raise HistoryError(f"№ {self.ticket.number}: a rejection says why")
        credit.status = CreditStatus.APPROVED if step.approve else CreditStatus.REJECTED
        credit.decided_by, credit.decided_at = step.actor, step.at
        credit.comment = step.comment.strip()
        self._event(
            TicketEventKind.CREDIT_DECIDED,
            actor=step.actor,
            at=step.at,
            public=True,
            approved=step.approve,
            points=credit.points.quantize(CENTS),  # as read back from the database
        )

    def _resolve(self, step: Resolve) -> None:
        """`ticket_resolve`, with the CSAT link's hash (the link itself is not sent)."""
        self._require_open()
        ticket, at = self.ticket, step.at
        actor = self._actor(step.actor)
        if step.code not in _CODES or step.root_cause not in _CAUSES:
            raise HistoryError(f"№ {ticket.number}: unknown resolution {step.code!r}")
        if self._pending() is not None:
            raise HistoryError(f"№ {ticket.number}: a manual credit is still pending")
        ticket.resolution_code, ticket.root_cause = step.code, step.root_cause
        ticket.resolution = (step.note or "").strip()[:BODY_MAX]
        ticket.resolved_at = at
        ticket.first_contact = (
            ticket.reopened == 0
            and self.replies <= 1
            and not self.customer_messages
            and not self.pauses
        )
        if ticket.first_responded_at is None:
            ticket.first_responded_at = at
        self._set_status(Status.RESOLVED, actor=actor, at=at)
        if ticket.assignee_id is None:
            ticket.assignee = actor
        ticket.next_response_due = None
        ticket.sla_due = sla_due(ticket)
        ticket.csat_token_hash = token_hash(secrets.token_urlsafe(24))

    def _rate(self, step: Rate) -> None:
        """`csat_rate`."""
        ticket = self.ticket
        if not ticket.csat_token_hash or ticket.status not in (Status.RESOLVED, Status.CLOSED):
            raise HistoryError(f"№ {ticket.number} has no rating link")
        if step.rating not in (1, 2, 3, 4, 5):
            raise HistoryError(f"№ {ticket.number}: a rating is 1 to 5")
        ticket.csat_rating, ticket.csat_comment = step.rating, (step.comment or "").strip()
        ticket.csat_at, ticket.csat_token_hash = step.at, ""
        self._event(TicketEventKind.RATED, actor=None, at=step.at, public=True, rating=step.rating)

    def _close(self, step: Close) -> None:
        """`ticket_close`."""
        if self.ticket.status != Status.RESOLVED:
            raise HistoryError(f"№ {self.ticket.number} is not resolved")
        self.ticket.closed_at = step.at
        self._set_status(Status.CLOSED, actor=step.actor, at=step.at)
        self.ticket.sla_due = sla_due(self.ticket)

    def _reopen(self, step: Reopen) -> None:
        self._reopen_by(self._actor(step.actor), reason=step.reason, at=step.at)

    def _reopen_by(self, actor: User | None, *, reason: str, at: dt.datetime) -> None:
        """`ticket_reopen`."""
        ticket = self.ticket
        if not reopen_allowed(ticket, at=at):
            raise HistoryError(f"№ {ticket.number} can no longer be reopened")
        ticket.reopened += 1
        ticket.first_contact = False
        ticket.resolved_at = ticket.closed_at = None
        ticket.csat_token_hash = ""
        status = Status.IN_PROGRESS if ticket.assignee_id else Status.NEW
        self._set_status(status, actor=actor, at=at)
        clock_restart_resolution(ticket, at=at)
        self._event(TicketEventKind.REOPENED, actor=actor, at=at, public=True, reason=reason)
        ticket.sla_due = sla_due(ticket)

    def _merge(self, step: Merge) -> None:
        """`ticket_merge` of this ticket into the one `step.into` built."""
        self._require_open()
        source, at = self.ticket, step.at
        into = step.into.ticket
        if into is None:
            raise HistoryError("a merge's target must be built before its source")
        if self._pending() is not None:
            raise HistoryError(f"№ {source.number}: a manual credit waits for the supervisor")
        actor = self._actor(step.actor)
        text = _("Merged from № %(number)s: %(text)s") % {
            "number": source.number,
            "text": source.description,
        }
        self.rows.notes.append(_Message(into, MessageKind.NOTE, actor, text, at))
        # `ticket_merge` ends the pause but keeps only its minutes: the due moments it
        # moved in memory are not saved (a merged ticket has no target left anyway).
        dues = (source.first_response_due, source.next_response_due, source.resolution_due)
        self._resume(at)
        source.first_response_due, source.next_response_due, source.resolution_due = dues
        source.merged_into = into
        source.status = Status.MERGED
        source.sla_due = sla_due(source)
        self.rows.merged.append((source, into))
        self._event(TicketEventKind.MERGED, actor=actor, at=at, public=True, into=into.number)
        self._event(TicketEventKind.MERGED, actor=actor, at=at, ticket=into, source=source.number)

    # -- the beat ---------------------------------------------------------------------

    def _beat(self, since: dt.datetime, until: dt.datetime) -> None:
        """`sla_escalate` at every run of the beat in [since, until): the state is the one
        after the step at `since`, unchanged until the step at `until`."""
        ticket = self.ticket
        if ticket.status not in OPEN_STATUSES:
            return
        due = sla_due(ticket)
        supervisor_at = None
        if ticket.escalation == Escalation.NONE and due is not None and due < until:
            moment = max(beat_from(due), beat_from(since))  # `sla_due__lte=now`
            if moment < until:
                supervisor_at = moment
                ticket.escalation, ticket.breached = Escalation.SUPERVISOR, True
                # The beat reads the due moment back from the database: in UTC.
                self._event(
                    TicketEventKind.BREACHED, actor=None, at=moment, due=due.astimezone(dt.UTC)
                )
                self._event(
                    TicketEventKind.ESCALATED,
                    actor=None,
                    at=moment,
                    level=Escalation.SUPERVISOR,
                )
        if (
            ticket.escalation == Escalation.SUPERVISOR
            and ticket.store_id is not None
            and ticket.paused_at is None
            and ticket.resolution_due < until
        ):
            late = hours_of(ticket.calendar).add(ticket.resolution_due, self.desk.regional_after)
            moment = max(beat_from(late), supervisor_at or beat_from(since))
            if moment < until and moment > ticket.resolution_due:
                ticket.escalation = Escalation.REGIONAL
                self._event(
                    TicketEventKind.ESCALATED, actor=None, at=moment, level=Escalation.REGIONAL
                )


_APPLY: dict[type, Callable[[_Replay, Any], None]] = {
    Assign: _Replay._assign,
    TakeNext: _Replay._takenext,
    Start: _Replay._start,
    Reply: _Replay._reply,
    Note: _Replay._note,
    CustomerWrote: _Replay._customerwrote,
    ReceiptChecked: _Replay._receiptchecked,
    CreditRequested: _Replay._creditrequested,
    CreditDecided: _Replay._creditdecided,
    Resolve: _Replay._resolve,
    Rate: _Replay._rate,
    Close: _Replay._close,
    Reopen: _Replay._reopen,
    Merge: _Replay._merge,
}


def reply_text(step: Reply, ticket: Ticket, actor: User) -> str:
    return step.body(ticket, actor) if callable(step.body) else step.body


def specs_sorted(specs: Sequence[HistorySpec]) -> list[HistorySpec]:
    """In the order they were filed (what `tickets_history_build` expects)."""
    return sorted(specs, key=lambda spec: spec.at)
