"""Personal data (152-FZ minded): the customer's phone, e-mail and card masked for whoever
does not work the ticket, each unmasked view logged, and closed tickets anonymised after
`INCIDENTS_RETENTION_DAYS`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from incidents.choices import Status, TicketEventKind
from incidents.models import (
    PersonalDataAccess,
    Ticket,
    TicketAttachment,
    TicketEvent,
    TicketMessage,
)
from portal.events.services import event_build
from portal.org.models import User

DOT = "•"
ANONYMOUS = "—"


def mask_phone(phone: str) -> str:
    """«79161234567» → «+7 ••• •••-45-67»."""
    if not phone:
        return ""
    return f"+7 {DOT * 3} {DOT * 3}-{phone[-4:-2]}-{phone[-2:]}"


def show_phone(phone: str) -> str:
    """«79161234567» → «+7 916 123-45-67»."""
    if len(phone) != 11:
        return phone
    return f"+7 {phone[1:4]} {phone[4:7]}-{phone[7:9]}-{phone[9:]}"


def mask_email(email: str) -> str:
    if not email or "@" not in email:
        return ""
    name, domain = email.split("@", 1)
    return f"{name[:1]}{DOT * 3}@{domain}"


def mask_card(card: str) -> str:
    return f"{DOT * 4} {card[-4:]}" if card else ""


def mask_name(name: str) -> str:
    """«Иванова Мария» → «Мария И.» (first name and initial only)."""
    parts = name.split()
    if len(parts) < 2:
        return name[:1] + DOT * 3 if name else ""
    return f"{parts[1]} {parts[0][:1]}."


def personal_data_seen(
    tickets: Iterable[Ticket], *, person: User, context: str, at: dt.datetime | None = None
) -> int:
    """Log that `person` saw these tickets' customer data unmasked (one INSERT)."""
    at = at or timezone.now()
    rows = [
        PersonalDataAccess(ticket=ticket, person=person, at=at, context=context)
        for ticket in tickets
        if ticket.anonymised_at is None
        and (ticket.customer_phone or ticket.customer_email or ticket.card_number)
    ]
    if len(rows) == 1:
        rows[0].save(force_insert=True)  # one INSERT (bulk_create adds BEGIN and COMMIT)
    elif rows:
        PersonalDataAccess.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def tickets_anonymise(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Anonymise closed tickets closed more than `days` ago: the customer's name, phone,
    e-mail, card, the description and the customer's messages are blanked; the
    category, store, SLA figures and ratings stay for the reports. One event per ticket."""
    now = now or timezone.now()
    days = settings.INCIDENTS_RETENTION_DAYS if days is None else days
    cutoff = now - dt.timedelta(days=days)
    due = Ticket.objects.filter(anonymised_at__isnull=True).filter(
        Q(status=Status.CLOSED, closed_at__lt=cutoff)
        | Q(status=Status.MERGED, created_at__lt=cutoff)
    )
    ids = list(due.values_list("pk", flat=True)[:50_000])
    if not ids:
        return 0
    Ticket.objects.filter(pk__in=ids).update(
        customer_name="",
        customer_phone="",
        customer_email="",
        card_number="",
        receipt_card="",
        description=ANONYMOUS,
        csat_comment="",
        csat_token_hash="",
        anonymised_at=now,
    )
    # Every message (replies and notes quote the customer too), the resolution note, the
    # category's fields and the files go; the figures the reports read stay.
    TicketMessage.objects.filter(ticket_id__in=ids).update(body=ANONYMOUS, sent_to="")
    Ticket.objects.filter(pk__in=ids).update(resolution="", details={})
    for attachment in TicketAttachment.objects.filter(ticket_id__in=ids):
        attachment.file.delete(save=False)
    TicketAttachment.objects.filter(ticket_id__in=ids).delete()
    TicketEvent.objects.bulk_create(
        (
            event_build(
                TicketEvent, kind=TicketEventKind.ANONYMISED, actor=None, at=now, ticket_id=pk
            )
            for pk in ids
        ),
        batch_size=5000,
    )
    return len(ids)
