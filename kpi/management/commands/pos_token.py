"""`manage.py pos_token NAME --stores S001,S002` (or `--region CODE`): issue a POS token."""

from django.core.management.base import BaseCommand, CommandError

from kpi.pos import pos_token_issue
from portal.org.models import Store


class Command(BaseCommand):
    help = (
        "Create a POS system, or give it a new token (the old one stops working), for the "
        "given stores. The token is printed once; only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the POS system's name, e.g. 'Кассы Казань'")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--stores", help="store codes, comma separated: S001,S002")
        which.add_argument("--region", help="a region code: all its stores")

    def handle(self, *args, name, stores, region, **options):
        if region:
            chosen = Store.objects.filter(region__code=region)
            if not chosen.exists():
                raise CommandError(f"no stores in region {region!r}")
        else:
            codes = {code.strip() for code in stores.split(",") if code.strip()}
            chosen = Store.objects.filter(code__in=codes)
            unknown = sorted(codes - set(chosen.values_list("code", flat=True)))
            if unknown or not codes:
                raise CommandError(f"unknown store codes: {', '.join(unknown) or '(none given)'}")
        pos, token = pos_token_issue(name=name, stores=chosen)
        self.stderr.write(
            f"POS system {pos.name!r}: {pos.stores.count()} store(s). "
            "The token is shown once; store it in the POS system now."
        )
        self.stdout.write(token)
