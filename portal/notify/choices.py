from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """Where a notification goes besides the inbox (the notification row itself)."""

    EMAIL = "email", _("E-mail")
    MESSENGER = "messenger", _("SMS / messenger")


class LadderAudience(models.TextChoices):
    """Who hears of a person's overdue item at one step of an escalation ladder."""

    PERSON = "person", _("The person")
    STORE_MANAGERS = "store_managers", _("Their store's managers")
    REGION_MANAGERS = "region_managers", _("Their region's managers")
