from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class OrgConfig(AppConfig):
    # Two configs live here: without `default` Django takes neither for "portal.org" and
    # falls back to a bare AppConfig (no verbose name, no `ready`).
    default = True
    name = "portal.org"
    label = "org"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from portal.home import navigation
        from portal.org import rules
        from portal.sessions import session_clocks_start

        user_logged_in.connect(session_clocks_start, dispatch_uid="portal.session_clocks_start")
        navigation.register(
            key="org.my_store",
            label=_("My store"),
            url=_my_store_url,
            icon="shop",
            order=10,
            visible=rules.has_store,
        )
        navigation.register(
            key="org.my_region",
            label=_("My region"),
            url=_my_region_url,
            icon="map",
            order=20,
            visible=rules.manages_a_region,
        )
        navigation.register(
            key="org.stores",
            label=_("Stores"),
            url="org:store_list",
            icon="shop-window",
            group=navigation.TOOLS,
            order=10,
            visible=rules.looks_up_stores,
        )
        navigation.register(
            key="org.import",
            label=_("Import"),
            url="org:import",
            icon="upload",
            group=navigation.TOOLS,
            order=60,
            visible="org.import_org",
        )


def _my_store_url(user) -> str:
    return user.store.get_absolute_url()


def _my_region_url(user) -> str:
    return user.region.get_absolute_url()


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user screens (superuser status follows the role)."""

    user_viewset = "portal.org.wagtail_users.PortalUserViewSet"
