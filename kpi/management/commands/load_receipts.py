"""`manage.py load_receipts FILE …`: bulk POS files through the same path as uploads."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kpi.choices import BatchSource
from kpi.services import receipts_import
from portal.imports.errors import ImportRejected


class Command(BaseCommand):
    help = "Load POS receipt files (CSV, UTF-8 or cp1251); each file is all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, files, **options):
        failed = 0
        for path in files:
            try:
                batch = receipts_import(
                    actor=None,
                    content=path.read_bytes(),
                    filename=path.name,
                    source=BatchSource.COMMAND,
                )
            except ImportRejected as rejected:
                failed += 1
                self.stderr.write(f"{path.name}: rejected, nothing written")
                for error in rejected.errors[:50]:
                    self.stderr.write(f"  {error}")
                continue
            self.stdout.write(
                f"{path.name}: rows={batch.rows} new={batch.inserted} "
                f"already_loaded={batch.already_loaded}"
            )
        if failed:
            raise CommandError(f"{failed} file(s) rejected")
