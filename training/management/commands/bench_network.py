"""`manage.py bench_network`: the network's reading pages at 80 and at 1,000 stores.

The bench chain grows through the portal's own org imports (stores and staff files) to
80 stores (about 1,240 people), then to 1,000 stores (about 15,500 people); a library of
SOP pages is published through Wagtail and confirmed through the paper-batch service
(about nine confirmations a person), and the sellers hold about 1.5 exam attempts each
with their certificates and open assignments. At each size it prints the SQL queries,
median time and size of the HQ dashboard, the compliance page and its CSV, the training
reports and the network KPI board, as an LP manager sees them. The chain at the small
size is kept as a copy of the database (`CREATE DATABASE … TEMPLATE`), so that the timed
requests alternate between the two sizes: a shared machine's slower minutes then weigh on
both alike (run one after the other, the same page measured ×1.4 in one run and ×2.6 in
the next). The last line:

    network_queries_small=… network_queries_large=… network_time_ratio=…

(queries summed over the five pages; the ratio is the worst page's large / small median).
Everything the bench makes is removed at the end, also after a failure.
"""

from __future__ import annotations

import time
from os import environ as env_vars

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse

from portal.bench import SmallCopy, bench_run, page_probe_pair, probe_client
from portal.org.choices import Role
from training import bench_network as bench


def env(name: str, default: int) -> str:
    return env_vars.get(name, str(default))


PAGES = (
    ("HQ dashboard", "home:dashboard", ""),
    ("compliance", "sop:compliance", ""),
    ("compliance CSV", "sop:compliance", "?format=csv"),
    ("training reports", "training:coverage", ""),
    ("KPI board", "kpi:leaderboard", ""),
)


class Command(BaseCommand):
    help = "Benchmark the network's reading pages at 80 and at 1,000 stores (PostgreSQL)."

    def add_arguments(self, parser):
        # `make bench` passes ARGS to one command only: the variables size this one alone
        # (BENCH_NETWORK_LARGE=300 make bench).
        parser.add_argument(
            "--small", type=int, default=int(env("BENCH_NETWORK_SMALL", 80)), help="stores first"
        )
        parser.add_argument(
            "--large", type=int, default=int(env("BENCH_NETWORK_LARGE", 1000)), help="then"
        )
        parser.add_argument(
            "--runs", type=int, default=int(env("BENCH_NETWORK_RUNS", 5)), help="timed requests"
        )

    def handle(self, *args, small, large, runs, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_network needs PostgreSQL in DATABASE_URL (make bench)")
        if not 0 < small < large <= 9999:
            raise CommandError("--small must be below --large (at most 9,999 stores)")
        started = time.perf_counter()
        main = connection.settings_dict["NAME"]
        copy = SmallCopy(main)
        with bench_run(self._cleanup), copy:
            library = self._grow(1, small, pages=None)
            client = probe_client(bench.probe_manager())
            try:
                copy.take()  # the chain at `small` stores, signed in: measured beside the large
                self._grow(small + 1, large, pages=library)
                before, after = self._measure(client, copy, runs, small=small, large=large)
            finally:
                copy.use(main)
                client.logout()
        self._say(f"total {time.perf_counter() - started:.0f} s")
        ratios = {label: after[label][1] / before[label][1] for label, _name, _query in PAGES}
        worst = max(ratios, key=ratios.get)
        self._say(f"worst page: {worst} (×{ratios[worst]:.2f})")
        self.stdout.write(
            f"network_queries_small={sum(q for q, _t, _s in before.values())} "
            f"network_queries_large={sum(q for q, _t, _s in after.values())} "
            f"network_time_ratio={ratios[worst]:.2f}"
        )

    def _grow(self, first: int, last: int, *, pages):
        say = self._say
        with transaction.atomic():
            people = bench.timed(
                say,
                f"org imports: stores {first}-{last} and their people",
                lambda: bench.chain_import(first, last),
            )
        say(f"  {people} people in the staff file")
        with transaction.atomic():
            if pages is None:
                pages = bench.timed(say, "SOP library published", bench.library_publish)
            newcomers = [
                p
                for p in bench.bench_people()
                if p.store_id
                and bench.store_code(first) <= p.store.code <= bench.store_code(last)
                or (p.store_id is None and first == 1)
            ]
            made = bench.timed(
                say,
                "confirmations",
                lambda: bench.confirmations_record(pages, newcomers, seed=first),
            )
            say(f"  {made} confirmations")
            exam = bench.exam_ensure()
            sellers = [p for p in newcomers if p.role == Role.STORE_STAFF]
            attempts = bench.timed(
                say, "attempts", lambda: bench.attempts_record(exam, sellers, seed=first)
            )
            say(f"  {attempts} attempts of {len(sellers)} sellers")
        # Statistics as autovacuum would gather them after a load this size: measured
        # before it had, the same page at 80 stores took 64 ms in one run and 248 in the
        # next (the planner guessing at freshly filled tables).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        return pages

    def _measure(self, client, copy, runs: int, *, small: int, large: int):
        """Each page at both sizes, the timed requests taken in turns (small, large, small,
        …) so that the shared machine's slower minutes weigh on both sizes alike."""
        before, after = {}, {}
        for label, name, query in PAGES:
            url = reverse(name) + query
            before[label], after[label] = page_probe_pair(
                client, url, runs=runs, small=copy.small, large=copy.main, use=copy.use
            )
        for stores, figures in ((small, before), (large, after)):
            for label, (queries, seconds, size) in figures.items():
                self._say(
                    f"{stores} stores, {label}: queries={queries} "
                    f"median={seconds * 1000:.0f} ms size={size / 1024:.0f} KB"
                )
        return before, after

    def _cleanup(self) -> None:
        bench.bench_cleanup()
        left = {name: n for name, n in bench.leftovers().items() if n}
        if left:
            raise CommandError(f"clean-up left bench rows behind: {left}")
        self._say("clean-up: bench regions, stores, people, pages, confirmations, attempts")

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
