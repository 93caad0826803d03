"""The period close: for every scheme in force, each period that ended at least
`BONUS_CLOSE_AFTER_DAYS` ago (the receipts of its last days have arrived) and has no
statement yet is scanned for abuse, drafted and opened for disputes — by the portal
(no preparer), so any HQ person may approve it. Run by the beat every night; HQ may
close a period at once from the scheme's page (then they are its preparer)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from kpi.bonus import clock
from kpi.bonus.choices import PeriodKind, SchemeStatus, StatementStatus
from kpi.bonus.models import Scheme, Statement
from kpi.bonus.services.flags import flags_scan
from kpi.bonus.services.statements import statement_draft, statement_open
from kpi.periods import Period, month_of, week_of
from portal.org.models import User

MAX_PERIODS_PER_RUN = 60


def period_of(scheme: Scheme, day: dt.date) -> Period:
    return week_of(day) if scheme.period == PeriodKind.WEEK else month_of(day)


def periods_due(*, scheme: Scheme, today: dt.date) -> list[Period]:
    """The scheme's periods from its start that ended `BONUS_CLOSE_AFTER_DAYS` before
    `today` and have no statement, oldest first."""
    last_day = today - dt.timedelta(days=settings.BONUS_CLOSE_AFTER_DAYS)
    done = set(Statement.objects.filter(scheme=scheme).values_list("starts_on", flat=True))
    period, due = period_of(scheme, scheme.starts_on), []
    while period.end <= last_day and len(due) < MAX_PERIODS_PER_RUN:
        if period.start >= scheme.starts_on and period.start not in done:
            due.append(period)
        period = period.shifted(1)
    return due


def period_close(*, actor: User | None, scheme: Scheme, period: Period) -> list[Statement]:
    """Scan the period's receipts for abuse, draft its statements and open them for
    disputes (a statement already past its draft is left as it is)."""
    flags_scan(start=period.start, end=period.end, actor=actor)
    statements = statement_draft(actor=actor, scheme=scheme, period=period)
    return [
        statement_open(actor=actor, statement=s) if s.status == StatementStatus.DRAFT else s
        for s in statements
    ]


def periods_close(*, today: dt.date | None = None) -> int:
    """Close every due period of every scheme in force; the number of statements made."""
    today = today or clock.today()
    made = 0
    for scheme in Scheme.objects.exclude(status=SchemeStatus.ARCHIVED).order_by("pk"):
        for period in periods_due(scheme=scheme, today=today):
            made += len(period_close(actor=None, scheme=scheme, period=period))
    return made
