"""Pieces of `manage.py bench_incidents`: the bench chain (regions, stores, the desk's
operators and a supervisor, queues of its own), tickets grown by SQL with their history,
the ticket the bench opens, the take-next race, the pages' probes and the clean-up.

The tickets are written straight into the tables (no service would file a million
tickets in minutes) in the shares `world` declares: most closed, a few % open with their
SLA due moment, history and messages for some (`growth`). `claims` races 20 operators,
each on a connection of their own, for 10 new tickets through `take_next`. `probes` times
the desk's three pages through the test client, or their selectors while the pages are
not there yet.

Everything made here is marked: regions BENCH-INCIDENTS-01…, stores BENCH-INC-0001…,
people BINC… (personnel numbers), queues bench-incidents-…, tickets B0000000001…;
`bench_cleanup` removes it all, also what a failed run left behind
(`portal.bench.bench_run`). PostgreSQL only.
"""

from incidents.bench.claims import ClaimRace, claims_race
from incidents.bench.growth import analyze, probe_ticket, tickets_grow
from incidents.bench.probes import Probe, pages_ready, selector_probe_pair
from incidents.bench.world import (
    CLAIMERS,
    NUMBER_PREFIX,
    QUEUE_PREFIX,
    REGION_PREFIX,
    REGIONS,
    STORE_PREFIX,
    World,
    bench_cleanup,
    bench_setup,
    leftovers,
    timed,
)

__all__ = [
    "CLAIMERS",
    "NUMBER_PREFIX",
    "QUEUE_PREFIX",
    "REGIONS",
    "REGION_PREFIX",
    "STORE_PREFIX",
    "ClaimRace",
    "Probe",
    "World",
    "analyze",
    "bench_cleanup",
    "bench_setup",
    "claims_race",
    "leftovers",
    "pages_ready",
    "probe_ticket",
    "selector_probe_pair",
    "tickets_grow",
    "timed",
]
