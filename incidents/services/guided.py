"""«Points not credited», guided: the receipt looked up in the KPI receipts, the finding
recorded on the ticket, and the path it opens — points due (explain the delay), a manual
credit approved by a supervisor (not identified), or a question to the store (not found)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from incidents.choices import CreditStatus, ReceiptFinding, TicketEventKind
from incidents.models import CreditRequest, Ticket
from incidents.services.workflow import _event, _require_open
from kpi.selectors import receipt_lookup
from portal.org.choices import Role
from portal.org.models import Store, User

# What the agent does next, by finding (shown beside the ticket).
NEXT_STEP = {
    ReceiptFinding.IDENTIFIED: gettext_lazy(
        "The receipt carries the card: the points are due. Explain the crediting delay "
        "(points become active after the return period) and resolve as «points on their way»."
    ),
    ReceiptFinding.NOT_IDENTIFIED: gettext_lazy(
        "The receipt was not identified at the till: request a manual credit; a supervisor "
        "approves it."
    ),
    ReceiptFinding.NOT_FOUND: gettext_lazy(
        "No such receipt in the store's data: ask the store (an internal note reaches its "
        "manager) and the customer for a photo of the receipt."
    ),
    ReceiptFinding.NOT_LOADED: gettext_lazy(
        "The store's receipts for that day have not arrived yet: look again tomorrow."
    ),
}


@transaction.atomic
def receipt_check(
    ticket: Ticket,
    *,
    actor: User,
    store: Store,
    number: str = "",
    at: dt.datetime | None = None,
    amount: Decimal | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Look the receipt up (by number, else by amount near the time) and record the finding."""
    now = now or timezone.now()
    _require_open(ticket)
    number = (number or "").strip()
    if not number and (at is None or amount is None):
        raise ValidationError(
            {"number": _("Give the receipt number, or the date, time and amount of the purchase.")}
        )
    found = receipt_lookup(store_id=store.pk, number=number, at=at, amount=amount)
    if found.status == "found":
        finding = ReceiptFinding.IDENTIFIED if found.identified else ReceiptFinding.NOT_IDENTIFIED
    else:
        finding = ReceiptFinding(found.status)
    ticket.store = store
    # What the POS data says wins; otherwise what the agent typed, else what the intake had.
    ticket.receipt_number = found.receipt_id or number or ticket.receipt_number
    ticket.receipt_at = found.issued_at or at or ticket.receipt_at
    ticket.receipt_amount = next(
        (value for value in (found.amount, amount, ticket.receipt_amount) if value is not None),
        None,
    )
    ticket.receipt_finding = finding
    ticket.receipt_card = found.card_id
    ticket.receipt_loaded_at = found.loaded_at
    ticket.receipt_checked_at = now
    ticket.save(
        update_fields=[
            "store",
            "receipt_number",
            "receipt_at",
            "receipt_amount",
            "receipt_finding",
            "receipt_card",
            "receipt_loaded_at",
            "receipt_checked_at",
        ]
    )
    _event(
        ticket,
        TicketEventKind.RECEIPT_CHECKED,
        actor=actor,
        at=now,
        public=True,
        finding=finding,
        store=store.code,
        receipt=ticket.receipt_number,
        by=found.by,
    )
    return ticket


@transaction.atomic
def credit_request(
    ticket: Ticket, *, actor: User, points: Decimal, reason: str, at: dt.datetime | None = None
) -> CreditRequest:
    """Ask a supervisor to credit points by hand: only for a receipt found and not identified."""
    from portal.notify.services import Message, notify_many

    at = at or timezone.now()
    _require_open(ticket)
    if ticket.receipt_finding != ReceiptFinding.NOT_IDENTIFIED:
        raise ValidationError(
            _("A manual credit needs the receipt found in the POS data and not identified.")
        )
    if points is None or points <= 0 or points > Decimal("100000"):
        raise ValidationError({"points": _("Points: above zero and at most 100 000.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the points are due.")})
    if ticket.credits.filter(status=CreditStatus.PENDING).exists():
        raise ValidationError(_("A request for this ticket already waits for the supervisor."))
    credit = CreditRequest.objects.create(
        ticket=ticket, points=points, reason=reason.strip(), requested_by=actor, requested_at=at
    )
    _event(ticket, TicketEventKind.CREDIT_REQUESTED, actor=actor, at=at, public=True, points=points)
    supervisors = User.objects.filter(role=Role.CALL_CENTER_SUPERVISOR, is_active=True).exclude(
        pk=actor.pk
    )
    notify_many(
        Message(
            recipient=supervisor,
            key=f"incidents.credit:{credit.pk}",
            title=_("Manual credit of %(points)s points waits for you (№ %(number)s)")
            % {"points": points, "number": ticket.number},
            url=ticket.get_absolute_url(),
        )
        for supervisor in supervisors
    )
    return credit


@transaction.atomic
def credit_decide(
    credit: CreditRequest,
    *,
    actor: User,
    approve: bool,
    comment: str = "",
    at: dt.datetime | None = None,
) -> CreditRequest:
    """A supervisor approves or rejects; never their own request."""
    at = at or timezone.now()
    credit = CreditRequest.objects.select_for_update().get(pk=credit.pk)
    if credit.status != CreditStatus.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if credit.requested_by_id == actor.pk:
        raise ValidationError(_("Nobody approves their own request."))
    if not actor.has_perm("incidents.decide_credit", credit):
        raise ValidationError(_("Manual credits are decided by a hotline supervisor."))
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the credit is rejected.")})
    credit.status = CreditStatus.APPROVED if approve else CreditStatus.REJECTED
    credit.decided_by, credit.decided_at, credit.comment = actor, at, (comment or "").strip()
    credit.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    _event(
        credit.ticket,
        TicketEventKind.CREDIT_DECIDED,
        actor=actor,
        at=at,
        public=True,
        approved=approve,
        points=credit.points,
    )
    return credit
