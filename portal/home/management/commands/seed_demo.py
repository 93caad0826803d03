"""Build the demo chain through the real import services. Deterministic and idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction

from portal.home import demo as app_demos
from portal.org import services
from portal.org.demo import DEMO_LOGINS, DEMO_PASSWORD, demo_people_csv, demo_stores_csv
from portal.org.models import User
from portal.sop.demo import sop_demo_seed


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo chain: 4 regions, 80 stores, ~800 people."

    def handle(self, *args, **options):
        with transaction.atomic():
            stores = services.org_stores_import(
                actor=None, content=demo_stores_csv(), filename="seed_demo:stores.csv"
            )
            people = services.org_people_import(
                actor=None, content=demo_people_csv(), filename="seed_demo:people.csv"
            )
            logins = {
                u.email: u for u in User.objects.filter(email__in=[d.email for d in DEMO_LOGINS])
            }
            for demo in DEMO_LOGINS:
                services.person_password_set(
                    actor=None, person=logins[demo.email], password=DEMO_PASSWORD
                )
        with transaction.atomic():
            library = sop_demo_seed()
        for report in (stores, people):
            self.stdout.write(
                f"{report.kind}: rows={report.rows} created={report.created} "
                f"updated={report.updated} unchanged={report.unchanged}"
            )
        self.stdout.write(
            f"sop: pages created={library.pages_created} "
            f"confirmations created={library.confirmations}"
        )
        for name, build in app_demos.builders():
            with transaction.atomic():
                self.stdout.write(f"{name}: {build()}")
        self.stdout.write("")
        self.stdout.write(f"{'role':<24} {'login (e-mail)':<28} {'personnel no.':<14} password")
        for demo in DEMO_LOGINS:
            self.stdout.write(
                f"{demo.role:<24} {demo.email:<28} {demo.personnel_number:<14} {DEMO_PASSWORD}"
            )
        self.stdout.write("")
        for demo in DEMO_LOGINS:
            self.stdout.write(
                f"demo-login role={demo.role} login={demo.email} password={DEMO_PASSWORD}"
            )
