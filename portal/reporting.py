"""Settings for the few statements that count over the whole network.

Figures of 1,000 stores group about 100,000 rows (people × pages, confirmations). With
PostgreSQL's defaults those statements spill their hash tables to disk (`work_mem` 4 MB)
and, their estimated cost being high, spend more time compiling themselves (JIT) than
running: measured at 15,000 people, JIT took 130 of 183 ms of the coverage count, and the
compliance count sorted and hashed on disk. `network_counts()` gives the statements run
inside it enough memory and no JIT, and the transaction the session's values back after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress

from django.db import DatabaseError, connection, transaction

WORK_MEM = "32MB"


@contextmanager
def network_counts() -> Iterator[None]:
    """Run the statements inside with `work_mem` raised and JIT off (PostgreSQL; elsewhere
    nothing changes). Two statements more: one sets, one gives the defaults back."""
    if connection.vendor != "postgresql":
        yield
        return
    # SET LOCAL needs a transaction: the caller's, or one of our own.
    outer = nullcontext() if connection.in_atomic_block else transaction.atomic()
    with outer, connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'; SET LOCAL jit = off")
        try:
            yield
        finally:
            # SET LOCAL lasts until the transaction ends: give the rest of the caller's
            # transaction (a test, an atomic request) the session's values back.
            with suppress(DatabaseError):  # an aborted transaction ends with its settings
                cursor.execute("SET LOCAL work_mem TO DEFAULT; SET LOCAL jit TO DEFAULT")
