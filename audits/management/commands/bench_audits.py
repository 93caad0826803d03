"""`manage.py bench_audits`: the mystery-shopper pages at 10,000 and at 100,000 visits, and
the size of a visit's PDF.

The bench chain: 200 stores in ten regions, 30 auditors (three a region, each working in
their own; one lenient and one harsh), an LP manager, a store's manager and a published
checklist of 40 questions. Published visits are written in bulk over the last twelve
months, each to a store at random by an auditor of its region, with all 40 answers
(`audits.bench`: scored as filing scores them), and their facts (checked against
`audit_facts_refresh` on a sample). The facts per store, month and auditor stop growing
at 200 × 12 × 3 rows (about 7,000: most are there at 10,000 visits), whatever the number
of visits; the analytics read those. Each auditor also holds four visits of this month. At
each size it prints the SQL queries and median time of the auditor's list, a visit's
page (the LP manager), the store's audit page (its manager, `?store=`), the trend (the
LP manager and the store's manager) and the calibration report (CSV). The chain at the
small size is kept as a copy of the database (`CREATE DATABASE … TEMPLATE`) so that the
timed requests alternate between the two sizes: a shared machine's slower minutes then
weigh on both alike. Then a visit of the 40 questions with 10 phone photos (12 megapixels,
about 3.4 MB each as sent; added through `photo_add`, which stores them at 2,560 px; five
on failed questions, five of the visit) is filed and published through the services, and
its PDF rendered (`audits.reports.visit_report_pdf`): 2 MB or more
fails the bench (exit status 1, the figures still on the last line). The last line:

    audit_queries_small=… audit_queries_large=… audit_time_ratio=… audit_pdf_kb=…

(queries summed over the six pages; the ratio is the worst page's large / small median).
A page whose queries differ between the sizes, or whose ratio is 1.5 or more, is named
above it. Everything the bench makes is removed at the end (photo files included), also
after a failure.
"""

from __future__ import annotations

import logging
import time
from os import environ as env_vars

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from audits import bench
from audits.reports import visit_report_pdf
from portal.bench import SmallCopy, bench_run, page_probe_pair, probe_client

TIME_LIMIT = 1.5  # the large size's median within this many times the small one's
PDF_LIMIT_KB = 2048


def env(name: str, default: int) -> int:
    return int(env_vars.get(name, str(default)))


