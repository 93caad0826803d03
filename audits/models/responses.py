"""What a store does about a published visit: appeal an item, fix what failed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.choices import ActionStatus, AppealStatus
from audits.models.checklists import ChecklistQuestion
from audits.models.visits import Visit


class Appeal(models.Model):
    """The store manager disputes one answer; an LP manager decides. An accepted appeal
    corrects the answer (as the appeal proposes, or as the LP manager decides) and rescores
    the visit from scratch, leaving the earlier score in the visit's events."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="appeals", verbose_name=_("visit")
    )
    question = models.ForeignKey(
        ChecklistQuestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    comment = models.TextField(_("why the answer is wrong"))
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("appealed by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("appealed at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["visit", "question"],
                condition=models.Q(status=AppealStatus.OPEN),
                name="audits_one_open_appeal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.visit} · {self.question}"


def action_photo_path(action: CorrectiveAction, filename: str) -> str:
    return f"audits/actions/{action.visit_id}/{filename}"


class CorrectiveAction(models.Model):
    """What the store will do about a failed item: an owner, a due date, and a photo that
    shows it done; the store manager (or the LP manager) verifies it."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="actions", verbose_name=_("visit")
    )
    question = models.ForeignKey(
        ChecklistQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    title = models.CharField(_("what will be done"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audit_actions",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("opened at"))
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done at"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    done_comment = models.TextField(_("what was done"), blank=True)
    photo = models.FileField(
        _("photo of the result"), upload_to=action_photo_path, max_length=200, blank=True
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(null=True, blank=True, verbose_name=_("verified at"))

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="audits_action_due")]

    def __str__(self) -> str:
        return self.title
