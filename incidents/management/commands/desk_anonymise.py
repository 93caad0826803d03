"""Anonymise closed tickets older than the retention period (152-FZ): the nightly beat
runs the same service (`incidents.tasks.tickets_anonymise`).

    manage.py desk_anonymise               # INCIDENTS_RETENTION_DAYS
    manage.py desk_anonymise --days 365    # another period, e.g. after a policy change
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from incidents.services.privacy import tickets_anonymise


class Command(BaseCommand):
    help = "Anonymise the personal data of tickets closed more than the retention period ago."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Retention in days (default: INCIDENTS_RETENTION_DAYS, "
            f"now {settings.INCIDENTS_RETENTION_DAYS}).",
        )

    def handle(self, *args, days: int | None = None, **options) -> None:
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        total = 0
        while True:  # the service takes at most 50,000 tickets a call
            done = tickets_anonymise(days=days)
            total += done
            if not done:
                break
        self.stdout.write(f"anonymised={total}")
