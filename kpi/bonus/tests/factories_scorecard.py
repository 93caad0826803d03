"""Building blocks of the scorecard and effect tests: store days, penetration plans,
schemes (created as HQ would, directly: the schemes' service is another area's) and
complaints filed through the desk's service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone

from incidents.services.intake import Intake, ticket_file
from kpi.bonus.models import Scheme
from kpi.models import Plan, StoreDay
from kpi.periods import Period, month_of
from portal.org.choices import Role
from portal.org.models import Region, Store, User
from portal.org.tests.factories import person

NOVEMBER = month_of(dt.date(2025, 11, 1))  # a month long past: every day of it counts


def fact(store: Store, day: dt.date, *, receipts: int, identified: int) -> StoreDay:
    """One store day: `receipts` receipts, `identified` of them with a card."""
    return StoreDay.objects.create(
        store=store,
        day=day,
        receipts=receipts,
        identified=identified,
        turnover=Decimal(1000 * receipts),
        lp_turnover=Decimal(1000 * identified),
        items=2 * receipts,
    )


def monthly_facts(store: Store, values: Iterable[tuple[dt.date, int, int]]) -> None:
    """Store days on the given days: (day, receipts, identified), in one INSERT."""
    StoreDay.objects.bulk_create(
        StoreDay(
            store=store,
            day=day,
            receipts=receipts,
            identified=identified,
            turnover=Decimal(1000 * receipts),
            lp_turnover=Decimal(1000 * identified),
            items=2 * receipts,
        )
        for day, receipts, identified in values
    )


def penetration_plan(
    target: int | str, period: Period = NOVEMBER, *, region: Region | None = None
) -> Plan:
    return Plan.objects.create(
        kpi="penetration",
        region=region,
        starts_on=period.start,
        ends_on=period.end,
        target=Decimal(target),
    )


def hq() -> User:
    return person(Role.LP_MANAGER)


def scheme(
    *,
    starts_on: dt.date,
    regions: Iterable[Region] = (),
    metric: str = "penetration",
    period: str = "month",
    created_by: User | None = None,
    name: str = "",
) -> Scheme:
    """An Avtorus-style zero-sum scheme on `metric` in `regions` (none: the network)."""
    regions = list(regions)
    made = Scheme.objects.create(
        name=name or f"Схема {', '.join(r.code for r in regions) or 'сеть'}",
        metric=metric,
        period=period,
        scope="region" if regions else "network",
        payees="staff",
        mode="zero_sum",
        award=Decimal(3000),
        deduction=Decimal(3000),
        deduction_cap=Decimal(5000),
        starts_on=starts_on,
        created_by=created_by or hq(),
    )
    made.regions.set(regions)
    return made


def complaint(store: Store, day: dt.date, *, category: str = "other"):
    """A complaint about `store` filed at the hotline at noon of `day`."""
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    return ticket_file(
        Intake(
            channel="phone",
            category=category,
            description="Кассир не предложил карту.",
            customer_name="Иванова Мария",
            customer_phone="+7 916 123-45-67",
            store=store,
        ),
        at=at,
    )
