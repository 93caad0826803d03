from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "portal.home"
    label = "home"
    verbose_name = _("Home and dashboards")

    def ready(self) -> None:
        import rules

        from portal.home import navigation

        navigation.register(
            key="home.dashboard",
            label=_("Dashboard"),
            url="home:dashboard",
            icon="speedometer2",
            order=0,
        )
        navigation.register(
            key="home.cms",
            label=_("Content (CMS)"),
            url="wagtailadmin_home",
            icon="pencil-square",
            group=navigation.TOOLS,
            order=90,
            visible="wagtailadmin.access_admin",
        )
        navigation.register(
            key="home.admin",
            label=_("Administration"),
            url="admin:index",
            icon="gear",
            group=navigation.TOOLS,
            order=100,
            visible=rules.is_staff,
        )
