"""CSAT: on resolution the customer gets a one-use link to rate 1–5 and comment; only the
link's hash is kept, and rating clears it."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import Status, TicketEventKind
from incidents.models import Ticket
from incidents.services.workflow import _event

COMMENT_MAX = 2000


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csat_issue(ticket: Ticket, *, at: dt.datetime) -> str:
    """A new link for the ticket (an earlier one stops working); the plain token is sent
    to the customer after commit, when there is an address."""
    token = secrets.token_urlsafe(24)
    ticket.csat_token_hash = token_hash(token)
    ticket.save(update_fields=["csat_token_hash"])
    if ticket.customer_email:
        from incidents.tasks import csat_send

        transaction.on_commit(lambda: csat_send.delay(ticket.pk, token))
    return token


def ticket_for_rating(token: str) -> Ticket | None:
    if not token or len(token) > 64:
        return None
    return Ticket.objects.filter(csat_token_hash=token_hash(token)).first()


@transaction.atomic
def csat_rate(
    token: str, *, rating: int, comment: str = "", at: dt.datetime | None = None
) -> Ticket:
    at = at or timezone.now()
    ticket = (
        Ticket.objects.select_for_update().filter(csat_token_hash=token_hash(token or "")).first()
    )
    if ticket is None or ticket.status not in (Status.RESOLVED, Status.CLOSED):
        raise ValidationError(_("This link has already been used or is no longer valid."))
    if rating not in (1, 2, 3, 4, 5):
        raise ValidationError({"rating": _("Choose from 1 to 5.")})
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationError({"comment": _("At most %(max)d characters.") % {"max": COMMENT_MAX}})
    ticket.csat_rating, ticket.csat_comment, ticket.csat_at = rating, comment, at
    ticket.csat_token_hash = ""
    ticket.save(update_fields=["csat_rating", "csat_comment", "csat_at", "csat_token_hash"])
    _event(ticket, TicketEventKind.RATED, actor=None, at=at, public=True, rating=rating)
    return ticket
