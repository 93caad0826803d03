"""Pieces of `manage.py bench_kpi`: bench stores, bare COPY baselines, direct loads, the
leaderboard probe and the clean-up. PostgreSQL only; everything made here is named
in region BENCH-KPI (stores BENCH-KPI-0001…) or bench_kpi:… and removed by `bench_cleanup`."""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock
from pathlib import Path

from django.conf import settings
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpi.choices import BatchSource, BatchStatus
from kpi.models import ImportBatch, StoreDay
from kpi.services import day_bounds, store_days_refresh
from kpi.simulator import receipts_bulk_write
from portal.bench import bench_region_code, purge, region_purge
from portal.org.choices import Role, StoreFormat
from portal.org.models import Region, Store, User
from portal.org.second_factor.testing import SecondFactorClient

REGION = bench_region_code("kpi")
STORE_PREFIX = f"{REGION}-"
BATCH_PREFIX = "bench_kpi:"
MANAGER_EMAIL = "bench-kpi-lp@bench.local"
BARE_TABLE = "bench_kpi_bare"
RECEIPT_COLUMNS = (
    "store_id, receipt_id, issued_at, amount, items, card_id, cashier, new_member, "
    "phone_captured, email_captured"
)
CHUNK = 1 << 20


def bench_setup(stores: int) -> tuple[list[Store], User]:
    """`stores` supermarkets BENCH-KPI-0001… in region BENCH-KPI, and an LP manager to
    look (run it inside `portal.bench.bench_run(bench_cleanup)`)."""
    region = Region.objects.create(code=REGION, name="Нагрузочный тест")
    opened = date(2020, 1, 1)
    created = Store.objects.bulk_create(
        Store(
            region=region,
            code=f"{STORE_PREFIX}{n:04d}",
            name=f"Нагрузочный {n}",
            city="Москва",
            address="—",
            format=StoreFormat.SUPERMARKET,
            opened_on=opened,
            lp_launch_date=opened,
        )
        for n in range(1, stores + 1)
    )
    manager = User.objects.create(
        email=MANAGER_EMAIL,
        personnel_number="BKPI000001",
        last_name="Нагрузочная",
        first_name="Проверка",
        role=Role.LP_MANAGER,
        password="!",
    )
    return list(Store.objects.filter(pk__in=[s.pk for s in created]).order_by("code")), manager


