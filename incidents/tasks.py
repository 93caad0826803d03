"""Celery tasks of the incidents app: ids in, idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task
from django.utils.translation import gettext as _


@shared_task
def reply_send(message_id: int) -> bool:
    """Carry a reply to the customer through the desk's sender."""
    from incidents.models import TicketMessage
    from incidents.senders import reply_sender

    message = TicketMessage.objects.select_related("ticket").filter(pk=message_id).first()
    if message is None or not message.sent_to:
        return False
    reply_sender().send(
        to=message.sent_to,
        subject=_("Your request № %(number)s") % {"number": message.ticket.number},
        body=message.body,
    )
    return True


@shared_task
def csat_send(ticket_id: int, token: str) -> bool:
    """Send the one-use rating link of a resolved ticket."""
    from django.conf import settings
    from django.urls import reverse

    from incidents.models import Ticket
    from incidents.senders import reply_sender

    ticket = Ticket.objects.filter(pk=ticket_id).first()
    if ticket is None or not ticket.customer_email:
        return False
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("incidents:rate", args=[token])
    reply_sender().send(
        to=ticket.customer_email,
        subject=_("How did we do? Request № %(number)s") % {"number": ticket.number},
        body=_("Your request is resolved. Please rate our answer from 1 to 5: %(link)s")
        % {"link": link},
    )
    return True


@shared_task
def sla_escalate() -> dict:
    from incidents.services.escalation import sla_escalate as escalate

    return escalate()


@shared_task
def tickets_close_resolved() -> int:
    """Close tickets resolved more than the reopen window ago."""
    from incidents.services.workflow import tickets_close_resolved as close

    return close()


@shared_task
def tickets_anonymise() -> int:
    from incidents.services.privacy import tickets_anonymise as anonymise

    return anonymise()