class Command(BaseCommand):
    help = "Benchmark the audits' pages at 10,000 and 100,000 visits, and a visit's PDF."

    def add_arguments(self, parser):
        # `make bench` passes ARGS to one command only: the variables size this one alone
        # (BENCH_AUDITS_LARGE=30000 make bench).
        parser.add_argument(
            "--small", type=int, default=env("BENCH_AUDITS_SMALL", 10_000), help="visits first"
        )
        parser.add_argument(
            "--large", type=int, default=env("BENCH_AUDITS_LARGE", 100_000), help="then"
        )
        parser.add_argument(
            "--runs", type=int, default=env("BENCH_AUDITS_RUNS", 15), help="timed requests"
        )
        parser.add_argument("--stores", type=int, default=env("BENCH_AUDITS_STORES", 200))
        parser.add_argument("--auditors", type=int, default=env("BENCH_AUDITS_AUDITORS", 30))
        parser.add_argument("--photos", type=int, default=10, help="photos of the PDF's visit")
        parser.add_argument("--seed", type=int, default=17)

    def handle(self, *args, small, large, runs, stores, auditors, photos, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError("bench_audits needs PostgreSQL in DATABASE_URL (make bench)")
        if not 0 < small < large:
            raise CommandError("--small must be above 0 and below --large")
        if stores < bench.REGIONS or auditors < 3 * bench.REGIONS:
            raise CommandError(
                f"at least {bench.REGIONS} stores and {3 * bench.REGIONS} auditors (three a "
                "region: the PDF's visit needs one who made neither the visit before nor after)"
            )
        self.seed = seed
        started = time.perf_counter()
        main = connection.settings_dict["NAME"]
        copy = SmallCopy(main)
        with bench_run(self._cleanup), copy:
            world = bench.timed(
                self._say,
                f"setup: {stores} stores in {bench.REGIONS} regions, {auditors} auditors, "
                f"checklist of {len(bench.checklist_sections())} sections",
                lambda: bench.bench_setup(stores=stores, auditors=auditors),
            )
            self._say(f"  {len(world.questions)} questions")
            pool = bench.timed(
                self._say,
                f"answer sets: {bench.PATTERNS} per auditor's leniency, scored",
                lambda: bench.patterns_make(world, seed=seed),
            )
            self._grow(world, pool, small, part=1)
            bench.open_visits_add(world, seed=seed)
            visit = bench.probe_visit(world)
            pages = self._pages(world, visit)
            clients = {role: probe_client(user) for role, user in self._people(world).items()}
            try:
                copy.take()  # the chain at `small` visits, signed in: measured beside the large
                self._grow(world, pool, large - small, part=2)
                before, after = self._measure(pages, clients, copy, runs)
            finally:
                copy.use(main)
                for client in clients.values():
                    client.logout()
            pdf_kb = self._pdf(world, photos)
        self._say(f"total {time.perf_counter() - started:.0f} s")
        ratios = {label: after[label][1] / before[label][1] for label in pages}
        worst = max(ratios, key=ratios.get)
        self._verdict(before, after, ratios, small=small, large=large, pdf_kb=pdf_kb)
        self.stdout.write(
            f"audit_queries_small={sum(q for q, _t, _s in before.values())} "
            f"audit_queries_large={sum(q for q, _t, _s in after.values())} "
            f"audit_time_ratio={ratios[worst]:.2f} audit_pdf_kb={pdf_kb}"
        )
        if pdf_kb >= PDF_LIMIT_KB:
            raise SystemExit(1)  # the figures stay the last line; the verdict names the PDF

    def _grow(self, world, pool, count: int, *, part: int) -> None:
        say = self._say
        answers = bench.timed(
            say,
            f"visits: {count} published, with their answers",
            lambda: bench.visits_grow(world, pool, count, seed=self.seed * 10 + part, say=say),
        )
        say(f"  {answers} answers")
        scores, questions = bench.timed(say, "facts (SQL)", lambda: bench.facts_write(world))
        say(f"  {scores} store-month-auditor rows, {questions} region-month-question rows")
        compared = bench.timed(
            say,
            "facts checked against audit_facts_refresh",
            lambda: bench.facts_check(world, sample=3, seed=self.seed + part),
        )
        say(f"  {compared} rows of 3 visits equal")
        bench.timed(say, "VACUUM ANALYZE", bench.analyze)

    @staticmethod
    def _people(world) -> dict:
        return {"auditor": world.auditors[0], "lp": world.lp, "store": world.store_manager}

    @staticmethod
    def _pages(world, visit) -> dict[str, tuple[str, str]]:
        """Label: (who, url) of each timed page."""
        visits, analytics = reverse("audits:visits"), reverse("audits:analytics")
        return {
            "auditor's list": ("auditor", visits),
            "visit page": ("lp", reverse("audits:visit_detail", args=[visit.pk])),
            "store's audit page": ("store", f"{visits}?store={world.stores[0].code}"),
            "trend, LP manager": ("lp", analytics),
            "trend, store manager": ("store", analytics),
            "calibration CSV": ("lp", f"{analytics}?format=csv&table=calibration"),
        }

    def _measure(self, pages, clients, copy, runs: int):
        """Each page at both sizes, the timed requests taken in turns (small, large, small,
        …) so that the shared machine's slower minutes weigh on both sizes alike."""
        before, after = {}, {}
        for label, (who, url) in pages.items():
            before[label], after[label] = page_probe_pair(
                clients[who], url, runs=runs, small=copy.small, large=copy.main, use=copy.use
            )
            (q1, t1, s1), (q2, t2, s2) = before[label], after[label]
            self._say(
                f"{label}: queries {q1} / {q2}, median {t1 * 1000:.0f} / {t2 * 1000:.0f} ms "
                f"(×{t2 / t1:.2f}), {s1 / 1024:.0f} / {s2 / 1024:.0f} KB"
            )
        return before, after

    def _pdf(self, world, photos: int) -> int:
        say = self._say
        visit = bench.timed(
            say,
            f"PDF's visit: {len(world.questions)} questions, {photos} photos, filed and published",
            lambda: bench.pdf_visit(world, photos=photos, seed=self.seed, say=say),
        )
        progress = logging.getLogger("weasyprint.progress")  # a line per step otherwise
        level = progress.level
        progress.setLevel(logging.WARNING)
        try:
            pdf = bench.timed(say, "PDF rendered", lambda: visit_report_pdf(visit=visit))
        finally:
            progress.setLevel(level)
        kb = round(len(pdf) / 1024)
        say(f"  {visit.number}: {kb} KB ({len(world.questions)} questions, {photos} photos)")
        return kb

    def _verdict(self, before, after, ratios, *, small: int, large: int, pdf_kb: int) -> None:
        self._say(f"pages at {small} / {large} visits:")
        for label, ratio in ratios.items():
            problems = []
            if before[label][0] != after[label][0]:
                problems.append(f"queries {before[label][0]} → {after[label][0]}")
            if ratio >= TIME_LIMIT:
                problems.append(f"time ×{ratio:.2f} (limit ×{TIME_LIMIT})")
            self._say(
                f"  {label}: {before[label][1] * 1000:.0f} / {after[label][1] * 1000:.0f} ms, "
                f"×{ratio:.2f}, queries {before[label][0]} / {after[label][0]}"
                + (f" — NOT MET: {', '.join(problems)}" if problems else "")
            )
        if pdf_kb >= PDF_LIMIT_KB:
            self._say(f"  PDF: {pdf_kb} KB — NOT MET (limit {PDF_LIMIT_KB} KB)")

    def _cleanup(self) -> None:
        started = time.perf_counter()
        bench.bench_cleanup()
        left = {name: n for name, n in bench.leftovers().items() if n}
        if left:
            raise CommandError(f"clean-up left bench rows behind: {left}")
        self._say(
            "clean-up: bench regions, stores, people, checklist, visits, photos, facts: "
            f"{time.perf_counter() - started:.1f} s"
        )

    def _say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
