"""The SLA clock of a ticket: which policy and calendar apply, the due moments in business
minutes, the pause in «waiting for the customer», and the state a page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.choices import OPEN_STATUSES, Status
from incidents.models import SlaCalendar, SlaPause, SlaPolicy, Ticket
from incidents.sla import BusinessHours

_HOURS: dict[tuple, BusinessHours] = {}


class DeskNotConfigured(Exception):
    """No SLA policy or no default calendar: the desk's set-up is missing."""


def hours_of(calendar: SlaCalendar) -> BusinessHours:
    key = (
        calendar.pk,
        calendar.time_zone,
        calendar.opens_at,
        calendar.closes_at,
        calendar.weekdays,
        calendar.public_holidays,
    )
    hours = _HOURS.get(key)
    if hours is None:
        hours = _HOURS[key] = BusinessHours.of(
            tz=calendar.time_zone,
            opens=calendar.opens_at,
            closes=calendar.closes_at,
            weekdays=calendar.weekdays,
            public_holidays=calendar.public_holidays,
        )
    return hours


def calendar_for(*, region_id: int | None) -> SlaCalendar:
    """The calendar of the region, else the default one."""
    wanted = Q(is_default=True)
    if region_id is not None:  # `regions=None` would match every calendar without regions
        wanted |= Q(regions=region_id)
    calendars = SlaCalendar.objects.filter(wanted)
    found = sorted(
        {calendar.pk: calendar for calendar in calendars}.values(), key=lambda c: c.is_default
    )
    if not found:
        raise DeskNotConfigured(_("No business calendar is set up (mark one as the default)."))
    return found[0]


def policy_for(*, category: str, priority: str) -> SlaPolicy:
    """The most specific policy: category and priority, category, priority, any."""
    policies = {
        (policy.category, policy.priority): policy
        for policy in SlaPolicy.objects.filter(
            category__in=[category, ""], priority__in=[priority, ""]
        )
    }
    for key in ((category, priority), (category, ""), ("", priority), ("", "")):
        if key in policies:
            return policies[key]
    raise DeskNotConfigured(_("No SLA policy covers this category and priority."))


def sla_due(ticket: Ticket) -> dt.datetime | None:
    """The nearest target still running; None while paused and once the ticket is done."""
    if ticket.status not in OPEN_STATUSES or ticket.paused_at is not None:
        return None
    candidates = [ticket.resolution_due]
    if ticket.first_responded_at is None:
        candidates.append(ticket.first_response_due)
    if ticket.next_response_due is not None:
        candidates.append(ticket.next_response_due)
    return min(candidates)


def clock_start(
    ticket: Ticket,
    *,
    at: dt.datetime,
    region_id: int | None,
    policy: SlaPolicy | None = None,
    calendar: SlaCalendar | None = None,
) -> None:
    """Set the policy, the calendar and the first due moments of a new ticket (unsaved).
    A caller that has looked the policy and calendar up already (the bulk history
    builder, `incidents.history`) passes them and saves the two queries."""
    ticket.policy = policy or policy_for(category=ticket.category, priority=ticket.priority)
    ticket.calendar = calendar or calendar_for(region_id=region_id)
    hours = hours_of(ticket.calendar)
    ticket.first_response_due = hours.add(at, ticket.policy.first_response_minutes)
    ticket.resolution_due = hours.add(at, ticket.policy.resolution_minutes)
    ticket.sla_due = sla_due(ticket)


def clock_restart_resolution(ticket: Ticket, *, at: dt.datetime) -> None:
    """A reopened ticket gets a fresh resolution target from `at`."""
    ticket.resolution_due = hours_of(ticket.calendar).add(at, ticket.policy.resolution_minutes)
    ticket.sla_due = sla_due(ticket)


def next_response_set(ticket: Ticket, *, at: dt.datetime) -> None:
    """The customer wrote at `at`: the desk owes an answer within the next-response target."""
    ticket.next_response_due = hours_of(ticket.calendar).add(
        at, ticket.policy.next_response_minutes
    )
    ticket.sla_due = sla_due(ticket)


