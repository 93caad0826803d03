"""Business time: working hours on a calendar (time zone, hours of a working day, working
weekdays, Russia's public holidays and transferred working days from the `holidays`
package). Pure functions of their arguments, exact to the minute, no database.

    hours = BusinessHours.of(tz="Asia/Yekaterinburg", opens=time(9), closes=time(18))
    hours.add(start, 240)            # the moment 240 working minutes after `start`
    hours.minutes_between(a, b)      # working minutes in [a, b)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

MAX_DAYS = 3 * 366  # a target further than three years away is a configuration error


@lru_cache(maxsize=64)
def russian_calendar(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """Russia's days off (public holidays and the days off moved onto weekdays) and its
    transferred working days (Saturdays worked in exchange) for a year."""
    days = holidays.country_holidays("RU", years=year)
    return frozenset(days.keys()), frozenset(getattr(days, "weekend_workdays", ()))


@dataclass(frozen=True)
class BusinessHours:
    tz: ZoneInfo
    opens: dt.time
    closes: dt.time
    weekdays: frozenset[int] = frozenset({1, 2, 3, 4, 5})  # ISO: 1 = Monday
    public_holidays: bool = True
    extra_days_off: frozenset[dt.date] = field(default_factory=frozenset)

    @classmethod
    def of(
        cls,
        *,
        tz: str,
        opens: dt.time,
        closes: dt.time,
        weekdays: str | frozenset[int] = frozenset({1, 2, 3, 4, 5}),
        public_holidays: bool = True,
    ) -> BusinessHours:
        if isinstance(weekdays, str):
            weekdays = frozenset(int(day) for day in weekdays.split(",") if day.strip())
        if not opens < closes:
            raise ValueError("opens must be before closes")
        return cls(ZoneInfo(tz), opens, closes, frozenset(weekdays), public_holidays)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.extra_days_off:
            return False
        if self.public_holidays:
            days_off, workdays = russian_calendar(day.year)
            if day in workdays:
                return True
            if day in days_off:
                return False
        return day.isoweekday() in self.weekdays

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        return (
            dt.datetime.combine(day, self.opens, tzinfo=self.tz),
            dt.datetime.combine(day, self.closes, tzinfo=self.tz),
        )

    def add(self, start: dt.datetime, minutes: int) -> dt.datetime:
        """The moment when `minutes` working minutes have passed since `start` (0 minutes
        from outside working hours: the next opening). Returned in the calendar's zone."""
        if minutes < 0:
            raise ValueError("minutes must not be negative")
        left = dt.timedelta(minutes=minutes)
        moment = start.astimezone(self.tz)
        day = moment.date()
        for _ in range(MAX_DAYS):
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin = max(moment, opens)
                if begin < closes or (begin == closes and not left):
                    if begin + left <= closes:
                        return begin + left
                    left -= closes - begin
            day += dt.timedelta(days=1)
            moment = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        raise ValueError("the target lies more than three years ahead")

    def minutes_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working minutes between `start` and `end`; negative when end < start."""
        if end < start:
            return -self.minutes_between(end, start)
        start, end = start.astimezone(self.tz), end.astimezone(self.tz)
        total = dt.timedelta(0)
        day = start.date()
        for _ in range((end.date() - day).days + 1):
            if self.is_working_day(day):
                opens, closes = self._window(day)
                begin, finish = max(start, opens), min(end, closes)
                if finish > begin:
                    total += finish - begin
            day += dt.timedelta(days=1)
        return int(total.total_seconds() // 60)
