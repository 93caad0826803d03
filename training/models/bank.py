"""The question bank: categories tied to SOP topics, and versioned questions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from training.choices import QuestionType, TextFormat


class QuestionCategory(models.Model):
    """A topic of the exam, usually one SOP: a material change of it retests this topic."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("Moodle's categories nest: «Iota/Kappa» is «Kappa» inside «Iota»."),
    )
    description = models.TextField(_("description"), blank=True)
    sop_page = models.ForeignKey(
        "sop.ReadablePage",
        verbose_name=_("SOP"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="question_categories",
    )

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    """One version of a question. A version used in an attempt is never edited again:
    changing it makes a new version of the same family; old attempts keep theirs."""

    family = models.UUIDField(_("question"), default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    qtype = models.CharField(_("type"), max_length=16, choices=QuestionType.choices)
    name = models.CharField(_("name"), max_length=255)
    text = models.TextField(_("question"))
    general_feedback = models.TextField(_("general feedback"), blank=True)
    text_format = models.CharField(
        _("text format"), max_length=8, choices=TextFormat.choices, default=TextFormat.PLAIN
    )
    data = models.JSONField(_("answers and key"), default=dict)
    extra = models.JSONField(
        _("kept for export"),
        default=dict,
        blank=True,
        help_text=_(
            "What a Moodle file carried that the portal keeps but does not use (default "
            "grade, penalty, hints, combined feedback, ID number) and its embedded files."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="training_question_version"),
            models.UniqueConstraint(
                fields=["family"], condition=Q(is_current=True), name="training_question_current"
            ),
        ]
        indexes = [models.Index(fields=["category", "is_current"])]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"
