"""The complaint desk's part of the demo chain (`seed_demo`): the hotline's agents in the
queues (two take tickets in turn, two by «take next»), a business calendar of the Urals
beside Moscow's, text modules drawn from the demo scripts, and a year of tickets
(`DEMO_TICKETS`) across the chain.

No fake work: the last `LIVE_DAYS` days are played through the services in time order
(`incidents.demo_live`), with the SLA beat between the steps, and end in what the demo's
people find today (`incidents.demo_today`); the year before them is the same kind of plan
written by the bulk builder (`incidents.history`), which replays the services' pieces.
Receipts the «points not credited» tickets name are the demo chain's own (`kpi`).
Idempotent: once tickets exist, nothing is added."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from incidents.choices import Category, CreditStatus, Escalation, ReceiptFinding, Status
from incidents.demo_live import ServicePlay
from incidents.demo_plans import Cast, Planner
from incidents.demo_promotions import promotions_demo_seed
from incidents.demo_text import CANNED_REPLIES
from incidents.demo_today import Today
from incidents.history import tickets_history_build
from incidents.models import CannedReply, CreditRequest, Queue, SlaCalendar, SlaPause, Ticket
from incidents.services.clock import calendar_for, hours_of
from incidents.services.intake import queue_for
from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS, DEMO_REGION_CODE, DEMO_STORE_CODE
from portal.org.models import Region, Store, User
from portal.sop.models import ScriptPage

DEMO_TICKETS = 20_000
LIVE_DAYS = 5
# Queue → (takes tickets in turn, share of the agents in it).
QUEUES = {"general": (True, 6), "cards": (True, 5), "bonus": (False, 6), "quality": (False, 3)}
URALS = ("Урал", "Asia/Yekaterinburg", ["URL"])
MOSCOW_REGIONS = ["MSK", "SZ", "VLG"]


def _login(role: str) -> User | None:
    email = next(login.email for login in DEMO_LOGINS if login.role == role)
    return User.objects.filter(email=email).first()


def desk_people_place() -> int:
    """Every active agent in one or two queues (the demo operator in all of them) and the
    queues' way of assigning. Supervisors watch every queue from the board and stay out of
    the turns. Returns the memberships added."""
    operator = _login(Role.CALL_CENTER_AGENT)
    agents = list(
        User.objects.filter(role=Role.CALL_CENTER_AGENT, is_active=True).order_by(
            "personnel_number"
        )
    )
    queues = {queue.code: queue for queue in Queue.objects.all()}
    teams = [code for code, (_turns, share) in QUEUES.items() for _ in range(share)]
    added = 0
    for index, agent in enumerate(a for a in agents if a != operator):
        codes = {teams[index % len(teams)]}
        if index % 3 == 0:
            codes.add("general")
        added += _join(agent, [queues[code] for code in codes if code in queues])
    if operator is not None:
        added += _join(operator, list(queues.values()))
    for code, (turns, _share) in QUEUES.items():
        if code in queues and queues[code].auto_assign != turns:
            queues[code].auto_assign = turns
            queues[code].save(update_fields=["auto_assign"])
    return added


def _join(agent: User, queues: list[Queue]) -> int:
    joined = 0
    for queue in queues:
        if not queue.members.filter(pk=agent.pk).exists():
            queue.members.add(agent)
            joined += 1
    return joined


def calendars_ensure() -> int:
    """Moscow's calendar (the default) for the regions on Moscow time, the Urals' for the
    Urals region (two hours ahead). Returns the calendars created."""
    moscow = SlaCalendar.objects.filter(is_default=True).first()
    if moscow is not None:
        moscow.regions.add(*Region.objects.filter(code__in=MOSCOW_REGIONS))
    name, zone, codes = URALS
    urals, created = SlaCalendar.objects.get_or_create(
        name=name, defaults={"time_zone": zone, "opens_at": dt.time(9), "closes_at": dt.time(18)}
    )
    urals.regions.add(*Region.objects.filter(code__in=codes))
    return int(created)


def canned_replies_ensure() -> dict[str, CannedReply]:
    """The text modules, each linked to the live script of its category."""
    replies = {}
    for title, category, script_category, body in CANNED_REPLIES:
        reply = CannedReply.objects.filter(title=title).first()
        if reply is None:
            script = (
                ScriptPage.objects.live()
                .filter(category=script_category)
                .order_by("-last_published_at")
                .first()
                if script_category
                else None
            )
            reply = CannedReply.objects.create(
                title=title, category=category, body=body, script=script
            )
        replies[title] = reply
    return replies


def _cast(canned: dict[str, CannedReply]) -> Cast | None:
    operator, supervisor = _login(Role.CALL_CENTER_AGENT), _login(Role.CALL_CENTER_SUPERVISOR)
    stores = list(Store.objects.filter(is_active=True).select_related("region").order_by("code"))
    default = SlaCalendar.objects.filter(is_default=True).first()
    if operator is None or supervisor is None or not stores or default is None:
        return None
    queues = {category: queue_for(category) for category in Category.values}
    members = {
        queue.pk: list(queue.members.filter(role=Role.CALL_CENTER_AGENT, is_active=True))
        for queue in Queue.objects.all()
    }
    people = User.objects.filter(
        role__in=[Role.STORE_MANAGER, Role.STORE_STAFF], is_active=True, store__isnull=False
    ).order_by("pk")
    managers: dict[int, User] = {}
    staff: dict[int, list[User]] = {}
    demo_manager = _login(Role.STORE_MANAGER)
    for person in people:
        if person.role == Role.STORE_MANAGER:
            if person.store_id not in managers or person == demo_manager:
                managers[person.store_id] = person
        else:
            staff.setdefault(person.store_id, []).append(person)
    return Cast(
        operator=operator,
        supervisor=supervisor,
        supervisors=list(User.objects.filter(role=Role.CALL_CENTER_SUPERVISOR, is_active=True)),
        members=members,
        queues=queues,
        stores=stores,
        demo_store=next((s for s in stores if s.code == DEMO_STORE_CODE), None),
        managers=managers,
        staff=staff,
        canned=canned,
        hours=hours_of(default),
        calendars={region.pk: calendar_for(region_id=region.pk) for region in Region.objects.all()},
    )


def incidents_demo_seed(*, tickets: int = DEMO_TICKETS, now: dt.datetime | None = None) -> str:
    """The «Акции» pages (`incidents.demo_promotions`), the desk set up and a year of
    `tickets` ending at `now`; idempotent."""
    started = time.perf_counter()
    promotions = promotions_demo_seed(today=timezone.localdate(now))
    if Ticket.objects.exists():
        return f"{promotions} promotion pages; tickets: kept"
    placed = desk_people_place()
    calendars = calendars_ensure()
    canned = canned_replies_ensure()
    cast = _cast(canned)
    if cast is None:
        return "no demo chain (agents, supervisor, stores): nothing filed"
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    today = timezone.localtime(now).date()
    first_day, first_live = today - dt.timedelta(days=364), today - dt.timedelta(days=LIVE_DAYS - 1)
    planner = Planner(cast, now=now, first=first_day)
    history, live = [], []
    for day, count in planner.daily_counts(first_day, today, tickets).items():
        (live if day >= first_live else history).extend(
            planner.day_tickets(day, count, live=day >= first_live)
        )
    region_store = (
        Store.objects.filter(region__code=DEMO_REGION_CODE, is_active=True)
        .exclude(code=DEMO_STORE_CODE)
        .order_by("code")
        .first()
    )
    live += Today(planner, manager=_login(Role.STORE_MANAGER), region_store=region_store).plans()
    history.sort(key=lambda spec: spec.at)
    planned = time.perf_counter()
    built = tickets_history_build(history, now=now)
    bulk = time.perf_counter()
    played = ServicePlay().play(live, now=now)
    done = time.perf_counter()
    return (
        f"{promotions} promotion pages; desk: {placed} queue places, {calendars} calendar, "
        f"{len(canned)} text modules; "
        f"{demo_figures()}; {built} built in bulk, {played} through the services "
        f"(plans {planned - started:.1f} s, bulk {bulk - planned:.1f} s, "
        f"services {done - bulk:.1f} s)"
    )


def demo_figures() -> str:
    """The desk's figures in one line (the summary `seed_demo` prints)."""
    by_status = Counter(dict(Ticket.objects.values_list("status").annotate(n=Count("pk"))))
    totals = Ticket.objects.aggregate(
        breached=Count("pk", filter=Q(breached=True)),
        regional=Count("pk", filter=Q(escalation=Escalation.REGIONAL)),
        rated=Count("pk", filter=Q(csat_rating__isnull=False)),
        first_contact=Count("pk", filter=Q(first_contact=True)),
        reopened=Count("pk", filter=Q(reopened__gt=0)),
    )
    findings = Counter(
        dict(
            Ticket.objects.exclude(receipt_finding="")
            .values_list("receipt_finding")
            .annotate(n=Count("pk"))
        )
    )
    credits = Counter(dict(CreditRequest.objects.values_list("status").annotate(n=Count("pk"))))
    statuses = " ".join(f"{status}={by_status.get(status, 0)}" for status in Status.values)
    return (
        f"tickets={sum(by_status.values())} ({statuses}) breached={totals['breached']} "
        f"regional={totals['regional']} reopened={totals['reopened']} "
        f"first_contact={totals['first_contact']} pauses={SlaPause.objects.count()} "
        f"csat={totals['rated']} receipts identified={findings[ReceiptFinding.IDENTIFIED]} "
        f"not_identified={findings[ReceiptFinding.NOT_IDENTIFIED]} "
        f"not_found={findings[ReceiptFinding.NOT_FOUND]} "
        f"not_loaded={findings[ReceiptFinding.NOT_LOADED]} credits "
        + " ".join(f"{status}={credits.get(status, 0)}" for status in CreditStatus.values)
    )
