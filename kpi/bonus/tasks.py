"""Celery tasks of the bonus room: idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def periods_close() -> int:
    """Close every scheme's periods that are due (scan, draft, open for disputes); a
    period already closed is left as it is. Returns the statements made."""
    from kpi.bonus.services.close import periods_close as close

    return close()
