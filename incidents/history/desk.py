"""What the services read from the database, read once for the whole build."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db.models import F

from incidents.models import CannedReply, Queue, SlaCalendar, SlaPolicy, Ticket
from incidents.services.clock import calendar_for, policy_for
from incidents.services.intake import _number, queue_for
from portal.org.models import User


class _Desk:
    """What the services read from the database on every call, read once: the queues by
    category, the policies and calendars, the round robin's turn."""

    def __init__(self) -> None:
        from incidents.rules import DESK_ROLES

        self.desk_roles = DESK_ROLES
        self.queues: dict[str, Queue] = {}
        self.policies: dict[tuple[str, str], SlaPolicy] = {}
        self.calendars: dict[int | None, SlaCalendar] = {}
        self.members: dict[int, list[User]] = {}
        self.turn: dict[int, int | None] = {}
        self.numbers: list[str] = []
        self.canned_uses: Counter[int] = Counter()
        self.regional_after = settings.INCIDENTS_REGIONAL_AFTER_MINUTES
        # A new ticket's field values by attribute, in the model's order (built from them
        # positionally: the model's fast way).
        self.blank = {f.attname: f.get_default() for f in Ticket._meta.concrete_fields}

    @classmethod
    def load(cls) -> _Desk:
        desk = cls()
        for queue in Queue.objects.all():
            desk.members[queue.pk] = list(
                queue.members.filter(is_active=True, role__in=desk.desk_roles).order_by("pk")
            )
            desk.turn[queue.pk] = queue.last_assignee_id
        return desk

    def queue(self, category: str) -> Queue:
        if category not in self.queues:
            self.queues[category] = queue_for(category)
        return self.queues[category]

    def policy(self, category: str, priority: str) -> SlaPolicy:
        key = (category, priority)
        if key not in self.policies:
            self.policies[key] = policy_for(category=category, priority=priority)
        return self.policies[key]

    def calendar(self, region_id: int | None) -> SlaCalendar:
        if region_id not in self.calendars:
            self.calendars[region_id] = calendar_for(region_id=region_id)
        return self.calendars[region_id]

    def round_robin(self, queue: Queue) -> User | None:
        """`round_robin_next`: the member after the last one given a ticket (by id)."""
        members = self.members.get(queue.pk, [])
        if not members:
            return None
        last = self.turn.get(queue.pk) or 0
        chosen = next((member for member in members if member.pk > last), members[0])
        self.turn[queue.pk] = chosen.pk
        return chosen

    def numbers_draw(self, count: int) -> None:
        """Numbers for the next `count` tickets, none of them taken (`ticket_file` draws
        one and tries again on a collision; here a chunk's are checked at once)."""
        drawn: set[str] = set()
        while len(drawn) < count:
            fresh = {_number() for _ in range(count - len(drawn))} - drawn
            taken = Ticket.objects.filter(number__in=fresh).values_list("number", flat=True)
            drawn |= fresh - set(taken)
        self.numbers = list(drawn)

    def number(self) -> str:
        return self.numbers.pop()

    def save(self) -> None:
        """The round robin's turn and the canned replies' counts, as the services keep them."""
        for queue_id, last in self.turn.items():
            Queue.objects.filter(pk=queue_id).exclude(last_assignee_id=last).update(
                last_assignee_id=last
            )
        for canned_id, uses in self.canned_uses.items():
            CannedReply.objects.filter(pk=canned_id).update(uses=F("uses") + uses)
