"""The SLA clock, exact to the minute: the business-hours engine on Russia's calendar (two
time zones, public holidays, a transferred working Saturday, weekends), the pause in
«waiting for the customer» through the services on a frozen clock, and the escalation
beat (supervisors on a missed target, the region's manager later)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import translation
from hypothesis import assume, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from incidents import tasks
from incidents.choices import Category, Escalation, Priority, Status, TicketEventKind
from incidents.models import SlaCalendar, SlaPause, Ticket
from incidents.services import workflow
from incidents.services.clock import BREACHED, OK, PAUSED, WARNING, hours_of, sla_state
from incidents.services.escalation import sla_escalate
from incidents.sla import BusinessHours
from incidents.tests.factories import desk_member, ticket
from portal.notify.models import Notification
from portal.org.choices import Role
from portal.org.tests.factories import person

UTC = dt.UTC
MOSCOW = ZoneInfo("Europe/Moscow")  # UTC+3
YEKATERINBURG = ZoneInfo("Asia/Yekaterinburg")  # UTC+5
NINE, SIX = dt.time(9), dt.time(18)


def msk(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=MOSCOW)


def yekt(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=YEKATERINBURG)


def moscow_hours(**values) -> BusinessHours:
    return BusinessHours.of(tz="Europe/Moscow", opens=NINE, closes=SIX, **values)


def yekaterinburg_hours(**values) -> BusinessHours:
    return BusinessHours.of(tz="Asia/Yekaterinburg", opens=NINE, closes=SIX, **values)


# The engine: pure functions, no database.


def test_the_same_instant_is_due_at_different_moments_in_two_time_zones():
    # 13:00 UTC is 16:00 in Moscow (two working hours left) and 18:00 in Yekaterinburg
    # (closed): 120 minutes end at closing in Moscow, at 11:00 next morning in the Urals.
    start = dt.datetime(2026, 3, 2, 13, 0, tzinfo=UTC)  # a Monday

    in_moscow = moscow_hours().add(start, 120)
    in_urals = yekaterinburg_hours().add(start, 120)

    assert in_moscow == msk(2026, 3, 2, 18, 0)
    assert in_urals == yekt(2026, 3, 3, 11, 0)
    assert in_moscow.astimezone(UTC) == dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    assert in_urals.astimezone(UTC) == dt.datetime(2026, 3, 3, 6, 0, tzinfo=UTC)
    assert moscow_hours().minutes_between(start, in_moscow) == 120
    assert yekaterinburg_hours().minutes_between(start, in_urals) == 120


def test_a_morning_instant_counts_from_each_zones_own_opening():
    start = dt.datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # 09:00 in Moscow, 11:00 in the Urals

    assert moscow_hours().add(start, 480) == msk(2026, 3, 2, 17, 0)
    assert yekaterinburg_hours().add(start, 480) == yekt(2026, 3, 3, 10, 0)
    # Two hours of the Urals' working day passed before Moscow opened.
    assert yekaterinburg_hours().minutes_between(start - dt.timedelta(hours=2), start) == 120
    assert moscow_hours().minutes_between(start - dt.timedelta(hours=2), start) == 0


def test_a_public_holiday_is_skipped():
    hours = moscow_hours()  # 4 November 2026 (Unity Day) is a Wednesday

    assert not hours.is_working_day(dt.date(2026, 11, 4))
    assert hours.add(msk(2026, 11, 3, 17, 0), 120) == msk(2026, 11, 5, 10, 0)
    assert hours.minutes_between(msk(2026, 11, 3, 9, 0), msk(2026, 11, 5, 9, 0)) == 540
    assert hours.minutes_between(msk(2026, 11, 4, 9, 0), msk(2026, 11, 4, 18, 0)) == 0


def test_a_calendar_without_public_holidays_works_through_them():
    hours = moscow_hours(public_holidays=False)

    assert hours.is_working_day(dt.date(2026, 11, 4))
    assert hours.add(msk(2026, 11, 3, 17, 0), 120) == msk(2026, 11, 4, 10, 0)


def test_the_new_year_holidays_stop_the_clock_until_the_twelfth_of_january():
    hours = moscow_hours()  # 31 Dec 2025 (moved day off) to 9 Jan 2026, then a weekend

    assert hours.add(msk(2025, 12, 30, 17, 0), 120) == msk(2026, 1, 12, 10, 0)
    assert hours.minutes_between(msk(2025, 12, 30, 18, 0), msk(2026, 1, 12, 9, 0)) == 0
    assert [
        day
        for day in (dt.date(2025, 12, 31) + dt.timedelta(days=n) for n in range(13))
        if hours.is_working_day(day)
    ] == [dt.date(2026, 1, 12)]


def test_a_transferred_working_saturday_counts_and_its_days_off_do_not():
    hours = moscow_hours()  # Saturday 1 Nov 2025 worked in exchange for Monday 3 Nov

    assert hours.is_working_day(dt.date(2025, 11, 1))
    assert not hours.is_working_day(dt.date(2025, 11, 2))
    assert not hours.is_working_day(dt.date(2025, 11, 3))
    assert not hours.is_working_day(dt.date(2025, 11, 4))
    assert hours.add(msk(2025, 10, 31, 17, 0), 120) == msk(2025, 11, 1, 10, 0)
    assert hours.add(msk(2025, 11, 1, 17, 0), 120) == msk(2025, 11, 5, 10, 0)
    assert hours.minutes_between(msk(2025, 10, 31, 9, 0), msk(2025, 11, 5, 9, 0)) == 1080


def test_without_public_holidays_the_transferred_saturday_is_a_weekend():
    hours = moscow_hours(public_holidays=False)

    assert not hours.is_working_day(dt.date(2025, 11, 1))
    assert hours.add(msk(2025, 10, 31, 17, 0), 120) == msk(2025, 11, 3, 10, 0)


def test_a_weekend_is_skipped():
    hours = moscow_hours()  # Friday 13 March 2026, Monday 16 March is an ordinary day

    assert hours.add(msk(2026, 3, 13, 17, 0), 120) == msk(2026, 3, 16, 10, 0)
    assert hours.add(msk(2026, 3, 14, 12, 0), 0) == msk(2026, 3, 16, 9, 0)
    assert hours.add(msk(2026, 3, 14, 12, 0), 1) == msk(2026, 3, 16, 9, 1)
    assert hours.minutes_between(msk(2026, 3, 13, 18, 0), msk(2026, 3, 16, 9, 0)) == 0
    assert hours.minutes_between(msk(2026, 3, 13, 17, 30), msk(2026, 3, 16, 9, 30)) == 60
    assert hours.minutes_between(msk(2026, 3, 16, 9, 30), msk(2026, 3, 13, 17, 30)) == -60


def test_a_six_day_week_works_on_saturdays():
    hours = moscow_hours(weekdays="1,2,3,4,5,6")

    assert hours.add(msk(2026, 3, 13, 17, 0), 120) == msk(2026, 3, 14, 10, 0)


def test_minutes_are_whole_and_the_engine_refuses_nonsense():
    hours = moscow_hours()

    assert hours.minutes_between(msk(2026, 3, 2, 9, 0), msk(2026, 3, 2, 9, 0, 59)) == 0
    assert hours.minutes_between(msk(2026, 3, 2, 9, 0), msk(2026, 3, 2, 9, 1)) == 1
    with pytest.raises(ValueError):
        hours.add(msk(2026, 3, 2, 9, 0), -1)
    with pytest.raises(ValueError):
        BusinessHours.of(tz="Europe/Moscow", opens=SIX, closes=NINE)


ZONES = st.sampled_from(["Europe/Moscow", "Asia/Yekaterinburg"])
DAYS = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2027, 12, 31))


def _at(hours: BusinessHours, day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=hours.tz) + dt.timedelta(minutes=minute)


@hypothesis_settings(max_examples=300, deadline=None)
@given(zone=ZONES, day=DAYS, minute=st.integers(9 * 60, 18 * 60 - 1), m=st.integers(0, 6000))
def test_minutes_between_undoes_add_from_inside_working_hours(zone, day, minute, m):
    hours = BusinessHours.of(tz=zone, opens=NINE, closes=SIX)
    assume(hours.is_working_day(day))
    start = _at(hours, day, minute)

    due = hours.add(start, m)

    assert hours.minutes_between(start, due) == m
    assert hours.minutes_between(due, start) == -m


@hypothesis_settings(max_examples=300, deadline=None)
@given(zone=ZONES, day=DAYS, minute=st.integers(0, 24 * 60 - 1), m=st.integers(0, 6000))
def test_minutes_between_undoes_add_from_any_moment(zone, day, minute, m):
    hours = BusinessHours.of(tz=zone, opens=NINE, closes=SIX)
    start = _at(hours, day, minute)

    assert hours.minutes_between(start, hours.add(start, m)) == m


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    zone=ZONES,
    first=DAYS,
    later=st.integers(0, 20),
    start_minute=st.integers(9 * 60, 18 * 60 - 1),
    end_minute=st.integers(9 * 60 + 1, 18 * 60),
)
def test_add_undoes_minutes_between_up_to_a_working_moment(
    zone, first, later, start_minute, end_minute
):
    hours = BusinessHours.of(tz=zone, opens=NINE, closes=SIX)
    last = first + dt.timedelta(days=later)
    assume(hours.is_working_day(first) and hours.is_working_day(last))
    start, end = _at(hours, first, start_minute), _at(hours, last, end_minute)
    assume(start < end)

    assert hours.add(start, hours.minutes_between(start, end)) == end


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    zone=ZONES,
    day=DAYS,
    paused=st.integers(0, 24 * 60 - 1),
    pause=st.integers(0, 7 * 24 * 60),
    ahead=st.integers(1, 14 * 24 * 60),
)
def test_a_resumed_clock_moves_a_due_moment_by_the_paused_business_minutes(
    zone, day, paused, pause, ahead
):
    """What `clock_resume` does to each due moment still ahead: it keeps the working
    minutes it had left, counted from the resumption; so it moves by exactly the
    paused business minutes, wherever the pause starts and ends."""
    hours = BusinessHours.of(tz=zone, opens=NINE, closes=SIX)
    paused_at = _at(hours, day, paused)
    resumed_at, due = (
        paused_at + dt.timedelta(minutes=pause),
        paused_at + dt.timedelta(minutes=ahead),
    )

    moved = hours.add(resumed_at, hours.minutes_between(paused_at, due))

    assert hours.minutes_between(due, moved) == hours.minutes_between(paused_at, resumed_at)


# Through the services, on a frozen clock.


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def urals(world) -> SlaCalendar:
    """Region B works on Yekaterinburg time, 9–18 on Russia's working days."""
    calendar = SlaCalendar.objects.create(
        name="Екатеринбург", time_zone="Asia/Yekaterinburg", opens_at=NINE, closes_at=SIX
    )
    calendar.regions.add(world.region_b)
    return calendar