def bench_cleanup() -> None:
    """Remove everything a bench run made (also what a failed run left). The receipts go
    first, by SQL: the generic `purge` would load them as objects."""
    store_ids = list(Store.objects.filter(region__code=REGION).values_list("pk", flat=True))
    batch_ids = list(
        ImportBatch.objects.filter(filename__startswith=BATCH_PREFIX).values_list("pk", flat=True)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        if store_ids or batch_ids:
            cursor.execute(
                "DELETE FROM kpi_receipt WHERE store_id = ANY(%s) OR batch_id = ANY(%s)",
                [store_ids, batch_ids],
            )
    StoreDay.objects.filter(store_id__in=store_ids).delete()
    purge(ImportBatch.objects.filter(pk__in=batch_ids))
    purge(User.objects.filter(email=MANAGER_EMAIL))
    region_purge(REGION)


def bench_batch(name: str) -> ImportBatch:
    return ImportBatch.objects.create(
        source=BatchSource.COMMAND, filename=f"{BATCH_PREFIX}{name}", status=BatchStatus.APPLIED
    )


def bare_copy(path: Path, *, indexed: bool) -> float:
    """Seconds of a bare COPY of the file into a table with kpi_receipt's column types (the
    store as its code, as in the file), without indexes or with only the unique
    (store, receipt) one. The table is dropped afterwards."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE_TABLE}")
        cursor.execute(
            f"CREATE TABLE {BARE_TABLE} (store_code varchar(20), receipt_id varchar(64), "
            "issued_at timestamptz, amount numeric(12, 2), items integer, "
            "card_id varchar(64), cashier varchar(20), new_member boolean, "
            "phone_captured boolean, email_captured boolean)"
        )
        if indexed:
            cursor.execute(f"CREATE UNIQUE INDEX ON {BARE_TABLE} (store_code, receipt_id)")
        started = time.perf_counter()
        with (
            path.open("rb") as source,
            cursor.cursor.copy(
                f"COPY {BARE_TABLE} FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';', "
                "ENCODING 'WIN1251')"
            ) as copy,
        ):
            while chunk := source.read(CHUNK):
                copy.write(chunk)
        seconds = time.perf_counter() - started
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
    return seconds


def direct_load(
    stores: Sequence[Store], days: Sequence[date], per_day: int, *, tag: str, seed: int
) -> int:
    """COPY generated receipts straight into kpi_receipt (no validation: bench data only)
    and refresh their store days. Returns the number of receipts."""
    batch = bench_batch(f"direct-{tag}")
    ids = [str(s.pk) for s in stores]
    written = 0
    with connection.cursor() as cursor:
        for day in days:
            noon = timezone.make_aware(datetime.combine(day, clock(12)))
            rows = io.BytesIO()
            written += receipts_bulk_write(
                rows,
                stores=ids,
                day=day,
                count=per_day,
                seed=seed,
                header=False,
                time_suffix=noon.strftime("%z"),
                tail=f";{batch.pk}",
                tag=tag,
            )
            with cursor.cursor.copy(
                f"COPY kpi_receipt ({RECEIPT_COLUMNS}, batch_id) FROM STDIN "
                "(FORMAT csv, DELIMITER ';', ENCODING 'WIN1251', FORCE_NOT_NULL (card_id, cashier))"
            ) as copy:
                copy.write(rows.getvalue())
    store_days_refresh(pairs=[(s.pk, day) for day in days for s in stores])
    return written


FACTS_SQL = (
    "SELECT store_id, count(*), count(*) FILTER (WHERE card_id <> ''), sum(amount), "
    "sum(amount) FILTER (WHERE card_id <> ''), sum(items), "
    "array_agg(DISTINCT card_id ORDER BY card_id) FILTER (WHERE card_id <> ''), "
    "count(*) FILTER (WHERE new_member), "
    "count(*) FILTER (WHERE phone_captured), count(*) FILTER (WHERE email_captured) "
    "FROM kpi_receipt WHERE issued_at >= %s AND issued_at < %s GROUP BY store_id"
)
COUNT_SUM_SQL = (
    "SELECT store_id, count(*), sum(amount) FROM kpi_receipt "
    "WHERE issued_at >= %s AND issued_at < %s GROUP BY store_id"
)


def groupby_seconds(day: date, sql: str = FACTS_SQL) -> float:
    """A bare GROUP BY of one day's receipts, written by hand: by default the same facts
    a store day holds (the list of distinct cards included); COUNT_SUM_SQL for count and
    sum only."""
    start, end = day_bounds(day)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        cursor.fetchall()
    return time.perf_counter() - started


def refresh_seconds(stores: Sequence[Store], day: date) -> float:
    started = time.perf_counter()
    store_days_refresh(pairs=[(s.pk, day) for s in stores])
    return time.perf_counter() - started


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _run in range(runs))


def leaderboard_probe(user: User, month: date, runs: int = 5) -> tuple[int, float]:
    """(SQL queries of one request, median seconds of `runs` requests) of the network
    penetration leaderboard for `month`, through the real view, after one warm-up."""
    host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
    # An LP manager passes the second factor, as after typing the code.
    client = SecondFactorClient(HTTP_HOST=host.lstrip("."))
    client.force_login(user)
    url = reverse("kpi:leaderboard")
    params = {"kpi": "penetration", "period": "month", "month": f"{month:%Y-%m}"}
    response = client.get(url, params)
    if response.status_code != 200:
        raise RuntimeError(f"leaderboard answered HTTP {response.status_code}")
    reset_queries()  # the log keeps 9,000 queries at most: a full log counts nothing
    with CaptureQueriesContext(connection) as queries:
        client.get(url, params)
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        client.get(url, params)
        times.append(time.perf_counter() - started)
    return len(queries.captured_queries), statistics.median(times)


def month_days(month: date) -> list[date]:
    following = (month + timedelta(days=32)).replace(day=1)
    return [month + timedelta(days=n) for n in range((following - month).days)]
