"""The SLA beat: a target missed goes to the supervisors (the ticket is marked missed);
still open `INCIDENTS_REGIONAL_AFTER_MINUTES` business minutes after its resolution target,
to the regional manager of its store. Each step is an event and a notification, once."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import OPEN_STATUSES, Escalation, TicketEventKind
from incidents.models import Ticket
from incidents.services.clock import hours_of
from incidents.services.workflow import _event
from portal.notify.services import Message, notify_many
from portal.org.choices import Role
from portal.org.models import User

BATCH = 500


def _recipients_supervisors() -> list[User]:
    return list(User.objects.filter(role=Role.CALL_CENTER_SUPERVISOR, is_active=True))


def sla_escalate(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Escalate what is due; idempotent (a ticket climbs each step once)."""
    now = now or timezone.now()
    counts = {"supervisor": 0, "regional": 0}
    supervisors = _recipients_supervisors()
    while True:
        with transaction.atomic():
            batch = list(
                Ticket.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("policy", "calendar")
                .filter(
                    status__in=OPEN_STATUSES,
                    sla_due__lte=now,
                    escalation=Escalation.NONE,
                )
                .order_by("sla_due", "pk")[:BATCH]
            )
            if not batch:
                break
            messages = []
            for ticket in batch:
                ticket.escalation = Escalation.SUPERVISOR
                ticket.breached = True
                ticket.save(update_fields=["escalation", "breached"])
                _event(ticket, TicketEventKind.BREACHED, actor=None, at=now, due=ticket.sla_due)
                _event(
                    ticket,
                    TicketEventKind.ESCALATED,
                    actor=None,
                    at=now,
                    level=Escalation.SUPERVISOR,
                )
                messages += [
                    Message(
                        recipient=supervisor,
                        key=f"incidents.escalated:{ticket.pk}",
                        step=Escalation.SUPERVISOR,
                        title=_("SLA missed: № %(number)s") % {"number": ticket.number},
                        url=ticket.get_absolute_url(),
                    )
                    for supervisor in supervisors
                ]
            notify_many(messages)
            counts["supervisor"] += len(batch)
    counts["regional"] = _escalate_regional(now=now)
    return counts


def _escalate_regional(*, now: dt.datetime) -> int:
    after = settings.INCIDENTS_REGIONAL_AFTER_MINUTES
    done = 0
    candidates = (
        Ticket.objects.select_related("policy", "calendar", "store")
        .filter(
            status__in=OPEN_STATUSES,
            escalation=Escalation.SUPERVISOR,
            store__isnull=False,
            paused_at__isnull=True,
            resolution_due__lt=now,
        )
        .order_by("resolution_due", "pk")
    )
    for ticket in candidates.iterator(chunk_size=BATCH):
        late = hours_of(ticket.calendar).minutes_between(ticket.resolution_due, now)
        if late < after:
            continue
        managers = list(
            User.objects.filter(
                role=Role.REGIONAL_MANAGER, region_id=ticket.store.region_id, is_active=True
            )
        )
        with transaction.atomic():
            updated = Ticket.objects.filter(pk=ticket.pk, escalation=Escalation.SUPERVISOR).update(
                escalation=Escalation.REGIONAL
            )
            if not updated:
                continue
            _event(ticket, TicketEventKind.ESCALATED, actor=None, at=now, level=Escalation.REGIONAL)
            notify_many(
                Message(
                    recipient=manager,
                    key=f"incidents.escalated:{ticket.pk}",
                    step=Escalation.REGIONAL,
                    title=_("A complaint about %(store)s is overdue: № %(number)s")
                    % {"store": ticket.store.name, "number": ticket.number},
                    url=ticket.get_absolute_url(),
                )
                for manager in managers
            )
        done += 1
    return done
