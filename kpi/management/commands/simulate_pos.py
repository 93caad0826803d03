"""`manage.py simulate_pos`: simulated POS receipts, loaded through the upload's import.

One file per month (or per day with --daily) for the active stores, loaded with
`receipts_import` like any bulk file; with --out the files are only written. The same
seed gives the same receipts, so running it again loads nothing new.
"""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kpi.choices import BatchSource
from kpi.services import receipts_import
from kpi.simulator import MOTIVATION_START, PosSimulator, cashiers_by_store, months, store_profiles
from portal.imports.errors import ImportRejected
from portal.org.models import Store


class Command(BaseCommand):
    help = "Simulate POS receipts for the active stores and load them (or write them, --out)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="days up to --end")
        parser.add_argument("--end", type=date.fromisoformat, help="last day (default yesterday)")
        parser.add_argument("--scale", type=float, default=1.0, help="volume factor")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--daily", action="store_true", help="one file per day")
        parser.add_argument("--stores", nargs="+", metavar="CODE", help="only these stores")
        parser.add_argument(
            "--motivation-start",
            type=date.fromisoformat,
            default=MOTIVATION_START,
            help="when the motivation scheme starts lifting some stores' penetration",
        )
        parser.add_argument("--utf8", action="store_true", help="UTF-8 instead of cp1251")
        parser.add_argument("--out", type=Path, help="write the files here, do not load them")

    def handle(self, *args, **options):
        end = options["end"] or timezone.localdate() - timedelta(days=1)
        if end >= timezone.localdate():
            raise CommandError("--end must be in the past (the import refuses future receipts)")
        if options["days"] < 1 or options["scale"] <= 0:
            raise CommandError("--days and --scale must be positive")
        start = end - timedelta(days=options["days"] - 1)
        stores = Store.objects.filter(is_active=True).order_by("code")
        if options["stores"]:
            stores = stores.filter(code__in=options["stores"])
        stores = list(stores)
        if not stores:
            raise CommandError("no active stores to simulate")
        codes = [s.code for s in stores]
        encoding = "utf-8" if options["utf8"] else "cp1251"
        simulator = PosSimulator(
            store_profiles(stores, seed=options["seed"], cashiers=cashiers_by_store(codes)),
            seed=options["seed"],
            scale=options["scale"],
            motivation_start=options["motivation_start"],
            decimal_comma=not options["utf8"],
        )
        if options["out"]:
            options["out"].mkdir(parents=True, exist_ok=True)
        periods = _days(start, end) if options["daily"] else months(start, end)
        totals = [0, 0]
        for first, last in periods:
            name = f"receipts-{first:%Y-%m-%d}" + ("" if first == last else f"-{last:%Y-%m-%d}")
            content = simulator.csv_bytes(first, last, encoding=encoding)
            rows = content.count(b"\n") - 1
            if not rows:
                self.stdout.write(f"{name}: no receipts (no store open)")
                continue
            if options["out"]:
                (options["out"] / f"{name}.csv").write_bytes(content)
                totals[0] += rows
                self.stdout.write(f"{name}.csv: rows={rows} written")
                continue
            started = time.perf_counter()
            try:
                batch = receipts_import(
                    actor=None,
                    content=content,
                    filename=f"simulate_pos:{name}.csv",
                    source=BatchSource.COMMAND,
                )
            except ImportRejected as rejected:
                for error in rejected.errors[:20]:
                    self.stderr.write(f"  {error}")
                raise CommandError(f"{name}: rejected, nothing written") from rejected
            totals[0] += batch.rows
            totals[1] += batch.inserted
            self.stdout.write(
                f"{name}.csv: rows={batch.rows} new={batch.inserted} "
                f"already_loaded={batch.already_loaded} seconds={time.perf_counter() - started:.1f}"
            )
        verb = "written" if options["out"] else f"loaded, new={totals[1]}"
        self.stdout.write(f"stores={len(stores)} days={options['days']} rows={totals[0]} {verb}")


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day, day
        day += timedelta(days=1)
