"""`manage.py bench_incidents`: the complaint desk's pages at 100,000 and at 1,000,000
tickets, and «take next» under a race.

The bench chain: 200 stores in ten regions, 30 hotline operators in four queues of its own
(the desk's four, same categories), a supervisor, and 20 operators of the race in a fifth
queue. Tickets are grown by SQL over the last year (`incidents.bench.growth`): most
closed, a few % open (new, assigned, in progress with their SLA due moment; waiting with
the clock paused), «points not credited» ones with their receipt's finding, each with its
«filed» event and one in five (and every open one) with its whole history and messages;
then VACUUM ANALYZE. The agent's «points not credited» ticket is given a working history
through the desk's services. The chain at the small size is kept as a copy of the database
(`portal.bench.SmallCopy`) so that the timed requests alternate between the two sizes.

At each size it prints the SQL queries and median time of the agent's queue (25 rows,
`?view=queue&queue=`), that ticket's page (the agent) and the SLA board (the supervisor), requested
through the test client; while the views are not routed yet it times their selectors
instead and says so. Then 20 operators, each on a connection of their own, press «take
next» at once over 10 new tickets: double claims and operators left without one are
counted. The last line (one line):

    desk_queries_small=… desk_queries_large=… desk_time_ratio=…
    ticket_page_queries=… double_claims=…

(queries summed over the three pages; the ratio is the worst page's large / small median;
the ticket page's queries at the large size). Queries that differ between the sizes, a
ticket page above 15 queries, a double claim or an operator count left without a ticket
other than 10 fail the bench (exit status 1, the figures still on the last line); a ratio
of 1.5 or more is named above it. Everything the bench makes is removed at the end, also
after a failure.
"""

from __future__ import annotations

import time
from os import environ as env_vars

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from incidents import bench
from incidents.bench.probes import desk_pages
from portal.bench import SmallCopy, bench_run, page_probe_pair, probe_client

TIME_LIMIT = 1.5  # the large size's median within this many times the small one's
TICKET_PAGE_QUERIES = 15
RACE_TICKETS = 10


def env(name: str, default: int) -> int:
    return int(env_vars.get(name, str(default)))


