from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Mystery-shopper checklists, visits, scored reports and corrective actions."""

    name = "audits"
    verbose_name = _("Audits")

    def ready(self) -> None:
        from audits import dashboard
        from audits.files import audit_file
        from audits.receivers import connect
        from audits.rules import files_visits
        from portal.files.registry import register_resolver
        from portal.home import demo, navigation, panels
        from portal.org.rules import follows_stores

        register_resolver(audit_file)
        panels.register(
            template="audits/_panel_auditor.html",
            visible=files_visits,
            context=dashboard.auditor_panel,
        )
        panels.register(
            template="audits/_panel_follows.html",
            visible=follows_stores,
            context=dashboard.follows_panel,
        )
        connect()
        navigation.register(
            key="audits.visits",
            label=_("Mystery shopper"),
            url="audits:visits",
            icon="incognito",
            order=58,
            visible="audits.open_visits",
        )

        navigation.register(
            key="audits.checklists",
            label=_("Checklists"),
            url="audits:checklists",
            icon="clipboard-check",
            order=60,
            visible="audits.open_checklists",
        )
        demo.register("audits", _demo_seed)


def _demo_seed() -> str:
    from audits.demo import audits_demo_seed

    return audits_demo_seed()
