"""The abuse-flag scan at volume (PostgreSQL): N receipts of one month grown by SQL over
a chain of its own (region BENCH-FLAGS, one store per 10,000 receipts), against a bare
`GROUP BY card_id` over the same receipts, timed in turns (a shared machine's slower
minutes then weigh on both alike).

The receipts look like a chain's: 55 % identified, cards drawn with a skew from a pool
of each store's returning customers (a customer back every three weeks or so), one
identified receipt in ten on a card of a neighbouring store, 1 % enrolments on new
cards, eight cashiers a store; and in one store in 250 one cashier rings their own card
on half their unidentified receipts (the pattern the scan must catch). The months
before hold store days only (the jump rule reads nothing else).

The bare GROUP BY runs as `SELECT count(*) FROM (… GROUP BY card_id)`: the database
groups every card but ships one row, so the comparison is not flattered by moving two
million rows to Python. It is timed with the session's settings and with the scan's
(`flag_scan.SCAN_SETTINGS`); the ratio reported is against the faster of the two.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time

from django.conf import settings
from django.db import connection, transaction

from kpi.bonus.selectors import flag_scan
from kpi.bonus.selectors.flags import flag_candidates
from kpi.choices import BatchSource, BatchStatus
from kpi.models import ImportBatch, StoreDay
from kpi.periods import month_of
from portal.bench import bench_region_code, bench_run, purge, region_purge
from portal.org.models import Region, Store

REGION = bench_region_code("flags")
BATCH = "bench_flags:receipts"
MONTH = month_of(dt.date(2026, 3, 1))
RECEIPTS_PER_STORE = 10_000
CASHIERS = 8
ABUSE_EVERY = 250  # stores
RUNS = 3

RECEIPTS_SQL = """
INSERT INTO kpi_receipt (store_id, receipt_id, issued_at, amount, items, card_id, cashier,
                         new_member, phone_captured, email_captured, batch_id)
SELECT s.ids[1 + g.s], 'BF-' || n, %(since)s + (n::float8 / %(total)s) * %(span)s,
       round((200 + 3000 * x.a)::numeric, 2), 1 + (x.a * 12)::int,
       CASE
         WHEN x.i < 0.01 THEN 'N' || n
         WHEN x.i < 0.55 THEN '77' || lpad(((g.s + CASE WHEN x.k < 0.9 THEN 0
                                                    ELSE 1 + (x.k * 30)::int %% 3 END)
                                             %% %(stores)s)::text, 5, '0')
                              || lpad(floor(%(pool)s * x.c ^ 1.5)::int::text, 7, '0')
         WHEN g.s %% %(abuse_every)s = 7 AND g.till = 0 AND x.a < 0.5
           THEN '79' || lpad(g.s::text, 9, '0')
         ELSE '' END,
       'B' || lpad(g.s::text, 5, '0') || g.till,
       x.i < 0.01, x.i < 0.009, x.i < 0.004, %(batch)s
FROM generate_series(0, %(total)s - 1) AS n,
     (SELECT %(store_ids)s::bigint[] AS ids) AS s,
     LATERAL (SELECT n %% %(stores)s AS s, (n / %(stores)s) %% %(cashiers)s AS till) AS g,
     LATERAL (SELECT random() + 0 * n AS a, random() + 0 * n AS i, random() + 0 * n AS c,
                     random() + 0 * n AS k OFFSET 0) AS x
"""
DAYS_SQL = """
INSERT INTO kpi_storeday (store_id, day, receipts, identified, turnover, lp_turnover, items,
                          distinct_cards, new_members, phones, emails, cards)
SELECT store_id, (issued_at AT TIME ZONE %(tz)s)::date, count(*),
       count(*) FILTER (WHERE card_id <> ''), sum(amount),
       coalesce(sum(amount) FILTER (WHERE card_id <> ''), 0), sum(items), 0,
       count(*) FILTER (WHERE new_member), count(*) FILTER (WHERE phone_captured),
       count(*) FILTER (WHERE email_captured), '[]'::jsonb
FROM kpi_receipt WHERE batch_id = %(batch)s GROUP BY 1, 2
"""
HISTORY_SQL = """
INSERT INTO kpi_storeday (store_id, day, receipts, identified, turnover, lp_turnover, items,
                          distinct_cards, new_members, phones, emails, cards)
SELECT s.id, d::date, %(per_day)s, %(identified)s, 0, 0, 0, 0, 0, 0, 0, '[]'::jsonb
FROM unnest(%(store_ids)s::bigint[]) AS s (id),
     generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