class Command(BaseCommand):
    help = "Benchmark the desk's pages at 100,000 and 1,000,000 tickets, and take-next in a race."

    def add_arguments(self, parser):
        # `make bench` passes ARGS to one command only: the variables size this one alone
        # (BENCH_INCIDENTS_LARGE=300000 make bench).
        parser.add_argument(
            "--small", type=int, default=env("BENCH_INCIDENTS_SMALL", 100_000), help="tickets"
        )
        parser.add_argument(
            "--large", type=int, default=env("BENCH_INCIDENTS_LARGE", 1_000_000), help="then"
        )
        parser.add_argument(
            "--runs", type=int, default=env("BENCH_INCIDENTS_RUNS", 15), help="timed requests"
        )
        parser.add_argument("--stores", type=int, default=env("BENCH_INCIDENTS_STORES", 200))
        parser.add_argument("--seed", type=int, default=13)
        parser.add_argument(
            "--selectors",
            action="store_true",
            help="time the pages' selectors, not the pages (what it does while they are missing)",
        )

    def handle(self, *args, small, large, runs, stores, seed, selectors, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_incidents needs PostgreSQL in DATABASE_URL (make bench)")
        if not 0 < small < large:
            raise CommandError("--small must be above 0 and below --large")
        if stores < bench.REGIONS:
            raise CommandError(f"at least {bench.REGIONS} stores (one a region)")
        self.seed = seed
        started = time.perf_counter()
        main = connection.settings_dict["NAME"]
        copy = SmallCopy(main)
        with bench_run(self._cleanup), copy:
            world = bench.timed(
                self._say,
                f"setup: {stores} stores in {bench.REGIONS} regions, the desk's operators, "
                f"a supervisor, {bench.CLAIMERS} operators of the race",
                lambda: bench.bench_setup(stores=stores),
            )
            self._grow(world, first=1, count=small, part=1)
            ticket = bench.timed(
                self._say, "the agent's ticket worked", lambda: bench.probe_ticket(world)
            )
            pages = desk_pages(world, ticket, selectors=selectors)
            people = {"agent": world.agent, "supervisor": world.supervisor}
            clients = {who: probe_client(user) for who, user in people.items()}
            try:
                copy.take()  # the desk at `small` tickets, signed in: measured beside the large
                self._grow(world, first=small + 1, count=large - small, part=2)
                before, after = self._measure(pages, clients, copy, runs)
            finally:
                copy.use(main)
                for client in clients.values():
                    client.logout()
            race = bench.timed(
                self._say,
                f"take-next race: {bench.CLAIMERS} operators, {RACE_TICKETS} new tickets",
                lambda: bench.claims_race(world, tickets=RACE_TICKETS),
            )
        self._say(f"total {time.perf_counter() - started:.0f} s")
        labels = [page.label for page in pages]
        ratios = {label: after[label][1] / before[label][1] for label in labels}
        worst = max(ratios, key=ratios.get)
        failed = self._verdict(pages, before, after, ratios, race, small=small, large=large)
        self.stdout.write(
            f"desk_queries_small={sum(before[label][0] for label in labels)} "
            f"desk_queries_large={sum(after[label][0] for label in labels)} "
            f"desk_time_ratio={ratios[worst]:.2f} "
            f"ticket_page_queries={after['ticket page'][0]} double_claims={race.double}"
        )
        if failed:
            raise SystemExit(1)  # the figures stay the last line; the verdict names the failure

    def _grow(self, world, *, first: int, count: int, part: int) -> None:
        say = self._say
        written = bench.timed(
            say,
            f"tickets: {count} grown by SQL with their history",
            lambda: bench.tickets_grow(
                world, first=first, count=count, seed=1 / (self.seed + part)
            ),
        )
        say("  " + ", ".join(f"{n} {table}" for table, n in written.items()))
        bench.timed(say, "VACUUM ANALYZE", bench.analyze)

    def _measure(self, pages, clients, copy, runs: int):
        """Each page at both sizes, the timed requests taken in turns (small, large, small,
        …) so that the shared machine's slower minutes weigh on both sizes alike."""
        if not all(page.url for page in pages):
            self._say(
                "the desk's views are not routed yet (incidents:desk, incidents:ticket, "
                "incidents:board) or --selectors: timing their selectors instead"
            )
        before, after = {}, {}
        for page in pages:
            if page.url:
                before[page.label], after[page.label] = page_probe_pair(
                    clients[page.who],
                    page.url,
                    runs=runs,
                    small=copy.small,
                    large=copy.main,
                    use=copy.use,
                )
                unit, scale = "KB", 1024
            else:
                before[page.label], after[page.label] = bench.selector_probe_pair(
                    page.read, runs=runs, small=copy.small, large=copy.main, use=copy.use
                )
                unit, scale = "rows (selectors)", 1
            (q1, t1, s1), (q2, t2, s2) = before[page.label], after[page.label]
            self._say(
                f"{page.label}: queries {q1} / {q2}, median {t1 * 1000:.1f} / {t2 * 1000:.1f} ms "
                f"(×{t2 / t1:.2f}), {s1 / scale:.0f} / {s2 / scale:.0f} {unit}"
            )
        return before, after

    def _verdict(self, pages, before, after, ratios, race, *, small: int, large: int) -> bool:
        """Says what each page and the race gave; True when a requirement failed."""
        failed = False
        self._say(f"pages at {small} / {large} tickets:")
        for page in pages:
            label = page.label
            problems, soft = [], []
            if before[label][0] != after[label][0]:
                problems.append(f"queries {before[label][0]} → {after[label][0]}")
            if label == "ticket page" and after[label][0] > TICKET_PAGE_QUERIES:
                problems.append(f"{after[label][0]} queries (at most {TICKET_PAGE_QUERIES})")
            if ratios[label] >= TIME_LIMIT:
                soft.append(f"time ×{ratios[label]:.2f} (limit ×{TIME_LIMIT})")
            failed = failed or bool(problems)
            self._say(
                f"  {label}{'' if page.url else ' (selectors)'}: "
                f"{before[label][1] * 1000:.1f} / {after[label][1] * 1000:.1f} ms, "
                f"×{ratios[label]:.2f}, queries {before[label][0]} / {after[label][0]}"
                + (f" — NOT MET: {', '.join(problems + soft)}" if problems or soft else "")
            )
        expected_without = race.agents - race.tickets
        race_ok = (
            race.double == 0
            and race.without == expected_without
            and race.claimed == race.tickets
            and not race.errors
        )
        self._say(
            f"take next: {race.agents} operators, {race.tickets} tickets: {race.claimed} claimed, "
            f"{race.double} claimed twice, {race.without} operators without one"
            + ("" if race_ok else f" — NOT MET (0 twice, {expected_without} without)")
        )
        for error in race.errors:
            self._say(f"  {error}")
        return failed or not race_ok

    def _cleanup(self) -> None:
        started = time.perf_counter()
        bench.bench_cleanup()
        left = {name: n for name, n in bench.leftovers().items() if n}
        if left:
            raise CommandError(f"clean-up left bench rows behind: {left}")
        self._say(
            "clean-up: bench regions, stores, people, queues, tickets and their rows: "
            f"{time.perf_counter() - started:.1f} s"
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
