"""Reporting periods of the leaderboards: an ISO week, a calendar month, or custom days.

Every period knows the period of the same kind just before it, which the leaderboard
compares against ("change vs previous period").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _

WEEK, MONTH, CUSTOM = "week", "month", "custom"
MAX_CUSTOM_DAYS = 366


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == WEEK:
            year, week, _day = self.start.isocalendar()
            return _("week %(w)s of %(y)s (%(s)s – %(e)s)") % {
                "w": week,
                "y": year,
                "s": formats.date_format(self.start, "d.m"),
                "e": formats.date_format(self.end, "d.m.Y"),
            }
        if self.kind == MONTH:
            return formats.date_format(self.start, "F Y")
        return (
            f"{formats.date_format(self.start, 'd.m.Y')} – {formats.date_format(self.end, 'd.m.Y')}"
        )

    @property
    def slug(self) -> str:
        """Part of a file name: 2026-10, 2026-W47 or 2026-10-01_2026-10-15."""
        if self.kind == WEEK:
            year, week, _day = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        return f"{self.start}_{self.end}"

    def query(self) -> dict[str, str]:
        """The GET parameters that select this period again."""
        if self.kind == WEEK:
            return {"period": WEEK, "week": self.slug}
        if self.kind == MONTH:
            return {"period": MONTH, "month": self.slug}
        return {"period": CUSTOM, "start": self.start.isoformat(), "end": self.end.isoformat()}

    def previous(self) -> Period:
        if self.kind == MONTH:
            return month_of(self.start - timedelta(days=1))
        return Period(
            self.kind, self.start - timedelta(days=self.days), self.start - timedelta(days=1)
        )

    def shifted(self, steps: int) -> Period:
        period = self
        for _step in range(abs(steps)):
            period = period.previous() if steps < 0 else period._next()
        return period

    def _next(self) -> Period:
        if self.kind == MONTH:
            return month_of(self.end + timedelta(days=1))
        return Period(self.kind, self.end + timedelta(days=1), self.end + timedelta(days=self.days))


def week_of(day: date) -> Period:
    start = day - timedelta(days=day.weekday())
    return Period(WEEK, start, start + timedelta(days=6))


def month_of(day: date) -> Period:
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return Period(MONTH, start, following - timedelta(days=1))


class PeriodError(ValueError):
    """A period that does not exist; the message says why."""


def week_named(value: str) -> Period:
    """The ISO week written as in `Period.slug` (2026-W47), as `<input type=week>` sends it."""
    try:
        year, week = value.split("-W")
        return week_of(date.fromisocalendar(int(year), int(week), 1))
    except (ValueError, TypeError) as error:
        raise PeriodError(_("Enter a week as 2026-W47.")) from error


def month_named(value: str) -> Period:
    """The month written as in `Period.slug` (2026-10), as `<input type=month>` sends it."""
    try:
        year, month = value.split("-")
        return month_of(date(int(year), int(month), 1))
    except (ValueError, TypeError) as error:
        raise PeriodError(_("Enter a month as 2026-10.")) from error


def custom_period(start: date, end: date) -> Period:
    """The days from `start` to `end` inclusive: at most a year, not ending before it starts."""
    if end < start:
        raise PeriodError(_("The period ends before it starts."))
    if (end - start).days >= MAX_CUSTOM_DAYS:
        raise PeriodError(_("A custom period may be at most a year long."))
    return Period(CUSTOM, start, end)


@dataclass(frozen=True)
class DefaultPeriod:
    """The period a board shows when none is asked for, and the running period it passed
    over (with its days of data) when that one is still too short to rank fairly."""

    shown: Period
    running: Period | None = None
    running_days: int = 0


def default_period(kind: str, *, latest_day: date | None, min_days: int) -> DefaultPeriod:
    """The running week or month (the one holding the latest receipts) once it has
    `min_days` days of data, or all of its days when it is shorter; until then the last
    complete one, since a minimum volume over a day or two ranks almost nobody."""
    day = latest_day or timezone.localdate() - timedelta(days=1)
    running = week_of(day) if kind == WEEK else month_of(day)
    days = (day - running.start).days + 1
    if latest_day is None or days >= min(min_days, running.days):
        return DefaultPeriod(running)
    return DefaultPeriod(running.previous(), running, days)
