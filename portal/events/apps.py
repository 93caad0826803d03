from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """The abstract event model, `event_record`, and the CMS snippets' event table."""

    name = "portal.events"
    label = "events"
    verbose_name = _("Events")
