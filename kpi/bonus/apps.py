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
        from kpi.bonus import rules  # noqa: F401  (registers the permissions)
