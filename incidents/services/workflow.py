"""What happens to a ticket after it is filed: assignment (take next, round robin, a
supervisor's reassignment), work, replies and notes, the pause while the customer is
asked, resolution, closing, reopening, merging and the ticket's details. Every change is
a `TicketEvent`; those the customer's status page shows are `public`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import (
    DONE_STATUSES,
    OPEN_STATUSES,
    MessageKind,
    ResolutionCode,
    RootCause,
    Status,
    TicketEventKind,
)
from incidents.models import CannedReply, Ticket, TicketEvent, TicketMessage
from incidents.services.clock import (
    clock_pause,
    clock_repolicy,
    clock_restart_resolution,
    clock_resume,
    next_response_set,
    sla_due,
)
from portal.events.services import event_record
from portal.org.models import User

BODY_MAX = 10_000


def _event(
    ticket: Ticket,
    kind: str,
    *,
    actor: User | None,
    at: dt.datetime,
    public: bool = False,
    **payload: Any,
) -> TicketEvent:
    return event_record(
        TicketEvent, kind=kind, actor=actor, ticket=ticket, at=at, public=public, payload=payload
    )


def _save(ticket: Ticket, *fields: str) -> None:
    ticket.sla_due = sla_due(ticket)
    ticket.save(update_fields=[*fields, "sla_due"])


def _require_open(ticket: Ticket) -> None:
    if ticket.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This ticket is %(status)s: it can no longer change.")
            % {"status": ticket.get_status_display().lower()}
        )


def _set_status(ticket: Ticket, status: str, *, actor: User | None, at: dt.datetime) -> None:
    """Move to `status`, pausing the SLA clock on «waiting for the customer» and resuming it
    on leaving it; one public event."""
    before = ticket.status
    if before == status:
        return
    if status == Status.WAITING:
        clock_pause(ticket, at=at)
        _event(ticket, TicketEventKind.PAUSED, actor=actor, at=at)
    elif before == Status.WAITING:
        pause = clock_resume(ticket, at=at)
        _event(
            ticket,
            TicketEventKind.RESUMED,
            actor=actor,
            at=at,
            business_minutes=pause.business_minutes if pause else 0,
        )
    ticket.status = status
    _event(
        ticket, TicketEventKind.STATUS, actor=actor, at=at, public=True, before=before, after=status
    )


@transaction.atomic
def ticket_assign(
    ticket: Ticket, *, assignee: User, actor: User | None, at: dt.datetime | None = None
) -> Ticket:
    """Give the ticket to `assignee` (a desk member): by round robin (actor None), by
    take-next (the assignee themself) or by a supervisor."""
    from incidents.rules import DESK_ROLES

    at = at or timezone.now()
    _require_open(ticket)
    if assignee.role not in DESK_ROLES or not assignee.is_active:
        raise ValidationError(_("Only an active hotline operator can be given a ticket."))
    before = ticket.assignee_id
    ticket.assignee = assignee
    fields = ["assignee"]
    if ticket.status == Status.NEW:
        _set_status(ticket, Status.ASSIGNED, actor=actor, at=at)
        fields.append("status")
    _save(ticket, *fields)
    _event(
        ticket,
        TicketEventKind.ASSIGNED,
        actor=actor,
        at=at,
        before=before,
        after=assignee.pk,
        name=assignee.get_full_name(),
    )
    return ticket


def take_next(agent: User, *, at: dt.datetime | None = None) -> Ticket | None:
    """The most urgent unassigned ticket of the agent's queues, now theirs; None when there
    is none. `FOR UPDATE SKIP LOCKED`: agents pressing at once never get the same ticket
    (SQLite has one writer, so there it is serial anyway)."""
    at = at or timezone.now()
    with transaction.atomic():
        ticket = (
            Ticket.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(
                queue__in=agent.desk_queues.all(),
                status=Status.NEW,
                assignee__isnull=True,
            )
            .order_by("sla_due", "pk")
            .first()
        )
        if ticket is None:
            return None
        return ticket_assign(ticket, assignee=agent, actor=agent, at=at)


@transaction.atomic
def ticket_start(ticket: Ticket, *, actor: User, at: dt.datetime | None = None) -> Ticket:
    at = at or timezone.now()
    _require_open(ticket)
    if ticket.assignee_id is None:
        ticket.assignee = actor
    _set_status(ticket, Status.IN_PROGRESS, actor=actor, at=at)
    _save(
        ticket,
        "status",
        "assignee",
        "paused_at",
        "paused_minutes",
        "resolution_due",
        "first_response_due",
        "next_response_due",
    )
    return ticket


def _message(
    ticket: Ticket, kind: str, *, author: User | None, body: str, at: dt.datetime, sent_to: str = ""
) -> TicketMessage:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write the text.")})
    if len(body) > BODY_MAX:
        raise ValidationError({"body": _("At most %(max)d characters.") % {"max": BODY_MAX}})
    return TicketMessage.objects.create(
        ticket=ticket, kind=kind, author=author, body=body, at=at, sent_to=sent_to
    )


@transaction.atomic
def ticket_reply(
    ticket: Ticket,
    *,
    actor: User,
    body: str,
    wait_for_customer: bool = False,
    canned: CannedReply | None = None,
    at: dt.datetime | None = None,
) -> TicketMessage:
    """Reply to the customer (sent after commit by the desk's sender when there is an
    address). The first reply meets the first-response target, any reply the next-response
    one; `wait_for_customer` pauses the clock until they answer."""
    at = at or timezone.now()
    _require_open(ticket)
    message = _message(
        ticket, MessageKind.REPLY, author=actor, body=body, at=at, sent_to=ticket.customer_email
    )
    if ticket.assignee_id is None:
        ticket.assignee = actor
    if ticket.first_responded_at is None:
        ticket.first_responded_at = at
    ticket.next_response_due = None
    _event(ticket, TicketEventKind.REPLIED, actor=actor, at=at, public=True, message=message.pk)
    _set_status(
        ticket, Status.WAITING if wait_for_customer else Status.IN_PROGRESS, actor=actor, at=at
    )
    _save(
        ticket,
        "assignee",
        "first_responded_at",
        "next_response_due",
        "status",
        "paused_at",
        "paused_minutes",
        "resolution_due",
        "first_response_due",
    )
    if canned is not None:
        from django.db.models import F

        CannedReply.objects.filter(pk=canned.pk).update(uses=F("uses") + 1)
    if message.sent_to:
        from incidents.tasks import reply_send

        transaction.on_commit(lambda: reply_send.delay(message.pk))
    return message


@transaction.atomic
def ticket_note(
    ticket: Ticket, *, actor: User, body: str, at: dt.datetime | None = None
) -> TicketMessage:
    """An internal note (the desk, or the store side answering the desk)."""
    at = at or timezone.now()
    _require_open(ticket)
    message = _message(ticket, MessageKind.NOTE, author=actor, body=body, at=at)
    _event(ticket, TicketEventKind.NOTED, actor=actor, at=at, message=message.pk)
    return message


def reopen_allowed(ticket: Ticket, *, at: dt.datetime | None = None) -> bool:
    if ticket.status not in (Status.RESOLVED, Status.CLOSED) or ticket.resolved_at is None:
        return False
    if ticket.anonymised_at is not None:
        return False
    at = at or timezone.now()
    return at <= ticket.resolved_at + dt.timedelta(days=settings.INCIDENTS_REOPEN_DAYS)


@transaction.atomic
def customer_wrote(ticket: Ticket, *, body: str, at: dt.datetime | None = None) -> TicketMessage:
    """The customer wrote (the status page, a reply by e-mail): the clock resumes if it was
    paused, the desk owes the next response; a resolved ticket reopens within the window."""
    at = at or timezone.now()
    if ticket.status in DONE_STATUSES:
        if not reopen_allowed(ticket, at=at):
            raise ValidationError(_("This request is closed; please file a new one."))
        ticket_reopen(ticket, actor=None, reason=_("The customer wrote again."), at=at)
    message = _message(ticket, MessageKind.CUSTOMER, author=None, body=body, at=at)
    _event(
        ticket, TicketEventKind.CUSTOMER_WROTE, actor=None, at=at, public=True, message=message.pk
    )
    if ticket.status == Status.WAITING:
        _set_status(ticket, Status.IN_PROGRESS, actor=None, at=at)
    next_response_set(ticket, at=at)
    _save(
        ticket,
        "status",
        "paused_at",
        "paused_minutes",
        "resolution_due",
        "first_response_due",
        "next_response_due",
    )
    return message


@transaction.atomic
def ticket_resolve(
    ticket: Ticket,
    *,
    actor: User,
    code: str,
    root_cause: str,
    note: str = "",
    at: dt.datetime | None = None,
) -> str:
    """Resolve with a resolution code and a root cause. A pending manual credit must be
    decided first. Returns the CSAT link's one-use token (sent to the customer)."""
    from incidents.services.csat import csat_issue

    at = at or timezone.now()
    _require_open(ticket)
    errors = {}
    if code not in ResolutionCode.values:
        errors["code"] = _("Choose how it was resolved.")
    if root_cause not in RootCause.values:
        errors["root_cause"] = _("Choose the root cause.")
    if ticket.credits.filter(status="pending").exists():
        errors["__all__"] = _("A manual credit waits for the supervisor: decide it first.")
    if errors:
        raise ValidationError(errors)
    ticket.resolution_code, ticket.root_cause = code, root_cause
    ticket.resolution = (note or "").strip()[:BODY_MAX]
    ticket.resolved_at = at
    replies = ticket.messages.filter(kind=MessageKind.REPLY).count()
    ticket.first_contact = (
        ticket.reopened == 0
        and replies <= 1
        and not ticket.messages.filter(kind=MessageKind.CUSTOMER).exists()
        and not ticket.pauses.exists()
    )
    if ticket.first_responded_at is None:
        ticket.first_responded_at = at
    _set_status(ticket, Status.RESOLVED, actor=actor, at=at)
    if ticket.assignee_id is None:
        ticket.assignee = actor
    ticket.next_response_due = None
    _save(
        ticket,
        "resolution_code",
        "root_cause",
        "resolution",
        "resolved_at",
        "first_contact",
        "first_responded_at",
        "status",
        "assignee",
        "next_response_due",
        "paused_at",
        "paused_minutes",
        "resolution_due",
        "first_response_due",
    )
    return csat_issue(ticket, at=at)