def clock_pause(ticket: Ticket, *, at: dt.datetime) -> SlaPause:
    ticket.paused_at = at
    ticket.sla_due = None
    return SlaPause.objects.create(ticket=ticket, started_at=at)


def clock_resume(ticket: Ticket, *, at: dt.datetime) -> SlaPause | None:
    """End the pause: every due moment still ahead when the clock stopped keeps the business
    minutes it had left, counted from `at`. Returns the closed pause."""
    if ticket.paused_at is None:
        return None
    minutes = clock_resumed(ticket, at=at)
    pause = SlaPause.objects.filter(ticket=ticket, ended_at__isnull=True).first()
    if pause is not None:
        pause.ended_at, pause.business_minutes = at, minutes
        pause.save(update_fields=["ended_at", "business_minutes"])
    return pause


def clock_resumed(ticket: Ticket, *, at: dt.datetime) -> int:
    """`clock_resume` in memory (the bulk history builder writes the pause row itself):
    move the due moments on and return the business minutes the clock stood still."""
    hours = hours_of(ticket.calendar)
    paused_at = ticket.paused_at
    minutes = max(0, hours.minutes_between(paused_at, at))

    def moved(due: dt.datetime | None) -> dt.datetime | None:
        if due is None or due <= paused_at:
            return due
        return hours.add(at, hours.minutes_between(paused_at, due))

    ticket.resolution_due = moved(ticket.resolution_due)
    ticket.first_response_due = moved(ticket.first_response_due)
    ticket.next_response_due = moved(ticket.next_response_due)
    ticket.paused_minutes += minutes
    ticket.paused_at = None
    ticket.sla_due = sla_due(ticket)
    return minutes


OK, WARNING, BREACHED, PAUSED, DONE = "ok", "warning", "breached", "paused", "done"


@dataclass(frozen=True)
class SlaState:
    """What the desk shows of a ticket's clock: which target runs, its due moment, the
    business minutes left (negative: overdue) and the share of its time used."""

    state: str
    target: str = ""
    due: dt.datetime | None = None
    minutes_left: int = 0
    used_percent: int = 0

    @property
    def label(self) -> str:
        return str(TARGET_LABELS.get(self.target, ""))


TARGET_LABELS = {
    "first": _("first response"),
    "next": _("next response"),
    "resolution": _("resolution"),
}


def sla_state(ticket: Ticket, *, now: dt.datetime) -> SlaState:
    if ticket.status not in OPEN_STATUSES:
        return SlaState(DONE)
    if ticket.paused_at is not None:
        return SlaState(PAUSED, due=ticket.resolution_due)
    targets = [("resolution", ticket.resolution_due, ticket.policy.resolution_minutes)]
    if ticket.first_responded_at is None:
        targets.append(("first", ticket.first_response_due, ticket.policy.first_response_minutes))
    if ticket.next_response_due is not None:
        targets.append(("next", ticket.next_response_due, ticket.policy.next_response_minutes))
    target, due, budget = min(targets, key=lambda item: item[1])
    left = hours_of(ticket.calendar).minutes_between(now, due)
    used = round(100 * (budget - left) / budget) if budget else 100
    if left <= 0 and now >= due:
        state = BREACHED
    elif used >= ticket.policy.warn_percent:
        state = WARNING
    else:
        state = OK
    return SlaState(state, target, due, left, max(0, used))


def status_pauses(status: str) -> bool:
    return status == Status.WAITING


def clock_repolicy(ticket: Ticket) -> None:
    """The category or priority changed: the policy that now applies sets the due moments
    again from the filing, plus the business minutes the clock has stood still so far."""
    ticket.policy = policy_for(category=ticket.category, priority=ticket.priority)
    hours = hours_of(ticket.calendar)
    extra = ticket.paused_minutes
    ticket.first_response_due = hours.add(
        ticket.created_at, ticket.policy.first_response_minutes + extra
    )
    if ticket.reopened == 0:
        ticket.resolution_due = hours.add(
            ticket.created_at, ticket.policy.resolution_minutes + extra
        )
    ticket.sla_due = sla_due(ticket)
