"""Plans played through the services: every step of every ticket in time order, each the
service call it names (`ticket_file`, `take_next`, `ticket_reply`, `receipt_check`,
`credit_decide`, `csat_rate`…), with the SLA beat (`sla_escalate`) run between them as
Celery beat would. The demo's last days are made this way; the history test drives the
same plan through here and through the bulk builder and compares."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from incidents.choices import OPEN_STATUSES, CreditStatus, Escalation
from incidents.history import (
    ASSIGNEE,
    Actor,
    Assign,
    Close,
    CreditDecided,
    CreditRequested,
    CustomerWrote,
    HistorySpec,
    Merge,
    Note,
    Rate,
    ReceiptChecked,
    Reopen,
    Reply,
    Resolve,
    Start,
    Step,
    TakeNext,
    beat_from,
    reply_text,
)
from incidents.models import Ticket
from incidents.services import csat, guided, workflow
from incidents.services.clock import hours_of
from incidents.services.escalation import sla_escalate
from incidents.services.intake import ticket_file
from portal.org.models import User


class ServicePlay:
    """Plays specs through the services. The SLA beat runs where it would change something:
    at the first run of the beat (every `BEAT`, on the clock) after a ticket's target is
    missed, or when it is late enough for the regional manager — the runs in between find
    nothing, so skipping them changes no row."""

    def __init__(self) -> None:
        self.tokens: dict[int, str] = {}  # ticket id → its CSAT link's token
        self.planned: dict[int, User] = {}  # spec id → the agent its plan gave it to
        self.spec_of: dict[int, HistorySpec] = {}  # ticket id → spec
        self.open: dict[int, Ticket] = {}  # the tickets filed here, as they are now
        self.since: dt.datetime | None = None  # the beat has looked up to here
        self.due: dict[int, dt.datetime] = {}  # ticket id → the beat run that escalates it
        self.touched: set[int] = set()  # tickets changed since their run was worked out

    def play(self, specs: Iterable[HistorySpec], *, now: dt.datetime) -> int:
        """Every filing and step in time order (a ticket's own steps in their order);
        returns the number of tickets filed."""
        timeline: list[tuple[dt.datetime, int, int, HistorySpec]] = []
        specs = list(specs)
        for number, spec in enumerate(specs):
            timeline.append((spec.at, number, -1, spec))
            timeline += [(step.at, number, index, spec) for index, step in enumerate(spec.steps)]
        timeline.sort(key=lambda item: item[:3])
        for at, _number, index, spec in timeline:
            self.beat_until(at)
            if index < 0:
                self.file(spec)
            else:
                self.step(spec, spec.steps[index])
            self.since = at
        self.beat_until(now + dt.timedelta(microseconds=1))
        return len(specs)

    def _next_beat(self) -> dt.datetime | None:
        """The next run of the beat that escalates one of the open tickets."""
        for pk in self.touched:
            ticket = self.open.get(pk)
            self.due.pop(pk, None)
            if ticket is None:
                continue
            if ticket.status not in OPEN_STATUSES:
                del self.open[pk]
            elif ticket.paused_at is not None:
                continue
            elif ticket.escalation == Escalation.NONE and ticket.sla_due is not None:
                self.due[pk] = beat_from(ticket.sla_due)  # `sla_due__lte=now`
            elif ticket.escalation == Escalation.SUPERVISOR and ticket.store_id is not None:
                after = settings.INCIDENTS_REGIONAL_AFTER_MINUTES
                late = hours_of(ticket.calendar).add(ticket.resolution_due, after)
                self.due[pk] = beat_from(late)
        self.touched.clear()
        if not self.due:
            return None
        return max(min(self.due.values()), beat_from(self.since))

    def beat_until(self, moment: dt.datetime) -> None:
        """`sla_escalate` at each run of the beat before `moment` that escalates something."""
        if self.since is None:
            return
        while (due := self._next_beat()) is not None and due < moment:
            sla_escalate(now=due)
            for pk, escalation, breached in Ticket.objects.filter(pk__in=self.open).values_list(
                "pk", "escalation", "breached"
            ):
                if (escalation, breached) != (self.open[pk].escalation, self.open[pk].breached):
                    self.open[pk].escalation, self.open[pk].breached = escalation, breached
                    self.touched.add(pk)
            self.since = due + dt.timedelta(microseconds=1)

    def file(self, spec: HistorySpec) -> None:
        spec.ticket = ticket_file(spec.intake, actor=spec.actor, at=spec.at)
        self.spec_of[spec.ticket.pk] = spec
        self.open[spec.ticket.pk] = spec.ticket
        self.touched.add(spec.ticket.pk)

    def _actor(self, actor: Actor, ticket: Ticket, spec: HistorySpec) -> User:
        if actor is ASSIGNEE:
            return ticket.assignee or self.planned[id(spec)]
        return actor

    def step(self, spec: HistorySpec, step: Step) -> None:  # noqa: C901 - one branch a step
        ticket = spec.ticket  # kept current: every service changes the instance it is given
        self.touched.add(ticket.pk)
        at = step.at
        match step:
            case TakeNext(agent=agent):
                self.planned[id(spec)] = agent
                taken = workflow.take_next(agent, at=at)
                if taken is not None and taken.pk in self.spec_of:
                    # take-next read its own copy: it is the current one now
                    other = self.spec_of[taken.pk]
                    other.ticket = self.open[taken.pk] = taken
                    self.touched.add(taken.pk)
                    self.planned.setdefault(id(other), agent)
            case Assign(assignee=assignee, actor=actor):
                self.planned[id(spec)] = assignee
                workflow.ticket_assign(ticket, assignee=assignee, actor=actor, at=at)
            case Start(actor=actor):
                workflow.ticket_start(ticket, actor=self._actor(actor, ticket, spec), at=at)
            case Reply(actor=actor, wait=wait, canned=canned):
                author = self._actor(actor, ticket, spec)
                workflow.ticket_reply(
                    ticket,
                    actor=author,
                    body=reply_text(step, ticket, author),
                    wait_for_customer=wait,
                    canned=canned,
                    at=at,
                )
            case Note(body=body, actor=actor):
                workflow.ticket_note(
                    ticket, actor=self._actor(actor, ticket, spec), body=body, at=at
                )
            case CustomerWrote(body=body):
                workflow.customer_wrote(ticket, body=body, at=at)
            case ReceiptChecked():
                guided.receipt_check(
                    ticket,
                    actor=self._actor(step.actor, ticket, spec),
                    store=step.store,
                    number=step.number,
                    at=step.purchase_at,
                    amount=step.amount,
                    now=at,
                )
            case CreditRequested(points=points, reason=reason, actor=actor):
                guided.credit_request(
                    ticket,
                    actor=self._actor(actor, ticket, spec),
                    points=points,
                    reason=reason,
                    at=at,
                )
            case CreditDecided(actor=actor, approve=approve, comment=comment):
                credit = ticket.credits.get(status=CreditStatus.PENDING)
                guided.credit_decide(credit, actor=actor, approve=approve, comment=comment, at=at)
            case Resolve(code=code, root_cause=cause, note=note, actor=actor):
                self.tokens[ticket.pk] = workflow.ticket_resolve(
                    ticket,
                    actor=self._actor(actor, ticket, spec),
                    code=code,
                    root_cause=cause,
                    note=note,
                    at=at,
                )
            case Rate(rating=rating, comment=comment):
                csat.csat_rate(self.tokens[ticket.pk], rating=rating, comment=comment, at=at)
            case Close(actor=actor):
                workflow.ticket_close(ticket, actor=actor, at=at)
            case Reopen(reason=reason, actor=actor):
                workflow.ticket_reopen(
                    ticket, actor=self._actor(actor, ticket, spec), reason=reason, at=at
                )
            case Merge(into=into, actor=actor):
                workflow.ticket_merge(
                    ticket, into=into.ticket, actor=self._actor(actor, ticket, spec), at=at
                )
            case _:
                raise TypeError(f"not a step: {step!r}")
