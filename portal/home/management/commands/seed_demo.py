"""Build the demo chain through the real import services. Deterministic and idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.home import demo as app_demos
from portal.org import services
from portal.org.demo import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    demo_people_csv,
    demo_stores_csv,
)
from portal.org.models import User
from portal.org.second_factor.services import (
    second_factor_enrol_with_secret,
    second_factor_required,
)
from portal.sop.demo import sop_demo_seed


class Command(BaseCommand):
    help = "Create (or bring up to date) the demo chain: 4 regions, 80 stores, ~800 people."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-demo-accounts",
            action="store_true",
            help="Run even with DEBUG off (it creates accounts with a published password).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force_demo_accounts"]:
            raise CommandError(
                "seed_demo creates accounts with a published password and second-factor "
                "secret, so it runs only with DEBUG on (the development settings of "
                "`make run`). To load the demo on another site anyway, pass "
                "--force-demo-accounts."
            )
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
                person = logins[demo.email]
                services.person_password_set(actor=None, person=person, password=DEMO_PASSWORD)
                if second_factor_required(person):
                    second_factor_enrol_with_secret(person=person, secret=DEMO_TOTP_SECRET)
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
        totp = {d.email: second_factor_required(logins[d.email]) for d in DEMO_LOGINS}
        self.stdout.write(
            f"{'role':<24} {'login (e-mail)':<28} {'personnel no.':<14} {'password':<18} "
            "second factor (TOTP secret)"
        )
        for demo in DEMO_LOGINS:
            secret = DEMO_TOTP_SECRET if totp[demo.email] else "-"
            self.stdout.write(
                f"{demo.role:<24} {demo.email:<28} {demo.personnel_number:<14} "
                f"{DEMO_PASSWORD:<18} {secret}"
            )
        self.stdout.write("")
        for demo in DEMO_LOGINS:
            line = f"demo-login role={demo.role} login={demo.email} password={DEMO_PASSWORD}"
            if totp[demo.email]:
                line += f" totp={DEMO_TOTP_SECRET}"
            self.stdout.write(line)
