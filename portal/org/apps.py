from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class OrgConfig(AppConfig):
    name = "portal.org"
    label = "org"
    verbose_name = _("Organisation")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with our user screens (superuser status follows the role)."""

    user_viewset = "portal.org.wagtail_users.PortalUserViewSet"