@pytest.mark.django_db
def test_tickets_filed_at_one_instant_are_due_by_each_regions_calendar(world, urals):
    agent = world.people[Role.CALL_CENTER_AGENT]
    with time_machine.travel(dt.datetime(2026, 3, 2, 13, 30, tzinfo=UTC), tick=False):
        in_moscow = ticket(actor=agent, store=world.store_a1)  # 16:30 in Moscow
        in_urals = ticket(actor=agent, store=world.store_b1)  # 18:30 in Yekaterinburg

    assert in_moscow.calendar.is_default and in_urals.calendar == urals
    # «Points not credited»: first response in 120 business minutes.
    assert in_moscow.first_response_due == msk(2026, 3, 3, 9, 30)
    assert in_urals.first_response_due == yekt(2026, 3, 3, 11, 0)
    assert in_urals.first_response_due < in_moscow.first_response_due
    assert in_moscow.sla_due == in_moscow.first_response_due


@pytest.mark.django_db
def test_a_ticket_without_a_store_runs_on_the_default_calendar(world, urals):
    # A calendar not yet given its regions must not catch the tickets of no region.
    SlaCalendar.objects.create(name="Новосибирск", time_zone="Asia/Novosibirsk")
    with time_machine.travel(dt.datetime(2026, 3, 2, 13, 30, tzinfo=UTC), tick=False):
        filed = ticket()

    assert filed.calendar.is_default
    assert filed.first_response_due == msk(2026, 3, 3, 9, 30)