@transaction.atomic
def ticket_close(ticket: Ticket, *, actor: User | None, at: dt.datetime | None = None) -> Ticket:
    at = at or timezone.now()
    if ticket.status != Status.RESOLVED:
        raise ValidationError(_("Only a resolved ticket can be closed."))
    ticket.closed_at = at
    _set_status(ticket, Status.CLOSED, actor=actor, at=at)
    _save(ticket, "closed_at", "status")
    return ticket


@transaction.atomic
def ticket_reopen(
    ticket: Ticket, *, actor: User | None, reason: str, at: dt.datetime | None = None
) -> Ticket:
    at = at or timezone.now()
    if not reopen_allowed(ticket, at=at):
        raise ValidationError(
            _("A ticket can be reopened within %(days)d days of its resolution.")
            % {"days": settings.INCIDENTS_REOPEN_DAYS}
        )
    ticket.reopened += 1
    ticket.first_contact = False
    ticket.resolved_at = ticket.closed_at = None
    ticket.csat_token_hash = ""
    _set_status(
        ticket, Status.IN_PROGRESS if ticket.assignee_id else Status.NEW, actor=actor, at=at
    )
    clock_restart_resolution(ticket, at=at)
    _event(ticket, TicketEventKind.REOPENED, actor=actor, at=at, public=True, reason=reason)
    _save(
        ticket,
        "reopened",
        "first_contact",
        "resolved_at",
        "closed_at",
        "csat_token_hash",
        "status",
        "resolution_due",
    )
    return ticket


