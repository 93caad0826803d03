from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpiConfig(AppConfig):
    """POS receipt ingestion, daily store facts, leaderboards and bonus schemes."""

    name = "kpi"
    verbose_name = _("KPIs")