@pytest.mark.django_db
def test_a_ticket_filed_before_a_transferred_saturday_is_due_on_it(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    with time_machine.travel(msk(2025, 10, 31, 17, 0), tick=False):
        filed = ticket(
            actor=agent, store=world.store_a1, category=Category.OTHER, priority=Priority.URGENT
        )

    assert filed.policy.resolution_minutes == 540
    assert filed.first_response_due == msk(2025, 10, 31, 17, 30)
    assert filed.resolution_due == msk(2025, 11, 1, 17, 0)


@pytest.mark.django_db
def test_a_pause_moves_every_due_moment_by_exactly_its_business_minutes(world, urals):
    agent = world.people[Role.CALL_CENTER_AGENT]
    desk_member(agent, "bonus")
    hours = hours_of(urals)
    with time_machine.travel(yekt(2026, 3, 2, 10, 0), tick=False) as clock:  # a Monday
        filed = ticket(actor=agent, store=world.store_b1)
        # 2700 business minutes: five working days, Monday 9 March (a holiday) skipped.
        assert filed.first_response_due == yekt(2026, 3, 2, 12, 0)
        assert filed.resolution_due == yekt(2026, 3, 10, 10, 0)
        clock.move_to(yekt(2026, 3, 2, 10, 30))
        taken = workflow.take_next(agent)
        assert taken.pk == filed.pk

        clock.move_to(yekt(2026, 3, 2, 11, 0))
        workflow.ticket_reply(taken, actor=agent, body="Пришлите фото чека", wait_for_customer=True)
        taken.refresh_from_db()
        assert taken.status == Status.WAITING and taken.sla_due is None
        assert taken.paused_at == yekt(2026, 3, 2, 11, 0)
        assert sla_state(taken, now=yekt(2026, 3, 2, 11, 0)).state == PAUSED
        before = (taken.first_response_due, taken.resolution_due)

        clock.move_to(yekt(2026, 3, 3, 10, 30))  # 420 minutes on Monday, 90 on Tuesday
        workflow.customer_wrote(taken, body="Вот фото")
        taken.refresh_from_db()

    pause = SlaPause.objects.get(ticket=taken)
    assert (pause.started_at, pause.ended_at) == (yekt(2026, 3, 2, 11, 0), yekt(2026, 3, 3, 10, 30))
    assert pause.business_minutes == 510 == taken.paused_minutes
    after = (taken.first_response_due, taken.resolution_due)
    assert after == (yekt(2026, 3, 3, 11, 30), yekt(2026, 3, 11, 9, 30))
    for was, now in zip(before, after, strict=True):
        assert hours.minutes_between(was, now) == 510
        assert hours.add(was, 510) == now
    assert taken.status == Status.IN_PROGRESS and taken.paused_at is None
    # The customer wrote: the desk owes the next response within 240 business minutes.
    assert taken.next_response_due == yekt(2026, 3, 3, 14, 30)
    assert taken.sla_due == taken.next_response_due
    resumed = taken.events.get(kind=TicketEventKind.RESUMED)
    assert resumed.payload["business_minutes"] == 510


@pytest.mark.django_db
def test_a_pause_over_a_weekend_and_a_holiday_counts_only_working_minutes(world, urals):
    agent = world.people[Role.CALL_CENTER_AGENT]
    hours = hours_of(urals)
    with time_machine.travel(yekt(2026, 3, 2, 10, 0), tick=False) as clock:
        filed = ticket(actor=agent, store=world.store_b1)
        clock.move_to(yekt(2026, 3, 2, 10, 15))
        workflow.ticket_reply(filed, actor=agent, body="Ищем чек")  # first response, no pause
        filed.refresh_from_db()
        assert filed.first_responded_at == yekt(2026, 3, 2, 10, 15)
        first_due, resolution_due = filed.first_response_due, filed.resolution_due

        clock.move_to(yekt(2026, 3, 6, 17, 0))  # Friday
        workflow.ticket_reply(filed, actor=agent, body="Уточните сумму", wait_for_customer=True)
        # Friday 60, the weekend, Monday 9 March (Women's Day observed), Tuesday 30.
        clock.move_to(yekt(2026, 3, 10, 9, 30))
        workflow.customer_wrote(filed, body="1 000 ₽")
        filed.refresh_from_db()

    pause = SlaPause.objects.get(ticket=filed)
    assert pause.business_minutes == 90 == filed.paused_minutes
    assert filed.resolution_due == hours.add(resolution_due, 90) == yekt(2026, 3, 10, 11, 30)
    assert hours.minutes_between(resolution_due, filed.resolution_due) == 90
    # A target already behind when the clock stopped is not moved.
    assert filed.first_response_due == first_due
    assert filed.next_response_due == yekt(2026, 3, 10, 13, 30)


@pytest.mark.django_db
def test_two_pauses_are_logged_apart_and_add_up(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    with time_machine.travel(msk(2026, 3, 2, 9, 0), tick=False) as clock:
        filed = ticket(actor=agent, store=world.store_a1)
        resolution_due = filed.resolution_due
        for pause_at, resume_at in (
            (msk(2026, 3, 2, 10, 0), msk(2026, 3, 2, 10, 45)),
            (msk(2026, 3, 3, 17, 50), msk(2026, 3, 4, 9, 20)),
        ):
            clock.move_to(pause_at)
            workflow.ticket_reply(filed, actor=agent, body="Ждём ответа", wait_for_customer=True)
            clock.move_to(resume_at)
            workflow.customer_wrote(filed, body="Ответ")
        filed.refresh_from_db()

    logged = SlaPause.objects.filter(ticket=filed).values_list("business_minutes", flat=True)
    assert list(logged) == [45, 30]
    assert filed.paused_minutes == 75
    assert filed.resolution_due == hours_of(filed.calendar).add(resolution_due, 75)
    kinds = list(filed.events.values_list("kind", flat=True))
    assert kinds.count(TicketEventKind.PAUSED) == 2 and kinds.count(TicketEventKind.RESUMED) == 2


@pytest.mark.django_db
def test_the_clock_warns_at_three_quarters_and_breaches_at_the_due_minute(world):
    with time_machine.travel(msk(2026, 3, 2, 10, 0), tick=False):
        filed = ticket(store=world.store_a1)  # first response due at 12:00, 120 minutes

    assert sla_state(filed, now=msk(2026, 3, 2, 11, 29)).state == OK
    warning = sla_state(filed, now=msk(2026, 3, 2, 11, 30))
    assert (warning.state, warning.target, warning.minutes_left, warning.used_percent) == (
        WARNING,
        "first",
        30,
        75,
    )
    assert sla_state(filed, now=msk(2026, 3, 2, 11, 59)).state == WARNING
    breached = sla_state(filed, now=msk(2026, 3, 2, 12, 0))
    assert (breached.state, breached.minutes_left) == (BREACHED, 0)
    assert sla_state(filed, now=msk(2026, 3, 2, 13, 0)).minutes_left == -60


# Escalation: the beat, on a frozen clock.


@pytest.fixture
def supervisors(world):
    """The world's supervisor, a second active one, and one who left (not told)."""
    second = person(Role.CALL_CENTER_SUPERVISOR)
    person(Role.CALL_CENTER_SUPERVISOR, is_active=False)
    return {world.people[Role.CALL_CENTER_SUPERVISOR], second}


def _escalation_notes(filed: Ticket, step: int):
    return Notification.objects.filter(key=f"incidents.escalated:{filed.pk}", step=step)


@pytest.mark.django_db
def test_a_missed_target_goes_to_every_active_supervisor_once(world, supervisors):
    with time_machine.travel(msk(2026, 3, 2, 10, 0), tick=False) as clock:
        filed = ticket(store=world.store_b1)  # first response due Monday 12:00
        clock.move_to(msk(2026, 3, 2, 11, 59))
        assert tasks.sla_escalate() == {"supervisor": 0, "regional": 0}
        filed.refresh_from_db()
        assert filed.escalation == Escalation.NONE and not filed.breached

        # At the due minute the board shows it missed, and the beat escalates it.
        clock.move_to(msk(2026, 3, 2, 12, 0))
        assert tasks.sla_escalate() == {"supervisor": 1, "regional": 0}
        filed.refresh_from_db()
        events = list(filed.events.order_by("pk").values_list("kind", "payload"))
        notes = list(_escalation_notes(filed, Escalation.SUPERVISOR))

        assert tasks.sla_escalate() == {"supervisor": 0, "regional": 0}

    assert filed.escalation == Escalation.SUPERVISOR and filed.breached
    kinds = [kind for kind, _payload in events]
    assert kinds.count(TicketEventKind.BREACHED) == 1
    assert kinds.count(TicketEventKind.ESCALATED) == 1
    escalated = filed.events.get(kind=TicketEventKind.ESCALATED)
    assert escalated.payload["level"] == Escalation.SUPERVISOR
    assert escalated.at == msk(2026, 3, 2, 12, 0)
    assert {note.recipient for note in notes} == supervisors
    assert all(filed.number in note.title for note in notes)
    # Running again changed nothing.
    assert list(filed.events.order_by("pk").values_list("kind", "payload")) == events
    assert Notification.objects.filter(key=f"incidents.escalated:{filed.pk}").count() == 2


@pytest.mark.django_db
def test_a_ticket_still_open_long_after_its_resolution_target_goes_to_its_regional_manager(
    world, supervisors
):
    late = settings.INCIDENTS_REGIONAL_AFTER_MINUTES
    assert late == 540
    with time_machine.travel(msk(2026, 3, 2, 10, 0), tick=False):
        filed = ticket(store=world.store_b1)  # region B, Moscow's default calendar
    assert filed.resolution_due == msk(2026, 3, 10, 10, 0)
    sla_escalate(now=msk(2026, 3, 2, 12, 1))
    # 540 business minutes after the resolution target: Wednesday 11 March, 10:00.
    assert hours_of(filed.calendar).add(filed.resolution_due, late) == msk(2026, 3, 11, 10, 0)

    with time_machine.travel(msk(2026, 3, 11, 9, 59), tick=False):
        assert tasks.sla_escalate() == {"supervisor": 0, "regional": 0}
    filed.refresh_from_db()
    assert filed.escalation == Escalation.SUPERVISOR
    assert not _escalation_notes(filed, Escalation.REGIONAL).exists()

    with time_machine.travel(msk(2026, 3, 11, 10, 0), tick=False):
        assert tasks.sla_escalate() == {"supervisor": 0, "regional": 1}
        assert tasks.sla_escalate() == {"supervisor": 0, "regional": 0}
    filed.refresh_from_db()

    assert filed.escalation == Escalation.REGIONAL
    notes = _escalation_notes(filed, Escalation.REGIONAL)
    # Region B's manager, not region A's.
    assert [note.recipient for note in notes] == [world.manager_b]
    levels = [
        event.payload["level"] for event in filed.events.filter(kind=TicketEventKind.ESCALATED)
    ]
    assert levels == [Escalation.SUPERVISOR, Escalation.REGIONAL]


@pytest.mark.django_db
def test_a_paused_ticket_does_not_breach_while_the_customer_is_asked(world, supervisors):
    agent = world.people[Role.CALL_CENTER_AGENT]
    with time_machine.travel(msk(2026, 3, 2, 10, 0), tick=False) as clock:
        filed = ticket(actor=agent, store=world.store_a1)
        clock.move_to(msk(2026, 3, 2, 10, 30))
        workflow.ticket_reply(filed, actor=agent, body="Ждём чек", wait_for_customer=True)
        clock.move_to(msk(2026, 3, 20, 10, 0))  # far past every target had it run

        assert tasks.sla_escalate() == {"supervisor": 0, "regional": 0}

    filed.refresh_from_db()
    assert filed.escalation == Escalation.NONE and not filed.breached
    assert not Notification.objects.filter(key=f"incidents.escalated:{filed.pk}").exists()
