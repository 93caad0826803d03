from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    """Complaint tickets, SLA, queues, scripts on screen and CSAT."""

    name = "incidents"
    verbose_name = _("Complaints")
