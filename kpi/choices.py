"""Choices (TextChoices) of the kpi app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchSource(models.TextChoices):
    UPLOAD = "upload", _("File upload")
    API = "api", _("POS API")
    COMMAND = "command", _("Bulk command")


class BatchStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")
