"""The demo's tickets as plans (`incidents.history.HistorySpec`): how many a day, who files
them and when, about which store and receipt. `incidents.demo_story` tells each one's life;
the same plans feed the bulk builder (the year's history) and the services (the last days).

Deterministic for a seed and a moment `now`; steps after `now` are cut off, so a ticket
filed this morning is still waiting for someone to take it."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings

from incidents.choices import Category, Channel, Priority
from incidents.demo_text import MAIL_DOMAINS, latin
from incidents.history import HistorySpec
from incidents.models import CannedReply, Queue, SlaCalendar, SlaPolicy, Ticket
from incidents.services.clock import hours_of, policy_for
from incidents.sla import BusinessHours
from kpi.selectors import ReceiptLookup, receipts_on
from portal.org.demo import FEMALE, MALE, SURNAMES
from portal.org.models import Store, User

T = TypeVar("T")
LOCAL = ZoneInfo(settings.TIME_ZONE)


class Weighted(Generic[T]):
    """A weighted draw (`random.choices` for one item, without its set-up on every call)."""

    def __init__(self, shares: Mapping[T, float]):
        self.items = list(shares)
        self.cumulative = list(accumulate(shares.values()))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


CATEGORIES = Weighted(
    {
        Category.BONUS_NOT_CREDITED: 28,
        Category.LOST_CARD: 13,
        Category.ACCOUNT_LOGIN: 17,
        Category.QUESTIONNAIRE: 7,
        Category.PROMOTIONS: 13,
        Category.STAFF_BEHAVIOUR: 11,
        Category.OTHER: 11,
    }
)
CHANNELS = {
    "": Weighted({Channel.PHONE: 60, Channel.WEB: 25, Channel.STORE: 10, Channel.API: 5}),
    Category.LOST_CARD: Weighted({Channel.PHONE: 85, Channel.WEB: 10, Channel.API: 5}),
    Category.STAFF_BEHAVIOUR: Weighted({Channel.PHONE: 40, Channel.WEB: 45, Channel.STORE: 15}),
}
PRIORITIES = {
    "": Weighted({Priority.LOW: 8, Priority.NORMAL: 85, Priority.HIGH: 7}),
    Category.LOST_CARD: Weighted({Priority.NORMAL: 50, Priority.HIGH: 40, Priority.URGENT: 10}),
    Category.STAFF_BEHAVIOUR: Weighted({Priority.NORMAL: 80, Priority.HIGH: 20}),
}
# Categories where the customer speaks of a store (else one in three names one).
ABOUT_A_STORE = {Category.BONUS_NOT_CREDITED, Category.PROMOTIONS, Category.STAFF_BEHAVIOUR}
WEEKDAY = (1.25, 1.1, 1.05, 1.0, 1.0, 0.7, 0.6)  # complaints: Monday's backlog
MONTH = (1.15, 0.95, 1.0, 0.95, 0.9, 0.85, 0.85, 0.9, 1.0, 1.05, 1.1, 1.3)
DUPLICATED = 0.015
DEMO_STORE_WEIGHT = 3
STORES_A_DAY = 1  # stores whose receipts a day's «points not credited» name (history)
CLOSE_AT = dt.time(3, 10)  # the nightly `tickets_close_resolved` (portal/celery.py)


@dataclass
class Cast:
    """The demo's people, places and texts the plans draw on."""

    operator: User
    supervisor: User
    supervisors: list[User]
    members: dict[int, list[User]]  # queue id → agents
    queues: dict[str, Queue]  # category → queue
    stores: list[Store]
    demo_store: Store | None
    managers: dict[int, User]  # store id → its manager
    staff: dict[int, list[User]]  # store id → its staff
    canned: dict[str, CannedReply]  # title → text module
    hours: BusinessHours  # the desk's working time (the default calendar)
    calendars: dict[int, SlaCalendar]  # region id → the calendar its tickets run on
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo(settings.TIME_ZONE))


def canned_fill(canned: CannedReply) -> Callable[[Ticket, User], str]:
    """A text module filled in for the ticket and its author, as the agent's form does."""

    def fill(ticket: Ticket, agent: User) -> str:
        return canned.body.format(**reply_variables(ticket, agent))

    return fill


def free_reply(text: str, **extra: str) -> Callable[[Ticket, User], str]:
    def fill(ticket: Ticket, agent: User) -> str:
        return text.format(**reply_variables(ticket, agent), **extra)

    return fill


def reply_variables(ticket: Ticket, agent: User) -> dict[str, str]:
    names = ticket.customer_name.split()
    return {
        "customer": names[1] if len(names) > 1 else (names[0] if names else "Здравствуйте"),
        "number": ticket.number,
        "agent": f"{agent.first_name} {agent.last_name}".strip(),
        "store": f"«{ticket.store.name}»" if ticket.store_id else "сети",
        "due": f"{ticket.resolution_due.astimezone(LOCAL):%d.%m.%Y}",
    }


