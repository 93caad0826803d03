"""`manage.py desk_token NAME`: issue the API token of another intake channel."""

from django.core.management.base import BaseCommand, CommandError

from incidents.services.channels import channel_token_issue


class Command(BaseCommand):
    help = (
        "Create an intake channel (a chatbot, the app) for the desk's API, or give an "
        "existing one a new token (the old one stops working). The token is printed once; "
        "only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="the channel's name, e.g. 'Чат-бот'")

    def handle(self, *args, name, **options):
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("the name is 1 to 100 characters")
        channel, token, created = channel_token_issue(name=name)
        what = "created" if created else "given a new token (the old one no longer works)"
        self.stderr.write(
            f"Intake channel {channel.name!r} {what}. The token is shown once; "
            "store it in the channel now. It is sent as «Authorization: Token <token>»."
        )
        self.stdout.write(token)
