"""What every `bench_*` command shares: its own region, and removing everything it made.

Each benchmark names its rows with its own codes (`bench_region_code("exam")` is
``BENCH-EXAM``; no two benchmarks share a region, store or exam code) and runs inside
`bench_run(cleanup)`, which removes what a killed earlier run left before it starts and
what this run made when it ends, also after a failure. `purge` deletes rows together with
everything that depends on them, rows Django protects (`on_delete=PROTECT`) included, so
a benchmark needs no list of what other apps hang off its people and stores. Bench data
only: never call it on anything but a benchmark's own rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError

from portal.org.models import Region

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
