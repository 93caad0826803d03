"""Choices (TextChoices) of the training app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTI = "multi", _("Multiple choice")
    TRUEFALSE = "truefalse", _("True / false")
    NUMERIC = "numeric", _("Numeric")
    SHORTTEXT = "shorttext", _("Short text")
    MATCHING = "matching", _("Matching")
    ORDERING = "ordering", _("Ordering")


class TextFormat(models.TextChoices):
    PLAIN = "plain", _("Plain text")
    HTML = "html", _("HTML")


class AttemptState(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    CLOSED_AT_DEADLINE = "closed_at_deadline", _("Closed at the deadline")


class AttemptEventKind(models.TextChoices):
    STARTED = "started", _("Started")
    ANSWER_SAVED = "answer_saved", _("Answer saved")
    SUBMITTED = "submitted", _("Submitted")
    CLOSED_AT_DEADLINE = "closed_at_deadline", _("Closed at the deadline")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")
    CERTIFICATE_REVOKED = "certificate_revoked", _("Certificate withdrawn")
