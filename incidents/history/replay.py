"""One ticket's steps replayed in memory, each as its service applies it, with the SLA
beat between them (`sla_escalate`) and the nightly close."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import rules
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
from incidents.history.moves import _Moves
from incidents.history.specs import (
    Assign,
    Close,
    CreditDecided,
    CreditRequested,
    CustomerWrote,
    HistoryError,
    Merge,
    Note,
    Rate,
    ReceiptChecked,
    Reopen,
    Reply,
    Resolve,
    Start,
    TakeNext,
    reply_text,
)
from incidents.history.writing import _Credit, _Message
from incidents.models import CreditRequest
from incidents.services.clock import clock_restart_resolution, hours_of, next_response_set, sla_due
from incidents.services.csat import token_hash
from incidents.services.workflow import BODY_MAX, reopen_allowed
from portal.org.models import User

BEAT = dt.timedelta(minutes=5)  # how often the SLA beat runs (`sla_escalate`)
CENTS = Decimal("0.01")
_CODES, _CAUSES = frozenset(ResolutionCode.values), frozenset(RootCause.values)


def beat_from(moment: dt.datetime) -> dt.datetime:
    """The first run of the beat at or after `moment`."""
    step = BEAT.total_seconds()
    return dt.datetime.fromtimestamp(math.ceil(moment.timestamp() / step) * step, dt.UTC)


class _Replay(_Moves):
    """One ticket's steps applied in memory, each as its service applies it."""

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

    # -- the steps, each as its service -----------------------------------------------

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