class WorkingTime:
    """The desk's working minutes laid end to end, so that «n working minutes after t» is
    two binary searches: `BusinessHours.add`'s answer for the plans' own timing, which a
    year of plans asks for a hundred thousand times. Outside the days it was built for it
    asks `BusinessHours`."""

    def __init__(self, hours: BusinessHours, first: dt.date, last: dt.date):
        self.hours = hours
        self.opens: list[float] = []
        self.closes: list[float] = []
        self.before: list[float] = []  # working seconds before each day's opening
        total = 0.0
        day = first
        while day <= last:
            if hours.is_working_day(day):
                opens = dt.datetime.combine(day, hours.opens, tzinfo=hours.tz).timestamp()
                closes = dt.datetime.combine(day, hours.closes, tzinfo=hours.tz).timestamp()
                self.opens.append(opens)
                self.closes.append(closes)
                self.before.append(total)
                total += closes - opens
            day += dt.timedelta(days=1)
        spans = zip(self.before, self.opens, self.closes, strict=True)
        self.ends = [before + (closes - opens) for before, opens, closes in spans]

    def add(self, moment: dt.datetime, minutes: int) -> dt.datetime:
        seconds = moment.timestamp()
        day = bisect_right(self.closes, seconds)
        if day >= len(self.opens) or seconds < self.opens[0]:
            return self.hours.add(moment, minutes)
        if minutes <= 0:  # at a closing: that moment; outside working hours: the next opening
            day = bisect_left(self.closes, seconds)
            return dt.datetime.fromtimestamp(max(seconds, self.opens[day]), self.hours.tz)
        target = self.before[day] + max(0.0, seconds - self.opens[day]) + minutes * 60
        end = bisect_left(self.ends, target)
        if end >= len(self.opens):
            return self.hours.add(moment, minutes)
        return dt.datetime.fromtimestamp(self.opens[end] + target - self.before[end], self.hours.tz)


@dataclass
class Customer:
    name: str
    phone: str
    email: str
    card: str


