from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditsConfig(AppConfig):
    """Mystery-shopper checklists, visits, scored reports and corrective actions."""

    name = "audits"
    verbose_name = _("Audits")
