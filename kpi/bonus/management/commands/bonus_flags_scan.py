"""`manage.py bonus_flags_scan --start 2026-03-01 --end 2026-03-31`: scan the receipts
of [start, end] for abuse and raise a flag for each pattern not flagged yet (a rerun
raises nothing new). Without dates: the last closed week and month, as the nightly
task does."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from kpi.bonus import tasks
from kpi.bonus.services.flags import flags_scan


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = "Scan a period's receipts for abuse patterns and raise flags (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--start", help="first day, YYYY-MM-DD")
        parser.add_argument("--end", help="last day, YYYY-MM-DD (inclusive)")

    def handle(self, *args, start=None, end=None, **options):
        if not start and not end:
            raised = tasks.bonus_flags_scan()
            self.stdout.write(f"last closed week and month: {raised} flags raised")
            return
        if not (start and end):
            raise CommandError("give both --start and --end, or neither")
        first, last = _day(start), _day(end)
        if last < first:
            raise CommandError("--end is before --start")
        result = flags_scan(start=first, end=last)
        self.stdout.write(
            f"{first} – {last}: {result.found} patterns, {len(result.raised)} flags raised"
        )