class Planner:
    """Plans of a year of tickets (or of one day's), from one random stream."""

    def __init__(self, cast: Cast, *, now: dt.datetime, first: dt.date, seed: int = 2026_13):
        self.cast, self.now = cast, now
        self.rng = random.Random(seed)
        span = (first - dt.timedelta(days=40), now.date() + dt.timedelta(days=60))
        self.time = WorkingTime(cast.hours, *span)
        # Tickets about a store are worked in its region's hours (the Urals' agents too).
        self.times = {
            calendar.pk: WorkingTime(hours_of(calendar), *span)
            for calendar in {c.pk: c for c in cast.calendars.values()}.values()
        }
        self.receipts: dict[tuple[int, dt.date], list[ReceiptLookup]] = {}
        self.day_stores: dict[dt.date, list[Store]] = {}
        self.policies: dict[tuple[str, str], SlaPolicy] = {}
        # The demo store a little busier (its manager has complaints to answer), small
        # shops quieter.
        self.stores = Weighted(
            {
                store: DEMO_STORE_WEIGHT
                if store == cast.demo_store
                else (0.6 if store.format == "convenience" else 1)
                for store in cast.stores
            }
        )

    # -- volume and moments ---------------------------------------------------------

    def daily_counts(self, first: dt.date, last: dt.date, total: int) -> dict[dt.date, int]:
        """`total` tickets spread over the days by weekday and month (rounded with carry)."""
        days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
        weights = [WEEKDAY[day.weekday()] * MONTH[day.month - 1] for day in days]
        scale = total / sum(weights)
        counts, carry = {}, 0.0
        for day, weight in zip(days, weights, strict=True):
            carry += weight * scale
            counts[day] = int(carry)
            carry -= counts[day]
        return counts

    def filed_at(self, day: dt.date, channel: str) -> dt.datetime | None:
        """When a ticket of the channel is filed on `day` (None: the hotline is closed)."""
        rng, tz = self.rng, self.cast.tz
        if channel == Channel.PHONE:
            if not self.cast.hours.is_working_day(day):
                return None
            minute = rng.randrange(9 * 60, 17 * 60 + 50)
        elif channel == Channel.STORE:
            minute = rng.randrange(9 * 60, 21 * 60)
        else:
            minute = rng.randrange(7 * 60, 24 * 60)
        return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)

    def work(
        self,
        moment: dt.datetime,
        low: int,
        high: int | None = None,
        *,
        time: WorkingTime | None = None,
    ) -> dt.datetime:
        """`low`…`high` business minutes after `moment` (the desk's, or `time`'s)."""
        minutes = low if high is None else self.rng.randint(low, high)
        return (time or self.time).add(moment, minutes)

    def time_of(self, store: Store | None) -> WorkingTime:
        calendar = self.cast.calendars.get(store.region_id) if store is not None else None
        return self.times[calendar.pk] if calendar is not None else self.time

    def customer_later(
        self, moment: dt.datetime, low_hours: float, high_hours: float
    ) -> dt.datetime:
        """The customer answers `low`…`high` hours later, awake (8:00–23:00)."""
        hours = self.rng.uniform(low_hours, high_hours)
        later = (moment + dt.timedelta(hours=hours)).astimezone(self.cast.tz)
        later = later.replace(second=0, microsecond=0)
        if later.hour < 8:
            later = later.replace(hour=8 + self.rng.randint(0, 2), minute=self.rng.randint(0, 59))
        elif later.hour >= 23:
            later = (later + dt.timedelta(days=1)).replace(hour=9, minute=self.rng.randint(0, 59))
        return later

    def nightly_after(self, moment: dt.datetime) -> dt.datetime:
        local = moment.astimezone(self.cast.tz)
        night = dt.datetime.combine(local.date(), CLOSE_AT, tzinfo=self.cast.tz)
        return night if night > local else night + dt.timedelta(days=1)

    def policy(self, category: str, priority: str) -> SlaPolicy:
        key = (category, priority)
        if key not in self.policies:
            self.policies[key] = policy_for(category=category, priority=priority)
        return self.policies[key]

    # -- who and where --------------------------------------------------------------

    def customer(self, *, channel: str, email_share: float) -> Customer:
        rng = self.rng
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.64:  # women file most loyalty complaints
            first = rng.choice(FEMALE)
            last = surname[:-2] + "ёва" if surname.endswith("ёв") else surname + "а"
        else:
            first, last = rng.choice(MALE), surname
        phone = (
            f"+7 9{rng.randrange(100):02d} {rng.randrange(100, 1000)}-"
            f"{rng.randrange(10, 100)}-{rng.randrange(10, 100)}"
        )
        email = ""
        online = channel in (Channel.WEB, Channel.API)
        if (online or rng.random() < 0.3) and rng.random() < email_share:
            email = f"{latin(first)[0]}.{latin(last)}{rng.randrange(1, 100)}@"
            email += rng.choice(MAIL_DOMAINS)
        if channel == Channel.WEB and email and rng.random() < 0.2:
            phone = ""
        card = f"77{rng.randrange(10**10, 10**11)}" if rng.random() < 0.5 else ""
        return Customer(f"{last} {first}", phone, email, card)

    def store(self) -> Store:
        return self.stores.pick(self.rng)

    def purchase_store(self, day: dt.date, *, live: bool) -> Store:
        """The history's purchases on a day come from a few stores (a receipts query per
        store day, not per ticket); the last days' from any store."""
        if live:
            return self.store()
        if day not in self.day_stores:
            self.day_stores[day] = [self.store() for _ in range(STORES_A_DAY)]
        return self.rng.choice(self.day_stores[day])

    def receipts_of(self, store: Store, day: dt.date) -> list[ReceiptLookup]:
        key = (store.pk, day)
        if key not in self.receipts:
            self.receipts[key] = receipts_on(store_id=store.pk, day=day, limit=100)
        return self.receipts[key]

    def member(self, queue: Queue) -> User:
        return self.rng.choice(self.cast.members.get(queue.pk) or [self.cast.operator])

    def decider(self) -> User:
        if self.rng.random() < 0.5:
            return self.cast.supervisor
        return self.rng.choice(self.cast.supervisors)

    # -- tickets --------------------------------------------------------------------

    def priority(self, category: str) -> str:
        return PRIORITIES.get(category, PRIORITIES[""]).pick(self.rng)

    def day_tickets(self, day: dt.date, count: int, *, live: bool) -> list[HistorySpec]:
        specs = []
        for _ in range(count):
            category = CATEGORIES.pick(self.rng)
            channel = CHANNELS.get(category, CHANNELS[""]).pick(self.rng)
            at = self.filed_at(day, channel)
            if at is None:  # the hotline is closed: the customer writes instead
                channel = Channel.WEB
                at = self.filed_at(day, channel)
            specs += self.ticket(at, channel=channel, category=category, live=live)
        return specs

    def ticket(
        self, at: dt.datetime, *, channel: str, category: str, live: bool
    ) -> list[HistorySpec]:
        """The ticket's plan, and the plan of its duplicate when the customer wrote twice;
        cut at `now`."""
        from incidents.demo_story import Story

        story = Story(self, at, channel=channel, category=category, live=live)
        story.tell()
        specs = [story.spec]
        if self.rng.random() < DUPLICATED and story.open_until is not None:
            duplicate = story.duplicate()
            if duplicate is not None:
                specs.append(duplicate)
        now = self.now
        for spec in specs:
            if spec.steps and spec.steps[-1].at > now:
                spec.steps = [step for step in spec.steps if step.at <= now]
        return [spec for spec in specs if spec.at <= now]


def amount_drawn(rng: random.Random) -> Decimal:
    """A purchase's amount (log-normal around 1,200 ₽)."""
    return Decimal(round(rng.lognormvariate(7.1, 0.6), 2)).quantize(Decimal("0.01"))
