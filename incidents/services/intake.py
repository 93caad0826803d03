"""Filing a ticket, whatever the channel (the agent's form, a store manager, the public
page, the API): one service, one set of checks, one event."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import Category, Channel, Priority, Status, TicketEventKind
from incidents.models import Queue, Ticket, TicketEvent
from incidents.services.clock import clock_start
from portal.events.services import event_record
from portal.org.models import Store, User

DESCRIPTION_MAX = 5000
# Read once: a choices class's `.values` builds its list again on every access.
_CHANNELS, _CATEGORIES = frozenset(Channel.values), frozenset(Category.values)
_PRIORITIES = frozenset(Priority.values)
_PHONE_DIGITS = re.compile(r"\D+")
_CARD = re.compile(r"^[0-9]{6,19}$")


def phone_normalise(raw: str) -> str:
    """A Russian mobile or landline number as 11 digits starting with 7 («+7 916 123-45-67»,
    «8 (916) 1234567», «9161234567»); "" for empty input; ValueError for anything else."""
    digits = _PHONE_DIGITS.sub("", raw or "")
    if not digits:
        return ""
    if len(digits) == 10:
        digits = "7" + digits
    elif len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    if len(digits) != 11 or digits[0] != "7":
        raise ValueError(_("A phone number has 10 digits after +7, e.g. +7 916 123-45-67."))
    return digits


def card_normalise(raw: str) -> str:
    digits = (raw or "").replace(" ", "").replace("-", "")
    if digits and not _CARD.match(digits):
        raise ValueError(_("A card number is 6 to 19 digits."))
    return digits


@dataclass
class Intake:
    """What a channel says about a new ticket (already typed by its form or serializer)."""

    channel: str
    category: str
    description: str
    customer_name: str = ""
    customer_phone: str = ""
    customer_email: str = ""
    card_number: str = ""
    store: Store | None = None
    employee: User | None = None
    priority: str = Priority.NORMAL
    receipt_number: str = ""
    receipt_at: dt.datetime | None = None
    receipt_amount: Decimal | None = None
    details: dict = field(default_factory=dict)


def intake_check(intake: Intake) -> None:
    """Every problem of the intake at once, by field (ValidationError with a dict)."""
    errors: dict[str, str] = {}
    if intake.channel not in _CHANNELS:
        errors["channel"] = _("Unknown channel.")
    if intake.category not in _CATEGORIES:
        errors["category"] = _("Choose a category from the list.")
    if intake.priority not in _PRIORITIES:
        errors["priority"] = _("Choose a priority from the list.")
    text = (intake.description or "").strip()
    if not text:
        errors["description"] = _("Describe what happened.")
    elif len(text) > DESCRIPTION_MAX:
        errors["description"] = _("At most %(max)d characters (this one has %(n)d).") % {
            "max": DESCRIPTION_MAX,
            "n": len(text),
        }
    try:
        intake.customer_phone = phone_normalise(intake.customer_phone)
    except ValueError as error:
        errors["customer_phone"] = str(error)
    try:
        intake.card_number = card_normalise(intake.card_number)
    except ValueError as error:
        errors["card_number"] = str(error)
    no_contact = not (intake.customer_phone or intake.customer_email or intake.card_number)
    if no_contact and intake.channel in (Channel.WEB, Channel.API, Channel.PHONE):
        errors.setdefault("customer_phone", _("Give a phone or an e-mail so we can answer."))
    if intake.receipt_amount is not None and intake.receipt_amount <= 0:
        errors["receipt_amount"] = _("The amount must be above zero.")
    if intake.receipt_at is not None and intake.receipt_at > timezone.now() + dt.timedelta(hours=1):
        errors["receipt_at"] = _("The purchase cannot be in the future.")
    if intake.store is not None and not intake.store.is_active:
        errors["store"] = _("This store is closed.")
    if errors:
        raise ValidationError(errors)


def queue_for(category: str) -> Queue:
    """The first queue (by name) naming the category, else the first one naming none."""
    queues = list(Queue.objects.all())
    for queue in queues:
        if category in (queue.categories or []):
            return queue
    for queue in queues:
        if not queue.categories:
            return queue
    raise ValidationError(_("No queue takes this category: the desk's set-up is missing."))


def _number() -> str:
    digits = f"{secrets.randbelow(10**9):09d}"
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"


def round_robin_next(queue: Queue) -> User | None:
    """The member after the last one given a ticket (by id), among active desk people.
    The queue row is locked so two new tickets never go to the same turn."""
    from incidents.rules import DESK_ROLES

    locked = Queue.objects.select_for_update().get(pk=queue.pk)
    members = list(
        locked.members.filter(is_active=True, role__in=DESK_ROLES).order_by("pk").only("pk")
    )
    if not members:
        return None
    after = [member for member in members if member.pk > (locked.last_assignee_id or 0)]
    chosen = (after or members)[0]
    Queue.objects.filter(pk=queue.pk).update(last_assignee=chosen)
    return chosen


@transaction.atomic
def ticket_file(
    intake: Intake,
    *,
    actor: User | None = None,
    at: dt.datetime | None = None,
    keep: bool = False,
) -> Ticket:
    """Check the intake, route it to its queue, start its SLA clock, and record it; then
    give it to `actor` when they `keep` the call they took, else in turn when the queue
    does that — in the same transaction. ValidationError names every bad field."""
    intake_check(intake)
    at = at or timezone.now()
    queue = queue_for(intake.category)
    ticket = Ticket(
        channel=intake.channel,
        category=intake.category,
        priority=intake.priority,
        queue=queue,
        store=intake.store,
        employee=intake.employee,
        customer_name=intake.customer_name.strip()[:200],
        customer_phone=intake.customer_phone,
        customer_email=(intake.customer_email or "").strip().lower(),
        card_number=intake.card_number,
        description=intake.description.strip(),
        details=intake.details,
        receipt_number=(intake.receipt_number or "").strip(),
        receipt_at=intake.receipt_at,
        receipt_amount=intake.receipt_amount,
        created_at=at,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    clock_start(ticket, at=at, region_id=intake.store.region_id if intake.store else None)
    for _attempt in range(5):
        ticket.number = _number()
        try:
            with transaction.atomic():
                ticket.save(force_insert=True)
            break
        except IntegrityError:
            ticket.pk = None
            if Ticket.objects.filter(number=ticket.number).exists():
                continue
            raise
    event_record(
        TicketEvent,
        kind=TicketEventKind.CREATED,
        actor=ticket.created_by,
        ticket=ticket,
        at=at,
        public=True,
        payload={"channel": ticket.channel, "category": ticket.category, "queue": queue.code},
    )
    from incidents.services.workflow import ticket_assign

    if keep and actor is not None:
        ticket_assign(ticket, assignee=actor, actor=actor, at=at)
    elif queue.auto_assign:
        assignee = round_robin_next(queue)
        if assignee is not None:
            ticket_assign(ticket, assignee=assignee, actor=None, at=at)
    return ticket


def duplicates_of(
    *, phone: str, card: str, category: str, at: dt.datetime | None = None, days: int | None = None
) -> list[Ticket]:
    """Tickets of the same customer (phone or card) and category filed within `days`
    (INCIDENTS_DUPLICATE_DAYS) before `at`: the desk warns before filing another."""
    from django.conf import settings
    from django.db.models import Q

    at = at or timezone.now()
    days = settings.INCIDENTS_DUPLICATE_DAYS if days is None else days
    who = Q()
    if phone:
        who |= Q(customer_phone=phone)
    if card:
        who |= Q(card_number=card)
    if not who:
        return []
    return list(
        Ticket.objects.filter(who, category=category, created_at__gte=at - dt.timedelta(days=days))
        .exclude(status=Status.MERGED)
        .order_by("-created_at")[:5]
    )
