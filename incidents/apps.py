from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """The complaint desk: tickets from the hotline, stores, the public page and the API,
    business-hours SLA, queues, the script on screen, CSAT, and the «Акции» pages."""

    name = "incidents"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from incidents.files import ticket_file as ticket_file_resolver
        from portal.files.registry import register_resolver
        from portal.home import demo

        register_resolver(ticket_file_resolver)
        demo.register("incidents", _demo_seed)


def _demo_seed() -> str:
    from incidents.demo import incidents_demo_seed

    return incidents_demo_seed()
