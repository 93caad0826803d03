"""What every `bench_*` command shares: its own region, and removing everything it made.

Each benchmark names its rows with its own codes (`bench_region_code("exam")` is
``BENCH-EXAM``; no two benchmarks share a region, store or exam code) and runs inside
`bench_run(cleanup)`, which removes what a killed earlier run left before it starts and
what this run made when it ends, also after a failure. `purge` deletes rows together with
everything that depends on them, rows Django protects (`on_delete=PROTECT`) included, so
a benchmark needs no list of what other apps hang off its people and stores. Bench data
only: never call it on anything but a benchmark's own rows.

A benchmark that compares a page at two sizes keeps the small size as a copy of the
database (`SmallCopy`, `CREATE DATABASE … TEMPLATE`) and times the page on both in turns
(`page_probe_pair`): a shared machine's slower minutes then weigh on both sizes alike.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError
from django.test.utils import CaptureQueriesContext
from psycopg import sql

from portal.org.models import Region, User
from portal.org.second_factor.testing import SecondFactorClient

BENCH_REGION_PREFIX = "BENCH-"


def bench_region_code(bench: str) -> str:
    """The region code of one benchmark (``BENCH-EXAM`` for "exam")."""
    return f"{BENCH_REGION_PREFIX}{bench.upper()}"[:20]


def purge(queryset: QuerySet, _depth: int = 0) -> int:
    """Delete the rows of `queryset` and, first, every row that protects them from
    deletion (recursively). Returns the number of rows Django deleted."""
    if _depth > 20:
        raise RuntimeError(f"purge: dependencies of {queryset.model.__name__} go too deep")
    for _round in range(20):
        try:
            with transaction.atomic():
                return queryset.delete()[0]
        except (ProtectedError, RestrictedError) as error:
            blocking = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            by_model: dict[type, set] = defaultdict(set)
            for row in blocking:
                by_model[type(row)].add(row.pk)
            for model, pks in by_model.items():
                purge(model._base_manager.filter(pk__in=pks), _depth + 1)
    raise RuntimeError(f"purge: {queryset.model.__name__} rows stay protected")


def region_purge(code: str) -> int:
    """Remove a benchmark's region, its stores and people and all that hangs off them."""
    return purge(Region.objects.filter(code=code))


@contextmanager
def bench_run(cleanup: Callable[[], object]) -> Iterator[None]:
    """Clean up what an interrupted run left, run, and clean up again whatever happens."""
    cleanup()
    try:
        yield
    finally:
        cleanup()


Probe = tuple[int, float, int]  # SQL queries of one request, median seconds, bytes


def page_probe_pair(
    client, url: str, *, runs: int, small: str, large: str, use: Callable[[str], None]
) -> tuple[Probe, Probe]:
    """The page through the real view on the `small` and the `large` database: queries and
    size of one request each, then `runs` timed requests on each, taken in turns. After
    each switch of database one request goes untimed (its connection is new)."""
    counted: dict[str, tuple[int, int]] = {}
    for name in (small, large):
        use(name)
        if client.get(url).status_code != 200:
            raise RuntimeError(f"{url} answered an error on {name}")
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        counted[name] = (len(queries.captured_queries), len(response.content))
    times: dict[str, list[float]] = {small: [], large: []}
    for _run in range(runs):
        for name in (small, large):
            use(name)
            client.get(url)
            started = time.perf_counter()
            client.get(url)
            times[name].append(time.perf_counter() - started)
    small_probe, large_probe = (
        (counted[name][0], statistics.median(times[name]), counted[name][1])
        for name in (small, large)
    )
    return small_probe, large_probe


class SmallCopy:
    """The bench database copied at the small size (`CREATE DATABASE … TEMPLATE`), to be
    measured beside the grown one; dropped on leaving (also one an interrupted run left)."""

    def __init__(self, main: str) -> None:
        self.main = main
        self.small = f"{main}_bench_small"[:63]

    def _admin(self) -> psycopg.Connection:
        params = {
            key: value
            for key, value in connection.get_connection_params().items()
            if key in ("host", "port", "user", "password", "sslmode")
        }
        return psycopg.connect(dbname="template1", autocommit=True, **params)

    def _drop(self) -> None:
        with self._admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(self.small)))

    def __enter__(self) -> SmallCopy:
        self._drop()
        return self

    def __exit__(self, *exc_info) -> None:
        self.use(self.main)
        self._drop()

    def take(self) -> None:
        """Copy the database as it is now (nobody may be connected to it meanwhile)."""
        connection.close()
        with self._admin() as admin:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(self.small), sql.Identifier(self.main)
                )
            )

    def use(self, name: str) -> None:
        """Send the next queries to database `name` (a new connection)."""
        if connection.settings_dict["NAME"] != name:
            connection.close()
            connection.settings_dict["NAME"] = name


def probe_client(user: User) -> SecondFactorClient:
    host = next((h for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "localhost")
    client = SecondFactorClient(HTTP_HOST=host.lstrip("."))
    client.force_login(user)
    return client
