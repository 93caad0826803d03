"""Celery tasks of the bonus room: idempotent, each calls one service."""

from __future__ import annotations

from celery import shared_task


@shared_task
def periods_close() -> int:
    """Close every scheme's periods that are due (scan, draft, open for disputes); a
    period already closed is left as it is. Returns the statements made."""
    from kpi.bonus.services.close import periods_close as close

    return close()


@shared_task
def bonus_flags_scan() -> int:
    """Scan the last closed week and the last closed month for abuse (daily: receipts
    loaded late are looked at again; a pattern already flagged is not raised twice).
    Returns the flags raised."""
    import datetime as dt

    from kpi.bonus import clock
    from kpi.bonus.services.flags import flags_scan
    from kpi.periods import month_of, week_of

    today = clock.today()
    periods = (
        week_of(today - dt.timedelta(days=7)),
        month_of(today.replace(day=1) - dt.timedelta(days=1)),
    )
    return sum(len(flags_scan(start=p.start, end=p.end).raised) for p in periods)
