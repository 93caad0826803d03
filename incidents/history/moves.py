"""What the services do alike on every step, replayed in memory: the event rows, the
status and its pause, the messages; and the filing and the assignment a ticket's steps
start from. `_Replay` (`incidents.history.replay`) builds on it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from incidents.choices import OPEN_STATUSES, Status, TicketEventKind
from incidents.history.desk import _Desk
from incidents.history.specs import ASSIGNEE, Actor, HistoryError, HistorySpec
from incidents.history.writing import _Credit, _Message, _Pause, _Rows
from incidents.models import Ticket
from incidents.services.clock import clock_resumed, clock_start, sla_due
from incidents.services.intake import intake_check
from incidents.services.workflow import BODY_MAX
from portal.org.models import User

_EVENT_KINDS = frozenset(TicketEventKind.values)


class _Moves:
    """The state of one ticket's replay and the services' moves every step makes."""

    def __init__(self, spec: HistorySpec, desk: _Desk, rows: _Rows, *, now: dt.datetime):
        self.spec, self.desk, self.rows, self.now = spec, desk, rows, now
        self.replies = 0
        self.customer_messages = 0
        self.pauses: list[_Pause] = []
        self.credits: list[_Credit] = []
        self.ticket: Ticket

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
