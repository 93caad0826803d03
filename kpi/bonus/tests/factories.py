"""A small chain for bonus tests: a region of stores with a month of store days at
chosen penetrations, their staff and managers, and schemes made through the service."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from kpi.bonus.choices import Mode, Payees, PeriodKind, Scope, Split
from kpi.bonus.models import Scheme
from kpi.bonus.services.schemes import scheme_create
from kpi.models import Plan, StoreDay
from kpi.periods import Period, month_of
from portal.org.choices import Role
from portal.org.models import Region, Store, User
from portal.org.tests.factories import RegionFactory, StoreFactory, person

OCTOBER = month_of(dt.date(2026, 10, 1))
RECEIPTS_PER_DAY = 100


@dataclass
class Chain:
    region: Region
    stores: list[Store]
    staff: dict[int, list[User]]  # store id → its people (the manager first)
    hq: User
    hq_second: User
    regional: User


def store_days(store: Store, period: Period, *, penetration: int) -> None:
    """Every day of `period`: 100 receipts, `penetration` of them identified."""
    day, rows = period.start, []
    while day <= period.end:
        rows.append(
            StoreDay(
                store=store,
                day=day,
                receipts=RECEIPTS_PER_DAY,
                identified=penetration,
                turnover=Decimal(100_000),
                lp_turnover=Decimal(1000 * penetration),
                items=300,
            )
        )
        day += dt.timedelta(days=1)
    StoreDay.objects.bulk_create(rows)


def chain(
    penetrations: list[int],
    *,
    period: Period = OCTOBER,
    staff_per_store: int = 3,
    code: str = "RX",
) -> Chain:
    """A region `code` whose i-th store has `penetrations[i]` % over `period`, one
    manager and `staff_per_store` sellers each."""
    region = RegionFactory(code=code, name=f"Регион {code}")
    stores, staff = [], {}
    for i, share in enumerate(penetrations, 1):
        store = StoreFactory(code=f"{code}{i:03d}", region=region)
        store_days(store, period, penetration=share)
        stores.append(store)
        staff[store.pk] = [person(Role.STORE_MANAGER, store=store)] + [
            person(Role.STORE_STAFF, store=store) for _ in range(staff_per_store)
        ]
    return Chain(
        region=region,
        stores=stores,
        staff=staff,
        hq=person(Role.LP_MANAGER),
        hq_second=person(Role.LP_MANAGER),
        regional=person(Role.REGIONAL_MANAGER, region=region),
    )


def plan(region: Region | None, period: Period, target: int, *, kpi: str = "penetration") -> Plan:
    return Plan.objects.create(
        kpi=kpi, region=region, starts_on=period.start, ends_on=period.end, target=target
    )


def scheme(actor: User, regions: list[Region], **overrides) -> Scheme:
    """An Avtorus-style scheme by default: zero-sum on penetration, monthly, each region
    separately, all staff, 3 and 3, 3,000 ₽, capped at 10,000 ₽."""
    fields = {
        "name": "Мотивация — демотивация",
        "metric": "penetration",
        "period": PeriodKind.MONTH,
        "scope": Scope.REGION,
        "payees": Payees.STAFF,
        "mode": Mode.ZERO_SUM,
        "split": Split.EQUAL,
        "top_n": 3,
        "bottom_n": 3,
        "award": Decimal(0),
        "deduction": Decimal(3000),
        "deduction_cap": Decimal(10_000),
        "starts_on": dt.date(2026, 1, 1),
    }
    fields.update(overrides)
    return scheme_create(actor=actor, regions=regions, **fields)
