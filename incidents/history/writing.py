"""The rows the replay leaves, and how a chunk of them is written: one prepared INSERT a
table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import attrgetter
from typing import Any

from django.db import connection, models

from incidents.choices import CreditStatus
from incidents.models import CreditRequest, SlaPause, Ticket, TicketEvent, TicketMessage
from portal.events.changes import jsonable
from portal.org.models import User


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
