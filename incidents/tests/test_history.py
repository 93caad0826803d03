"""The bulk history builder leaves a ticket as the services do. Each plan below is built
twice: by `tickets_history_build`, and through the services one call a step
(`incidents.demo_live.ServicePlay`) under a frozen clock, with the SLA beat
(`sla_escalate`) run every five minutes while the ticket is open. Both tickets must agree
field by field — status, due moments, breach and escalation, first contact, resolution
and closing times, CSAT — and in their events, messages, pauses and credits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import translation

from incidents.choices import OPEN_STATUSES, Category, Channel, Priority, Status
from incidents.demo_live import ServicePlay
from incidents.history import (
    BEAT,
    Assign,
    Close,
    CreditDecided,
    CreditRequested,
    CustomerWrote,
    HistorySpec,
    Merge,
    Note,
    Rate,
    ReceiptChecked,
    Reopen,
    Reply,
    Resolve,
    Start,
    TakeNext,
    beat_from,
    tickets_history_build,
)
from incidents.models import Queue, Ticket
from incidents.services.escalation import sla_escalate
from incidents.services.intake import Intake
from incidents.tests.factories import MSK, desk_member
from kpi.selectors import receipt_lookup
from kpi.services import receipts_import
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)  # a working week without holidays
NOW = dt.datetime(2026, 3, 25, 12, 0, tzinfo=MSK)
RECEIPTS = (
    "магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email\n"
    "A1;R-1;27.02.2026 11:05;2400,00;3;7700000000011;100001;0;1;0\n"
    "A1;R-2;27.02.2026 12:40;1850,50;2;;100001;0;0;0\n"
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def desk(world):
    """Two agents in every queue, the cards queue assigning in turn, the supervisor, the
    store manager of A1, and two receipts of A1 (one with a card, one without)."""
    agent, other = world.people[Role.CALL_CENTER_AGENT], person(Role.CALL_CENTER_AGENT)
    desk_member(agent)
    desk_member(other)
    Queue.objects.filter(code="cards").update(auto_assign=True)
    receipts_import(actor=None, content=RECEIPTS.encode("cp1251"), filename="a1.csv")
    return {
        "agent": agent,
        "other": other,
        "supervisor": world.people[Role.CALL_CENTER_SUPERVISOR],
        "manager": world.people[Role.STORE_MANAGER],
        "store": world.store_a1,
    }


def at(days: int = 0, hours: float = 0, minutes: int = 0) -> dt.datetime:
    return MONDAY + dt.timedelta(days=days, hours=hours, minutes=minutes)


def intake(**values) -> Intake:
    defaults = {
        "channel": Channel.PHONE,
        "category": Category.BONUS_NOT_CREDITED,
        "description": "Купила на 1 850 ₽, бонусы не пришли.",
        "customer_name": "Иванова Мария",
        "customer_phone": "+7 916 123-45-67",
        "customer_email": "m.ivanova@mail.ru",
        "priority": Priority.NORMAL,
    }
    return Intake(**{**defaults, **values})


def credit_approved_after_a_late_first_reply(d) -> list[HistorySpec]:
    """«Take next» after three hours (the first response is missed: escalated), the
    receipt found without a card, a manual credit, the customer asked (a pause) and
    answering, the supervisor approving, resolved, rated, closed at night."""
    store, agent = d["store"], d["agent"]
    found = receipt_lookup(store_id=store.pk, number="R-2")
    return [
        HistorySpec(
            intake(channel=Channel.WEB, store=store),
            at=at(),
            steps=[
                TakeNext(at(hours=3), agent=agent),
                Start(at(hours=3, minutes=2)),
                ReceiptChecked(at(hours=3, minutes=5), store=store, found=found, number="R-2"),
                CreditRequested(at(hours=3, minutes=9), points=Decimal("55"), reason="Без карты"),
                Reply(at(hours=3, minutes=12), body="Пришлите фото чека", wait=True),
                CustomerWrote(at(hours=22), body="Фото прикладываю"),
                CreditDecided(at(days=1, hours=2), actor=d["supervisor"], approve=True),
                Reply(at(days=1, hours=2, minutes=10), body="Бонусы начислены"),
                Resolve(at(days=1, hours=2, minutes=15), "credited", "cashier_not_identified"),
                Rate(at(days=1, hours=9), rating=5, comment="Спасибо"),
                Close(dt.datetime(2026, 3, 18, 3, 10, tzinfo=MSK)),
            ],
        )
    ]


def staff_complaint_late_to_the_regional_manager(d) -> list[HistorySpec]:
    """Urgent, about store A1: answered in time, resolved long after its target, so the
    beat escalates it to the supervisors and then to the regional manager."""
    store = d["store"]
    return [
        HistorySpec(
            intake(
                channel=Channel.WEB,
                category=Category.STAFF_BEHAVIOUR,
                priority=Priority.URGENT,
                store=store,
                employee=None,
                description="Кассир нагрубила.",
            ),
            at=at(hours=1, minutes=3),
            steps=[
                TakeNext(at(hours=1, minutes=20), agent=d["other"]),
                Note(at(hours=1, minutes=25), body="Передано директору"),
                Reply(at(hours=1, minutes=31), body="Разберёмся"),
                Note(at(days=1, hours=5), body="Беседу провёл", actor=d["manager"]),
                Resolve(at(days=2, hours=3), "store_action", "staff_conduct"),
                Rate(at(days=2, hours=4), rating=2, comment="Долго"),
            ],
        )
    ]


def lost_card_merged_duplicate_and_reopened(d) -> list[HistorySpec]:
    """Round robin at filing (the cards queue), a duplicate merged into it, resolved,
    reopened by the customer writing again, resolved again."""
    first = HistorySpec(
        intake(channel=Channel.WEB, category=Category.LOST_CARD, description="Потеряла карту"),
        at=at(hours=2),
        steps=[],
    )
    duplicate = HistorySpec(
        intake(channel=Channel.WEB, category=Category.LOST_CARD, description="Ещё раз"),
        at=at(hours=2, minutes=7),
        steps=[Merge(at(hours=2, minutes=15), into=first, actor=d["agent"])],
    )
    first.steps = [
        Reply(at(hours=2, minutes=20), body="Карта заблокирована"),
        Resolve(at(hours=2, minutes=25), "card_blocked", "other"),
        CustomerWrote(at(days=2, hours=10), body="Баланс не перенесли"),
        Reply(at(days=3, hours=1), body="Перенесли"),
        Resolve(at(days=3, hours=1, minutes=5), "card_blocked", "other"),
    ]
    return [first, duplicate]


def settled_on_the_line_then_reopened_by_the_agent(d) -> list[HistorySpec]:
    """A call settled at once (first contact), reopened by the agent the next day."""
    agent, store = d["agent"], d["store"]
    found = receipt_lookup(store_id=store.pk, number="R-1")
    return [
        HistorySpec(
            intake(store=store, card_number="7700000000011"),
            at=at(hours=4),
            actor=agent,
            steps=[
                Assign(at(hours=4, minutes=1), assignee=agent, actor=agent),
                ReceiptChecked(at(hours=4, minutes=3), store=store, found=found, number="R-1"),
                Reply(at(hours=4, minutes=5), body="Бонусы ждут активации"),
                Resolve(at(hours=4, minutes=6), "points_due", "crediting_delay"),
                Reopen(at(days=1, hours=1), reason="Клиент перезвонил"),
                Reply(at(days=1, hours=1, minutes=30), body="Проверили ещё раз"),
                Resolve(at(days=1, hours=1, minutes=40), "points_due", "crediting_delay"),
            ],
        )
    ]


def receipt_not_found_waiting_at_the_end(d) -> list[HistorySpec]:
    """The receipt the customer names is not in the store's data: asked for a photo, and
    still waiting when the history ends (the clock paused)."""
    store = d["store"]
    return [
        HistorySpec(
            intake(channel=Channel.STORE, store=store, description="Чек потерян"),
            at=at(days=23, hours=-1),
            actor=d["manager"],
            steps=[
                TakeNext(at(days=23, minutes=-30), agent=d["agent"]),
                ReceiptChecked(
                    at(days=23, minutes=-26),
                    store=store,
                    found=receipt_lookup(store_id=store.pk, number="0000"),
                    number="0000",
                ),
                Reply(at(days=23, minutes=-21), body="Пришлите фото", wait=True),
            ],
        )
    ]


PLANS = [
    credit_approved_after_a_late_first_reply,
    staff_complaint_late_to_the_regional_manager,
    lost_card_merged_duplicate_and_reopened,
    settled_on_the_line_then_reopened_by_the_agent,
    receipt_not_found_waiting_at_the_end,
]


def through_the_services(specs: list[HistorySpec], *, now: dt.datetime) -> None:
    """Every step its service call, in time order; the beat every `BEAT` on the clock
    while one of the tickets is open, as Celery beat would run it."""
    play = ServicePlay()
    timeline = sorted(
        [(spec.at, n, -1, spec) for n, spec in enumerate(specs)]
        + [
            (step.at, n, i, spec)
            for n, spec in enumerate(specs)
            for i, step in enumerate(spec.steps)
        ],
        key=lambda item: item[:3],
    )
    tick = None
    for moment, _n, index, spec in [*timeline, (now + dt.timedelta(microseconds=1), 0, 0, None)]:
        while tick is not None and tick < moment:
            if any(s.ticket and s.ticket.status in OPEN_STATUSES for s in specs):
                sla_escalate(now=tick)
            tick += BEAT
        if spec is None:
            break
        if index < 0:
            play.file(spec)
        else:
            play.step(spec, spec.steps[index])
        tick = beat_from(moment)


def snapshot(ticket: Ticket) -> dict:
    """What the two ways must agree on: keys, random numbers and tokens aside (a ticket's
    number in a text or an event is replaced by its description)."""
    ticket.refresh_from_db()
    numbers = dict(Ticket.objects.values_list("number", "description"))

    def unnumbered(value):
        if isinstance(value, str):
            for number, description in numbers.items():
                value = value.replace(number, f"<{description}>")
        return value

    fields = [
        "status",
        "channel",
        "category",
        "priority",
        "queue_id",
        "assignee_id",
        "store_id",
        "created_by_id",
        "customer_phone",
        "customer_email",
        "card_number",
        "description",
        "receipt_number",
        "receipt_at",
        "receipt_amount",
        "receipt_finding",
        "receipt_card",
        "receipt_loaded_at",
        "receipt_checked_at",
        "resolution_code",
        "root_cause",
        "resolution",
        "policy_id",
        "calendar_id",
        "first_response_due",
        "first_responded_at",
        "next_response_due",
        "resolution_due",
        "sla_due",
        "paused_at",
        "paused_minutes",
        "escalation",
        "breached",
        "first_contact",
        "reopened",
        "created_at",
        "resolved_at",
        "closed_at",
        "csat_rating",
        "csat_comment",
        "csat_at",
    ]

    def payload(event) -> dict:  # a message by its key, which differs between the two
        return {key: unnumbered(v) for key, v in event.payload.items() if key != "message"}

    return {
        **{name: getattr(ticket, name) for name in fields},
        "rating link": bool(ticket.csat_token_hash),
        "merged into": ticket.merged_into.description if ticket.merged_into_id else None,
        "events": [
            (e.kind, e.at, e.actor_id, e.public, payload(e))
            for e in ticket.events.order_by("at", "pk")
        ],
        "messages": [
            (m.kind, m.author_id, unnumbered(m.body), m.at, m.sent_to)
            for m in ticket.messages.order_by("at", "pk")
        ],
        "pauses": list(ticket.pauses.values_list("started_at", "ended_at", "business_minutes")),
        "credits": list(
            ticket.credits.values_list(
                "status",
                "points",
                "reason",
                "requested_by",
                "requested_at",
                "decided_by",
                "decided_at",
                "comment",
            )
        ),
    }


@pytest.mark.parametrize("plan", PLANS, ids=[plan.__name__ for plan in PLANS])
def test_a_ticket_built_in_bulk_is_the_ticket_the_services_leave(desk, plan):
    with time_machine.travel(NOW, tick=False):
        Queue.objects.update(last_assignee=None)
        built = plan(desk)
        assert tickets_history_build(built, now=NOW) == len(built)
        Queue.objects.update(last_assignee=None)
        played = plan(desk)
        through_the_services(played, now=NOW)

    for bulk, services in zip(built, played, strict=True):
        expected = snapshot(services.ticket)
        assert snapshot(bulk.ticket) == expected
        assert expected["events"]  # the comparison compared something


def test_the_plans_reach_every_state_the_comparison_is_about(desk):
    """The plans above are not trivially equal: together they breach, escalate to both
    levels, pause, rate, reopen, merge, decide a credit and end both closed and open."""
    with time_machine.travel(NOW, tick=False):
        specs = [spec for plan in PLANS for spec in plan(desk)]
        tickets_history_build(specs, now=NOW)
    tickets = Ticket.objects.all()
    assert set(tickets.values_list("status", flat=True)) >= {
        Status.CLOSED,
        Status.RESOLVED,
        Status.MERGED,
        Status.WAITING,
    }
    assert set(tickets.values_list("escalation", flat=True)) == {0, 1, 2}
    assert tickets.filter(reopened=1).count() == 2
    # answered once and resolved: first contact; the call settled at once was reopened
    assert list(tickets.filter(first_contact=True).values_list("category", flat=True)) == [
        Category.STAFF_BEHAVIOUR
    ]
    assert tickets.exclude(csat_rating=None).count() == 2
    assert tickets.get(status=Status.WAITING).sla_due is None
