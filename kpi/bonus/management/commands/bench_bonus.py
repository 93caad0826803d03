"""`manage.py bench_bonus`: the period close for 1,000 and for 10,000 stores (10 people
each), and the abuse-flag scan over 10,000,000 receipts against a bare GROUP BY card over
the same receipts.

The close's SQL queries must be the same at both sizes and its time grow at most
linearly (ratio ≤ 12 for 10× the stores); the scan must stay within 2× of the GROUP BY.
The last line (one line):

    close_queries_small=… close_queries_large=… close_time_ratio=… flags_vs_groupby=…

A broken target fails the bench (exit status 1, the figures still on the last line).
Everything the bench makes is removed at the end, also after a failure."""

from __future__ import annotations

from os import environ as env_vars

from django.core.management.base import BaseCommand, CommandError

from kpi.bonus import bench_close, bench_flags
from portal.bench import bench_run

CLOSE_RATIO = 12
FLAGS_RATIO = 2


def env(name: str, default: int) -> int:
    return int(env_vars.get(name, str(default)))


class Command(BaseCommand):
    help = "Benchmark the bonus period close at two sizes and the abuse-flag scan."

    def add_arguments(self, parser):
        parser.add_argument("--small", type=int, default=env("BENCH_BONUS_SMALL", 1000))
        parser.add_argument("--large", type=int, default=env("BENCH_BONUS_LARGE", 10_000))
        parser.add_argument("--runs", type=int, default=env("BENCH_BONUS_RUNS", 3))
        parser.add_argument("--receipts", type=int, default=env("BENCH_BONUS_RECEIPTS", 10_000_000))

    def handle(self, *args, small, large, runs, receipts, **options):
        if not 0 < small < large:
            raise CommandError("--small must be above 0 and below --large")
        with bench_run(bench_close.cleanup):
            figures = bench_close.bench_close(
                small=small, large=large, runs=runs, stdout=self.stdout
            )
        figures |= bench_flags.bench_flag_scan(receipts=receipts, stdout=self.stdout)
        problems = []
        if figures["close_queries_small"] != figures["close_queries_large"]:
            problems.append("the close's queries grow with the stores")
        if figures["close_time_ratio"] > CLOSE_RATIO * large / small / 10:
            problems.append(f"the close grows faster than the stores (×{CLOSE_RATIO} allowed)")
        if figures["flags_vs_groupby"] > FLAGS_RATIO:
            problems.append(f"the flag scan is over ×{FLAGS_RATIO} a bare GROUP BY card")
        for problem in problems:
            self.stdout.write(f"FAILED: {problem}")
        self.stdout.write(
            " ".join(
                f"{key}={figures[key]}"
                for key in (
                    "close_queries_small",
                    "close_queries_large",
                    "close_time_ratio",
                    "flags_vs_groupby",
                )
            )
        )
        if problems:
            raise SystemExit(1)  # the figures stay the last line; FAILED lines name why
