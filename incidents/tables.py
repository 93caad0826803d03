"""The tickets' CSV (the desk list's export): one row per ticket, the customer masked —
an export leaves the portal, so it carries no phone, e-mail or card in clear."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.models import Ticket
from incidents.services.privacy import mask_phone


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def TICKETS_CSV() -> list[str]:  # noqa: N802 (a header, like the tables')
    return [
        _("Ticket number"),
        _("Filed"),
        _("Channel"),
        _("Category"),
        _("Priority"),
        _("Status"),
        _("Store code"),
        _("Store"),
        _("Operator"),
        _("Customer"),
        _("SLA due"),
        _("SLA missed"),
        _("Resolved"),
        _("Resolution"),
        _("Root cause"),
        _("Rating"),
    ]


def ticket_csv_rows(tickets: Iterable[Ticket]) -> Iterator[list]:
    for ticket in tickets:
        yield [
            ticket.number,
            _when(ticket.created_at),
            ticket.get_channel_display(),
            ticket.get_category_display(),
            ticket.get_priority_display(),
            ticket.get_status_display(),
            ticket.store.code if ticket.store_id else "",
            ticket.store.name if ticket.store_id else "",
            ticket.assignee.get_full_name() if ticket.assignee_id else "",
            mask_phone(ticket.customer_phone),
            _when(ticket.sla_due),
            _("yes") if ticket.breached else _("no"),
            _when(ticket.resolved_at),
            ticket.get_resolution_code_display(),
            ticket.get_root_cause_display(),
            ticket.csat_rating or "",
        ]
