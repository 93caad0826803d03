"""Choices (TextChoices) of the audits app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ChecklistEventKind(models.TextChoices):
    CREATED = "created", _("Checklist created")
    PUBLISHED = "published", _("Checklist published")
