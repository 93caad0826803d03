"""The reading status of one person and one page: a pure function, shared by every view."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from portal.sop.choices import ReadingStatus


@dataclass(frozen=True)
class VersionRef:
    """The page's current material version: what everyone must have confirmed."""

    id: int
    page_id: int
    revision_id: int
    published_at: datetime
    change_summary: str


@dataclass(frozen=True)
class AckRef:
    """The newest revision of a page a person confirmed."""

    revision_id: int
    acknowledged_at: datetime


@dataclass(frozen=True)
class Requirement:
    status: ReadingStatus
    due: date | None
    confirmed: AckRef | None

    @property
    def done(self) -> bool:
        return self.status == ReadingStatus.CONFIRMED

    @property
    def pending(self) -> bool:
        return not self.done


def requirement(
    *,
    version: VersionRef | None,
    ack: AckRef | None,
    due_days: int,
    started_on: date,
    today: date,
) -> Requirement:
    """Confirmed when the person confirmed the current material revision or a later one.

    Due `due_days` after the material revision was published, or after the person took up
    their position if that came later (new hires and transfers get the full period).
    """
    if version is None:  # never published as a readable page: nothing to confirm yet
        return Requirement(ReadingStatus.CONFIRMED, None, ack)
    if ack is not None and ack.revision_id >= version.revision_id:
        return Requirement(ReadingStatus.CONFIRMED, None, ack)
    published_on = timezone.localdate(version.published_at)
    due = max(published_on, started_on) + timedelta(days=due_days)
    if today > due:
        status = ReadingStatus.OVERDUE
    elif ack is not None:
        status = ReadingStatus.RECONFIRM
    else:
        status = ReadingStatus.TO_READ
    return Requirement(status, due, ack)
