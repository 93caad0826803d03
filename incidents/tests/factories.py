"""Building blocks of the incidents tests: intakes, tickets filed through the service."""

from __future__ import annotations

import datetime as dt

from incidents.choices import Category, Channel, Priority
from incidents.models import Queue, Ticket
from incidents.services.intake import Intake, ticket_file

MSK = dt.timezone(dt.timedelta(hours=3))


def intake(**values) -> Intake:
    defaults = {
        "channel": Channel.PHONE,
        "category": Category.BONUS_NOT_CREDITED,
        "description": "Купила на 3 000 ₽, бонусы не пришли.",
        "customer_name": "Иванова Мария",
        "customer_phone": "+7 916 123-45-67",
        "priority": Priority.NORMAL,
    }
    return Intake(**{**defaults, **values})


def ticket(*, actor=None, at: dt.datetime | None = None, **values) -> Ticket:
    return ticket_file(intake(**values), actor=actor, at=at)


def desk_member(user, *codes: str) -> None:
    """Put a desk person in queues (all of them by default)."""
    for queue in Queue.objects.filter(code__in=codes) if codes else Queue.objects.all():
        queue.members.add(user)
