"""The batch log of the imports that keep no batch table of their own (stores and staff,
the question bank): one row per file taken in or refused. Receipts keep theirs
(`kpi.ImportBatch`, with its review and revert states)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRecord(models.Model):
    """What every log of a file taken in keeps: the file, who loaded it and when, how many
    rows, and the problems found (`ImportLog` here, `kpi.ImportBatch` for receipts)."""

    filename = models.CharField(_("file"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class ImportLog(ImportRecord):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)

    class Meta(ImportRecord.Meta):
        verbose_name = _("file import")
        verbose_name_plural = _("file imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename} ({self.status})"
