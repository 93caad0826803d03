"""Models of the audits app.

Mystery-shopper checklists, visits, scored reports and corrective actions. For now the
checklist template (what a mystery shopper checks in a store), written by LP managers,
and its event table: the worked example of a room's contract (see docs/architecture.md,
"A new room has")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.choices import ChecklistEventKind, ChecklistStatus
from portal.events.models import Event


class Checklist(models.Model):
    """A mystery-shopper checklist template. LP managers write it as a draft and publish
    it; auditors see published checklists only."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ChecklistStatus.choices, default=ChecklistStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("audits:checklist_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == ChecklistStatus.PUBLISHED


class ChecklistEvent(Event):
    """Who created or published a checklist, when."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.CASCADE, related_name="events", verbose_name=_("checklist")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ChecklistEventKind.choices)

    class Meta:
        verbose_name = _("checklist event")
        verbose_name_plural = _("checklist events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
