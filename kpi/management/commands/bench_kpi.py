"""`manage.py bench_kpi`: receipts ingestion, store-day refresh and the leaderboard at
volume, on PostgreSQL.

1. Ingestion: the portal's import (`receipts_import`, validation included) of a file of
   N receipts against a bare COPY of the same bytes into an unindexed table (and, for
   reference, into a table with only the unique (store, receipt) index).
2. Refresh: `store_days_refresh` of one day holding N/5 receipts across the bench stores
   against a bare GROUP BY of the same rows (median of 3 each).
3. Leaderboard: SQL queries and median time of the real view (test client, an LP
   manager) with N/5 receipts loaded and again with 2N (10× as many).

Everything the bench makes is removed at the end. The last line holds the figures.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from kpi import bench
from kpi.choices import BatchSource
from kpi.services import receipts_import
from kpi.simulator import receipts_bulk_file
from portal.bench import bench_run
from portal.org.models import Store


class Command(BaseCommand):
    help = "Benchmark receipts ingestion, store-day refresh and the leaderboard (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--receipts",
            type=int,
            # `make bench` passes its arguments to every bench command: the variable sets
            # the size for this one alone (BENCH_KPI_RECEIPTS=200000 make bench).
            default=int(os.environ.get("BENCH_KPI_RECEIPTS", "5000000")),
            help="receipts in the ingested file; every other size follows (N/5, 2N)",
        )
        parser.add_argument("--stores", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, receipts, stores, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_kpi needs PostgreSQL in DATABASE_URL (make bench starts one); "
                "it times COPY and PostgreSQL plans, which SQLite does not have"
            )
        if receipts < stores * 5 or stores < 1:
            raise CommandError("--receipts must be at least 5 × --stores")
        self.seed = seed
        # The board shows `month` and compares it with the month before; the ingested file
        # falls on five days of the month before that, outside both.
        month = (timezone.localdate().replace(day=1) - timedelta(days=40)).replace(day=1)
        shown = bench.month_days(month) + bench.month_days(_month_before(month))
        earlier = bench.month_days(_month_before(_month_before(month)))
        ingest_days = earlier[2:7]
        started = time.perf_counter()
        with bench_run(bench.bench_cleanup):
            bench_stores, manager = bench.bench_setup(stores)
            self._say(f"setup: {len(bench_stores)} stores in region {bench.REGION}")
            with tempfile.TemporaryDirectory(prefix="bench_kpi-") as work:
                figures = self._run(
                    Path(work), receipts, bench_stores, manager, month, shown, earlier, ingest_days
                )
        self._say("clean-up: bench stores, receipts, batches and store days removed")
        self._say(f"total {time.perf_counter() - started:.0f} s")
        self.stdout.write(figures)

    def _run(self, work, receipts, stores, manager, month, shown, earlier, ingest_days) -> str:
        fifth = receipts // 5
        # Leaderboard with N/5 receipts: spread over the month shown and the one before.
        self._say(f"load: {fifth} receipts over {len(shown)} days (bare COPY + refresh) …")
        small = bench.direct_load(stores, shown, fifth // len(shown), tag="s", seed=self.seed)
        lb_small = bench.leaderboard_probe(manager, month)
        self._say(
            f"leaderboard {month:%Y-%m} with {small} receipts: queries={lb_small[0]} "
            f"median={lb_small[1] * 1000:.0f} ms"
        )
        # Ingestion.
        path = work / "receipts.csv"
        generated = time.perf_counter()
        rows = receipts_bulk_file(
            path, ingest_days, fifth, stores=[s.code for s in stores], seed=self.seed
        )
        self._say(
            f"file: {rows} receipts, {path.stat().st_size / 1e6:.0f} MB, generated in "
            f"{time.perf_counter() - generated:.1f} s"
        )
        bare = bench.bare_copy(path, indexed=False)
        self._say(f"bare COPY, unindexed table: {bare:.1f} s, {rows / bare:,.0f} rows/s")
        indexed = bench.bare_copy(path, indexed=True)
        self._say(
            f"bare COPY, unique (store, receipt) index only: {indexed:.1f} s, "
            f"{rows / indexed:,.0f} rows/s"
        )
        portal, refresh = self._import(path, rows)
        # Refresh of one day.
        day = ingest_days[0]
        refresh_day = bench.median_of(3, lambda: bench.refresh_seconds(stores, day))
        groupby = bench.median_of(3, lambda: bench.groupby_seconds(day))
        count_sum = bench.median_of(3, lambda: bench.groupby_seconds(day, bench.COUNT_SUM_SQL))
        self._say(
            f"refresh {day} ({fifth} receipts, {len(stores)} stores): "
            f"store_days_refresh={refresh_day * 1000:.0f} ms, bare GROUP BY of the same "
            f"facts={groupby * 1000:.0f} ms, of count and sum only={count_sum * 1000:.0f} ms "
            f"(medians of 3; refresh / count-and-sum = {refresh_day / count_sum:.1f})"
        )
        # Leaderboard with 2N receipts: more on the same days, and more history.
        extra_days = shown + [d for d in earlier if d not in ingest_days]
        extra = 2 * receipts - small - rows
        self._say(f"load: {extra} more receipts over {len(extra_days)} days …")
        large = (
            small
            + rows
            + bench.direct_load(
                stores, extra_days, extra // len(extra_days), tag="l", seed=self.seed
            )
        )
        lb_large = bench.leaderboard_probe(manager, month)
        self._say(
            f"leaderboard {month:%Y-%m} with {large} receipts: queries={lb_large[0]} "
            f"median={lb_large[1] * 1000:.0f} ms"
        )
        return (
            f"ingest_vs_copy={rows / portal / (rows / bare):.2f} "
            f"refresh_vs_groupby={refresh_day / groupby:.1f} "
            f"lb_queries_small={lb_small[0]} lb_queries_large={lb_large[0]} "
            f"lb_time_ratio={lb_large[1] / lb_small[1]:.1f}"
        )

    def _import(self, path: Path, rows: int) -> tuple[float, float]:
        """Seconds of receipts_import and of the store-day refresh it queues after commit
        (told apart by a marker queued first, which runs right after the commit)."""
        marks: list[float] = []
        started = time.perf_counter()
        with transaction.atomic():
            transaction.on_commit(lambda: marks.append(time.perf_counter()))
            batch = receipts_import(
                actor=None,
                content=path.read_bytes(),
                filename=f"{bench.BATCH_PREFIX}receipts.csv",
                source=BatchSource.COMMAND,
                stores=Store.objects.filter(region__code=bench.REGION),
            )
        finished = time.perf_counter()
        portal, refresh = marks[0] - started, finished - marks[0]
        if batch.inserted != rows:
            raise CommandError(f"import inserted {batch.inserted} of {rows} receipts")
        self._say(f"receipts_import: {portal:.1f} s, {rows / portal:,.0f} rows/s")
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self._say(f"  its store-day refresh after commit: {refresh:.1f} s")
        else:
            self._say("  its store-day refresh went to the Celery workers (not timed)")
        return portal, refresh

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()


def _month_before(month: date) -> date:
    return (month - timedelta(days=1)).replace(day=1)
