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

        from portal.sessions import session_clocks_start

        user_logged_in.connect(session_clocks_start, dispatch_uid="portal.session_clocks_start")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user screens (superuser status follows the role)."""

    user_viewset = "portal.org.wagtail_users.PortalUserViewSet"