"""
BARE_SQL = (
    "SELECT count(*) FROM (SELECT card_id, count(*) FROM kpi_receipt "
    "WHERE issued_at >= %s AND issued_at < %s GROUP BY card_id) AS cards"
)


def cleanup() -> None:
    """Remove what a run made (also what a killed run left): receipts first, by SQL."""
    store_ids = list(Store.objects.filter(region__code=REGION).values_list("pk", flat=True))
    batch_ids = list(ImportBatch.objects.filter(filename=BATCH).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        if store_ids or batch_ids:
            cursor.execute(
                "DELETE FROM kpi_receipt WHERE store_id = ANY(%s) OR batch_id = ANY(%s)",
                [store_ids, batch_ids],
            )
    StoreDay.objects.filter(store_id__in=store_ids).delete()
    purge(ImportBatch.objects.filter(pk__in=batch_ids))
    region_purge(REGION)


def grow(receipts: int) -> list[int]:
    """The chain, its month of receipts and store days, and four months of store days
    before. Returns the store ids."""
    stores = max(10, receipts // RECEIPTS_PER_STORE)
    region = Region.objects.create(code=REGION, name="Нагрузочный тест: флаги")
    opened = dt.date(2020, 1, 1)
    Store.objects.bulk_create(
        Store(
            region=region,
            code=f"BFL-{n:05d}",
            name=f"Флаги {n}",
            city="Москва",
            address="—",
            format="super",
            opened_on=opened,
            lp_launch_date=opened,
        )
        for n in range(stores)
    )
    store_ids = list(
        Store.objects.filter(region=region).order_by("code").values_list("pk", flat=True)
    )
    batch = ImportBatch.objects.create(
        source=BatchSource.COMMAND, filename=BATCH, status=BatchStatus.APPLIED
    )
    since = flag_scan.local_midnight(MONTH.start)
    span = _span()
    per_store_day = receipts / stores / MONTH.days
    params = {
        "since": since,
        "span": span,
        "total": receipts,
        "stores": stores,
        "store_ids": store_ids,
        "cashiers": CASHIERS,
        "abuse_every": ABUSE_EVERY,
        "batch": batch.pk,
        # A returning customer every three weeks: the pool a store draws its cards from.
        "pool": max(50, int(per_store_day * 0.55 * 21)),
    }
    history_first = MONTH.start - dt.timedelta(days=4 * 31)
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(RECEIPTS_SQL, params)
        cursor.execute(DAYS_SQL, {"tz": settings.TIME_ZONE, "batch": batch.pk})
        cursor.execute(
            HISTORY_SQL,
            {
                "store_ids": store_ids,
                "first": history_first,
                "last": MONTH.start - dt.timedelta(days=1),
                "per_day": round(per_store_day),
                "identified": round(per_store_day * 0.55),
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE kpi_receipt")
        cursor.execute("ANALYZE kpi_storeday")
    return store_ids


def _span() -> dt.timedelta:
    return flag_scan.local_midnight(MONTH.end + dt.timedelta(days=1)) - flag_scan.local_midnight(
        MONTH.start
    )


def _bare(with_scan_settings: bool) -> float:
    with transaction.atomic(), connection.cursor() as cursor:
        if with_scan_settings:
            cursor.execute(flag_scan.SCAN_SETTINGS)
        started = time.perf_counter()
        since = flag_scan.local_midnight(MONTH.start)
        cursor.execute(BARE_SQL, [since, since + _span()])
        cursor.fetchall()
        return time.perf_counter() - started


def _scan() -> tuple[float, int]:
    started = time.perf_counter()
    found = flag_candidates(start=MONTH.start, end=MONTH.end)
    return time.perf_counter() - started, len(found)


def bench_flag_scan(*, receipts: int, stdout, runs: int = RUNS) -> dict:
    """Grow `receipts` receipts, time the bare GROUP BY card (both settings) and the flag
    scan `runs` times in turns, remove everything. Returns the figures:
    `flags_vs_groupby` (median scan / median of the faster bare), the medians in seconds
    and the flags found."""
    if connection.vendor != "postgresql":
        raise RuntimeError("the flag-scan bench needs PostgreSQL (generate_series, COPY)")

    def say(message: str) -> None:
        stdout.write(message + "\n")
        stdout.flush()

    with bench_run(cleanup):
        started = time.perf_counter()
        stores = grow(receipts)
        say(
            f"flags: {receipts:,} receipts over {len(stores):,} stores in {MONTH.label} "
            f"grown in {time.perf_counter() - started:.0f} s"
        )
        _scan()  # warm-up: the first read of the table pays for the cache
        bare, tuned, scan, found = [], [], [], 0
        for _run in range(runs):
            bare.append(_bare(False))
            tuned.append(_bare(True))
            seconds, found = _scan()
            scan.append(seconds)
            say(
                f"  run {_run + 1}: GROUP BY card {bare[-1]:.2f} s "
                f"(scan settings {tuned[-1]:.2f} s), flag scan {seconds:.2f} s, {found} flags"
            )
        groupby = min(statistics.median(bare), statistics.median(tuned))
        ratio = statistics.median(scan) / groupby
        say(
            f"flags: median GROUP BY card {statistics.median(bare):.2f} s "
            f"(scan settings {statistics.median(tuned):.2f} s), flag scan "
            f"{statistics.median(scan):.2f} s: ×{ratio:.2f}"
        )
    return {
        "flags_vs_groupby": round(ratio, 2),
        "flags_groupby_seconds": round(groupby, 2),
        "flags_scan_seconds": round(statistics.median(scan), 2),
        "flags_found": found,
    }
