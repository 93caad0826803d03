"""Attempts: a frozen set of question versions, answers saved one by one, events."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.events.models import Event
from training.choices import AttemptEventKind, AttemptState


class Attempt(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="exam_attempts",
        verbose_name=_("person"),
    )
    exam = models.ForeignKey(
        "training.Exam", on_delete=models.PROTECT, related_name="attempts", verbose_name=_("exam")
    )
    number = models.PositiveSmallIntegerField(_("attempt"), default=1)
    state = models.CharField(
        _("state"), max_length=24, choices=AttemptState.choices, default=AttemptState.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    score = models.DecimalField(_("score, %"), max_digits=5, decimal_places=2, null=True)
    passed = models.BooleanField(_("passed"), null=True)

    class Meta:
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "exam"],
                condition=Q(state="in_progress"),
                name="training_one_open_attempt",
            ),
            models.UniqueConstraint(
                fields=["person", "exam", "number"], name="training_attempt_number"
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"{self.exam_id}#{self.number} by {self.person_id}"

    @property
    def is_open(self) -> bool:
        return self.state == AttemptState.IN_PROGRESS


class AttemptQuestion(models.Model):
    """One question of an attempt: which version, in which order, and the learner's answer."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="questions", verbose_name=_("attempt")
    )
    question = models.ForeignKey(
        "training.Question", on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    position = models.PositiveSmallIntegerField(verbose_name=_("position"))
    presented = models.JSONField(
        default=dict, verbose_name=_("as presented")
    )  # shuffled option / pair / item ids
    answer = models.JSONField(null=True, blank=True, verbose_name=_("answer"))
    saved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("saved at"))
    fraction = models.DecimalField(
        max_digits=5, decimal_places=4, null=True, verbose_name=_("fraction of the mark")
    )

    class Meta:
        verbose_name = _("attempt question")
        verbose_name_plural = _("attempt questions")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="training_aq_position"),
            models.UniqueConstraint(fields=["attempt", "question"], name="training_aq_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id}:{self.position}"


class AttemptEvent(Event):
    """Every state change of an attempt (started, answer saved, submitted, closed,
    certificate issued), in the order it happened."""

    attempt = models.ForeignKey(
        Attempt, on_delete=models.CASCADE, related_name="events", verbose_name=_("attempt")
    )
    kind = models.CharField(max_length=24, choices=AttemptEventKind.choices, verbose_name=_("kind"))

    class Meta:
        verbose_name = _("attempt event")
        verbose_name_plural = _("attempt events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.attempt_id}"
