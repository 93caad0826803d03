"""The batch log: every file an import takes in or refuses leaves an `ImportLog` row
(who, what, how many rows, or every problem), and a refusal a warning line in the
`portal.imports` log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from portal.imports.errors import ImportRejected, import_rejected_log

MAX_LOGGED_ERRORS = 1000


@dataclass
class Intake:
    """What the block under `intake_logged` reports: the rows it took."""

    rows: int = 0


@contextmanager
def intake_logged(
    *, kind: str, filename: str, actor, rejections: tuple[type[Exception], ...] = (ImportRejected,)
) -> Iterator[Intake]:
    """Run an import and log its batch: applied with `intake.rows` when the block ends,
    rejected with the errors of a rejection (any of `rejections`, each carrying
    `.errors`), which then propagates. Use it outside the import's own transaction, so a
    rejected file's row stays."""
    from portal.imports.models import ImportLog

    intake = Intake()
    actor_id = getattr(actor, "pk", None)
    try:
        yield intake
    except rejections as rejected:
        errors = rejected.errors
        import_rejected_log(kind=kind, filename=filename, actor=actor, errors=errors)
        ImportLog.objects.create(
            kind=kind,
            filename=filename[:255],
            created_by_id=actor_id,
            status=ImportLog.Status.REJECTED,
            errors=[str(e) for e in errors[:MAX_LOGGED_ERRORS]],
        )
        raise
    ImportLog.objects.create(
        kind=kind,
        filename=filename[:255],
        created_by_id=actor_id,
        status=ImportLog.Status.APPLIED,
        rows=intake.rows,
    )
