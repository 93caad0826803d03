from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    """POS receipt ingestion, daily store facts, leaderboards and bonus schemes."""

    name = "kpi"
    verbose_name = _("KPIs")

    def ready(self) -> None:
        from kpi import dashboard, rules
        from portal.home import demo, navigation, panels

        panels.register(
            template="kpi/_panel_store_place.html",
            visible=rules.follows_own_store_only,
            context=dashboard.store_place_panel,
        )
        panels.register(
            template="kpi/_panel_board.html",
            visible=rules.ranks_stores,
            context=dashboard.board_panel,
        )
        demo.register("kpi", _demo_seed)
        navigation.register(
            key="kpi.leaderboard",
            label=_("Leaderboard"),
            url="kpi:leaderboard",
            icon="trophy",
            order=50,
            visible="kpi.view_leaderboard",
        )
        navigation.register(
            key="kpi.my_store",
            label=_("Store KPIs"),
            url="kpi:my_store",
            icon="graph-up",
            order=51,
            visible=rules.follows_own_store_only,
        )
        navigation.register(
            key="kpi.imports",
            label=_("Load receipts"),
            url="kpi:imports",
            icon="receipt",
            group=navigation.TOOLS,
            order=50,
            visible="kpi.upload_receipts",
        )


def _demo_seed() -> str:
    from kpi.demo import kpi_demo_seed

    return kpi_demo_seed()
