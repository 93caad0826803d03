"""Escalation ladders as data: who hears of a person's pending item, and when.

    READING = Ladder(
        "sop.reading",
        (
            Rung(step=0, day=-2, audience=LadderAudience.PERSON),
            Rung(step=1, day=1, audience=LadderAudience.STORE_MANAGERS),
            Rung(step=2, day=8, audience=LadderAudience.REGION_MANAGERS),
        ),
    )
    managers = LadderRecipients.load()         # one query, for the whole run
    for rung in READING.reached(anchor=due_on, today=today):
        for recipient in managers.of(rung, person):
            messages.append(Message(recipient=recipient, key=..., step=rung.step, ...))
    notify_many(messages)

`day` counts from the anchor (a due date, an expiry date): -2 is two days before it, 1 the
day after. The step number is part of the notification's unique key, so each rung goes
out once per recipient whatever the number of runs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from portal.notify.choices import LadderAudience
from portal.org.choices import Role
from portal.org.models import User


@dataclass(frozen=True)
class Rung:
    step: int
    day: int
    audience: LadderAudience


@dataclass(frozen=True)
class Ladder:
    """Rungs in order of `day`. `latest_only`: once a later rung is reached, the earlier
    ones are not sent any more (a person told «overdue» need not hear «due soon»)."""

    name: str
    rungs: tuple[Rung, ...]
    latest_only: bool = False

    def reached(self, *, anchor: date, today: date) -> list[Rung]:
        reached = [rung for rung in self.rungs if today >= anchor + timedelta(days=rung.day)]
        return reached[-1:] if self.latest_only else reached

    def first_day(self, anchor: date) -> date:
        """The first day any rung of an item with this anchor is due."""
        return anchor + timedelta(days=min(rung.day for rung in self.rungs))


@dataclass
class LadderRecipients:
    """The active store and region managers of the whole chain, read once per run."""

    store_managers: dict[int, list[User]]
    region_managers: dict[int, list[User]]

    @classmethod
    def load(cls) -> LadderRecipients:
        stores: dict[int, list[User]] = defaultdict(list)
        regions: dict[int, list[User]] = defaultdict(list)
        for person in User.objects.filter(
            is_active=True, role__in=[Role.STORE_MANAGER, Role.REGIONAL_MANAGER]
        ).order_by("pk"):
            if person.role == Role.STORE_MANAGER and person.store_id:
                stores[person.store_id].append(person)
            elif person.role == Role.REGIONAL_MANAGER and person.region_id:
                regions[person.region_id].append(person)
        return cls(store_managers=stores, region_managers=regions)

    def of(self, rung: Rung, person: User) -> list[User]:
        """Who hears of `person`'s item at this rung. A manager late with their own item
        hears of it as the person, not a second time as their own manager."""
        if rung.audience == LadderAudience.PERSON:
            return [person]
        if rung.audience == LadderAudience.STORE_MANAGERS:
            found = self.store_managers.get(person.store_id, []) if person.store_id else []
        else:
            region_id = person.store.region_id if person.store_id else person.region_id
            found = self.region_managers.get(region_id, []) if region_id else []
        return [manager for manager in found if manager.pk != person.pk]
