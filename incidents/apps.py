from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """The complaint desk: tickets from the hotline, stores, the public page and the API,
    business-hours SLA, queues, the script on screen, CSAT, and the «Акции» pages."""

    name = "incidents"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        import rules

        from incidents import dashboard
        from incidents.files import ticket_file as ticket_file_resolver
        from incidents.rules import works_desk
        from portal.files.registry import register_resolver
        from portal.home import demo, navigation, panels
        from portal.org.rules import follows_stores, owns_content

        register_resolver(ticket_file_resolver)
        panels.register(
            template="incidents/_panel_desk.html", visible=works_desk, context=dashboard.desk_panel
        )
        panels.register(
            template="incidents/_panel_follows.html",
            visible=follows_stores,
            context=dashboard.follows_panel,
        )
        # The desk's own work in the bar; HQ and the store side (whose bars are full) find
        # the complaints in the tools menu: HQ all of them, the store side «Мои обращения».
        navigation.register(
            key="incidents.desk",
            label=_("Complaints"),
            url="incidents:desk",
            icon="headset",
            order=62,
            visible=works_desk & ~owns_content,  # superusers: in the tools, like HQ
        )
        navigation.register(
            key="incidents.all",
            label=_("Complaints"),
            url="incidents:desk",
            icon="headset",
            order=62,
            group=navigation.TOOLS,
            visible=owns_content,
        )
        navigation.register(
            key="incidents.mine",
            label=_("My complaints"),
            url="incidents:desk",
            icon="chat-left-dots",
            order=62,
            group=navigation.TOOLS,
            visible=follows_stores & ~owns_content,
        )
        navigation.register(
            key="incidents.reports",
            label=_("Complaint reports"),
            url="incidents:reports",
            icon="graph-up",
            order=63,
            group=navigation.TOOLS,
            visible="incidents.open_reports",
        )
        navigation.register(
            key="incidents.promotions",
            label=_("Promotions"),
            url="incidents:promotions",
            icon="megaphone",
            order=64,
            group=navigation.TOOLS,
            visible=rules.is_authenticated,
        )
        demo.register("incidents", _demo_seed)


def _demo_seed() -> str:
    from incidents.demo import incidents_demo_seed

    return incidents_demo_seed()
