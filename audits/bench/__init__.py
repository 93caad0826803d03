"""Pieces of `manage.py bench_audits`: the bench chain (regions, stores, auditors, an LP
manager, a store manager, a published checklist of 40 questions), published visits
grown in bulk with their answers and facts, the check that those facts are the ones the
portal keeps, the phone-sized photos of the PDF's visit, and the clean-up.

The visits are written straight into the tables (no service would file 100,000 visits in
minutes): each takes one of a pool of answer sets, generated per auditor's leniency and
scored by `audits.scoring.visit_score` as filing would, so a visit's score, pass and
result are those of its stored answers. The facts are written by one GROUP BY each over
the bench's visits; `facts_check` rewrites a sample through `audit_facts_refresh` and
fails the bench if a row differs.

Everything made here is marked: regions BENCH-AUDITS-01…, stores BENCH-AUD-0001…, people
BAUD… (personnel numbers), the checklist `CHECKLIST_TITLE`; `bench_cleanup` removes it all
(photo files included), also what a failed run left behind (`portal.bench.bench_run`).
PostgreSQL only.
"""

from audits.bench.growth import (
    analyze,
    facts_check,
    facts_write,
    open_visits_add,
    patterns_make,
    probe_visit,
    visits_grow,
)
from audits.bench.pdf import bench_cleanup, leftovers, pdf_visit, timed
from audits.bench.world import (
    PATTERNS,
    REGION_PREFIX,
    REGIONS,
    STORE_PREFIX,
    World,
    bench_setup,
    checklist_sections,
)

__all__ = [
    "PATTERNS",
    "REGIONS",
    "REGION_PREFIX",
    "STORE_PREFIX",
    "World",
    "analyze",
    "bench_cleanup",
    "bench_setup",
    "checklist_sections",
    "facts_check",
    "facts_write",
    "leftovers",
    "open_visits_add",
    "patterns_make",
    "pdf_visit",
    "probe_visit",
    "timed",
    "visits_grow",
]