@transaction.atomic
def ticket_merge(
    source: Ticket, *, into: Ticket, actor: User, at: dt.datetime | None = None
) -> Ticket:
    """The same complaint filed twice: `source` joins `into` (its text becomes a note there)
    and leaves the queues; both keep their history."""
    at = at or timezone.now()
    if source.pk == into.pk:
        raise ValidationError(_("A ticket cannot be merged into itself."))
    _require_open(source)
    _require_open(into)
    if source.credits.filter(status="pending").exists():
        raise ValidationError(_("A manual credit of this ticket waits for the supervisor."))
    TicketMessage.objects.create(
        ticket=into,
        kind=MessageKind.NOTE,
        author=actor,
        at=at,
        body=_("Merged from № %(number)s: %(text)s")
        % {"number": source.number, "text": source.description},
    )
    if source.paused_at is not None:
        clock_resume(source, at=at)
    source.merged_into = into
    source.status = Status.MERGED
    _save(source, "merged_into", "status", "paused_at", "paused_minutes")
    _event(source, TicketEventKind.MERGED, actor=actor, at=at, public=True, into=into.number)
    _event(into, TicketEventKind.MERGED, actor=actor, at=at, source=source.number)
    return into


EDITABLE = ("category", "priority", "store", "employee", "root_cause")


@transaction.atomic
def ticket_update(
    ticket: Ticket, *, actor: User, at: dt.datetime | None = None, **values: Any
) -> Ticket:
    """Change the ticket's details (category, priority, store, employee, root cause); one
    event with each changed field's before and after."""
    at = at or timezone.now()
    _require_open(ticket)
    changes = {}
    for name, value in values.items():
        if name not in EDITABLE:
            raise ValueError(name)
        before = getattr(ticket, f"{name}_id" if name in ("store", "employee") else name)
        after = getattr(value, "pk", value)
        if before != after:
            setattr(ticket, name, value)
            changes[name] = [before, after]
    if changes:
        fields = list(changes)
        if "category" in changes or "priority" in changes:
            clock_repolicy(ticket)  # the targets of the policy that now applies
            fields += ["policy", "first_response_due", "resolution_due"]
        _save(ticket, *fields)
        _event(ticket, TicketEventKind.CHANGED, actor=actor, at=at, **changes)
    return ticket


def tickets_close_resolved(*, now: dt.datetime | None = None) -> int:
    """Close tickets resolved more than the reopen window ago (the nightly beat)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.INCIDENTS_REOPEN_DAYS)
    closed = 0
    for ticket in Ticket.objects.filter(status=Status.RESOLVED, resolved_at__lt=cutoff).iterator(
        chunk_size=500
    ):
        ticket_close(ticket, actor=None, at=now)
        closed += 1
    return closed
