from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BonusConfig(AppConfig):
    """Bonus schemes on the rankings: statements, approvals, payroll, abuse flags, the
    store scorecard and the effect report."""

    name = "kpi.bonus"
    label = "bonus"
    verbose_name = _("Bonus schemes")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from kpi.bonus import dashboard, rules  # rules registers the permissions
        from portal.home import demo, navigation, panels
        from portal.org.rules import owns_content

        # Store people who are not HQ (a superuser passes every role test): their line.
        own_line = rules.store_people & ~owns_content
        panels.register(
            template="bonus/_panel_own_line.html",
            visible=own_line,
            context=dashboard.own_line_panel,
        )
        panels.register(
            template="bonus/_panel_approvals.html",
            visible=rules.follows_schemes,
            context=dashboard.approvals_panel,
        )
        # In the «Reports and tools» menu: the bar is full at 1280 px.
        navigation.register(
            key="bonus.statements",
            label=_("Bonuses"),
            url="bonus:statements",
            icon="cash-coin",
            order=66,
            group=navigation.TOOLS,
            visible=rules.follows_schemes | rules.store_manager,  # bonus.open_statements
        )
        navigation.register(
            key="bonus.scorecard",
            label=_("Store scorecard"),
            url="bonus:scorecard",
            icon="clipboard-data",
            order=68,
            group=navigation.TOOLS,
            visible=rules.follows_schemes,  # bonus.open_scorecard
        )
        navigation.register(
            key="bonus.flags",
            label=_("Abuse flags"),
            url="bonus:flags",
            icon="flag",
            order=69,
            group=navigation.TOOLS,
            visible="bonus.open_flags",
        )
        demo.register("bonus", _demo_seed)
        navigation.register(
            key="bonus.mine",
            label=_("My bonus"),
            url="bonus:mine",
            icon="person-badge",
            order=67,
            group=navigation.TOOLS,
            visible=own_line,
        )


def _demo_seed() -> str:
    from kpi.bonus.demo import bonus_demo_seed

    return bonus_demo_seed()
