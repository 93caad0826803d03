"""Choices (TextChoices) of the audits app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ChecklistEventKind(models.TextChoices):
    CREATED = "created", _("Checklist created")
    PUBLISHED = "published", _("Checklist published")


class QuestionKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Scale 0–4")
    NUMERIC = "numeric", _("Number")
    CHOICE = "choice", _("Choice")
    TEXT = "text", _("Text")
    PHOTO = "photo", _("Photo")


class Critical(models.TextChoices):
    """What a failed answer to the question fails besides its points."""

    NO = "", _("Not critical")
    SECTION = "section", _("Fails its section")
    VISIT = "visit", _("Fails the visit")
