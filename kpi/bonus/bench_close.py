"""The period close at two sizes: a region of 1,000 and one of 10,000 stores, 10 people
each (a manager and nine sellers), a month of store days, and a plan-threshold scheme on
each region (every store's people get a line: the heaviest close). The close of each is
drafted in turns, its statement removed between runs, so a shared machine's slower
minutes weigh on both sizes alike."""

from __future__ import annotations

import datetime as dt
import statistics
import time
from decimal import Decimal

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kpi.bonus.choices import Mode, Payees, PeriodKind, Scope, Split
from kpi.bonus.models import Scheme, Statement
from kpi.bonus.services.schemes import scheme_create
from kpi.bonus.services.statements import statement_draft
from kpi.models import Plan, StoreDay
from kpi.periods import Period, month_of
from portal.bench import bench_region_code, region_purge
from portal.org.choices import Role
from portal.org.models import Region, Store, User

PEOPLE_PER_STORE = 10
SMALL, LARGE = "bonus-s", "bonus-l"
PERIOD = month_of(dt.date(2026, 10, 1))


def cleanup() -> None:
    for size in (SMALL, LARGE):
        code = bench_region_code(size)
        Statement.objects.filter(scheme__name=f"bench {code}").delete()
        Scheme.objects.filter(name=f"bench {code}").delete()
        region_purge(code)
    User.objects.filter(personnel_number__startswith="BB-", role=Role.LP_MANAGER).delete()


def _chain(size: str, stores: int, period: Period) -> Region:
    """A region of `stores` stores with their people and a month of store days (bulk)."""
    code = bench_region_code(size)
    region = Region.objects.create(code=code, name=code)
    prefix = f"{size[-1].upper()}{stores}"
    made = Store.objects.bulk_create(
        Store(
            region=region,
            code=f"{prefix}-{n:05d}",
            name=f"{prefix} {n}",
            city="Bench",
            address="—",
            format="super",
            opened_on=dt.date(2020, 1, 1),
            lp_launch_date=dt.date(2024, 1, 1),
        )
        for n in range(stores)
    )
    User.objects.bulk_create(
        (
            User(
                personnel_number=f"BB-{store.code}-{k}",
                last_name="Bench",
                first_name=str(k),
                role=Role.STORE_MANAGER if k == 0 else Role.STORE_STAFF,
                store=store,
                hire_date=dt.date(2020, 1, 1),  # in place before the period: paid
                password="!",
            )
            for store in made
            for k in range(PEOPLE_PER_STORE)
        ),
        batch_size=5000,
    )
    days = []
    for n, store in enumerate(made):
        day = period.start
        while day <= period.end:
            identified = 40 + (n * 7 + day.day) % 30
            days.append(
                StoreDay(
                    store=store,
                    day=day,
                    receipts=100,
                    identified=identified,
                    turnover=Decimal(150_000),
                    lp_turnover=Decimal(1500 * identified),
                    items=300,
                )
            )
            day += dt.timedelta(days=1)
    StoreDay.objects.bulk_create(days, batch_size=10_000)
    Plan.objects.create(
        kpi="penetration", region=region, starts_on=period.start, ends_on=period.end, target=55
    )
    return region


def _scheme(region: Region, actor: User) -> Scheme:
    return scheme_create(
        actor=actor,
        regions=[region],
        name=f"bench {region.code}",
        metric="penetration",
        period=PeriodKind.MONTH,
        scope=Scope.REGION,
        payees=Payees.STAFF,
        mode=Mode.THRESHOLD,
        split=Split.EQUAL,
        award=Decimal(3000),
        deduction=Decimal(2000),
        deduction_cap=Decimal(10_000),
        starts_on=PERIOD.start,
    )


def _close_once(scheme: Scheme) -> tuple[int, float, int]:
    """(queries, seconds, lines) of one close of `scheme`; the statement is removed after."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        (statement,) = statement_draft(actor=None, scheme=scheme, period=PERIOD)
        elapsed = time.perf_counter() - started
    lines = statement.lines.count()
    with transaction.atomic():
        statement.lines.all().delete()
        statement.results.all().delete()
        statement.events.all().delete()
        statement.delete()
    return len(queries.captured_queries), elapsed, lines


def bench_close(*, small: int, large: int, runs: int, stdout) -> dict:
    """Grow both chains, then close each `runs` times in turns; the medians and counts."""
    actor = User.objects.create(
        personnel_number="BB-HQ", last_name="Bench", role=Role.LP_MANAGER, password="!"
    )
    started = time.perf_counter()
    schemes = {}
    for size, stores in ((SMALL, small), (LARGE, large)):
        schemes[size] = _scheme(_chain(size, stores, PERIOD), actor)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    stdout.write(f"grown {small} + {large} stores in {time.perf_counter() - started:.0f} s")
    timings: dict[str, list[float]] = {SMALL: [], LARGE: []}
    queries: dict[str, int] = {}
    lines: dict[str, int] = {}
    _close_once(schemes[SMALL])  # warm the caches of both sizes' first run alike
    for _run in range(runs):
        for size in (SMALL, LARGE):
            count, seconds, made = _close_once(schemes[size])
            timings[size].append(seconds)
            queries[size], lines[size] = count, made
    small_s, large_s = statistics.median(timings[SMALL]), statistics.median(timings[LARGE])
    for size, stores in ((SMALL, small), (LARGE, large)):
        stdout.write(
            f"close of {stores} stores: {queries[size]} queries, {lines[size]} lines, "
            f"median {statistics.median(timings[size]):.2f} s over {runs} runs"
        )
    return {
        "close_queries_small": queries[SMALL],
        "close_queries_large": queries[LARGE],
        "close_time_ratio": round(large_s / small_s, 2),
    }
