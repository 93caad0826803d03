"""The abstract event row, and the event table of CMS-edited snippets."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """One row per change: what happened (`kind`), who did it (`actor`, empty for the
    system: a task, a command, a migration), when (`at`) and its details (`payload`,
    JSON: for a change, `{field: [before, after]}` as `portal.events.changes` writes it).

    A concrete event model adds what the event is about (an attempt, a batch, a store…)
    and narrows `kind` to its own choices. Rows are written only through
    `portal.events.services.event_record` and never changed (the admin shows them read
    only: `portal.admin_events`)."""

    kind = models.CharField(_("kind"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    payload = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]


class SnippetEventKind(models.TextChoices):
    CREATED = "created", _("Created")
    EDITED = "edited", _("Edited")
    DELETED = "deleted", _("Deleted")


class SnippetEvent(Event):
    """A snippet created, edited or deleted in the CMS (a KPI plan, an exam, a course…),
    with its values (created, deleted) or every changed field's before and after value
    (edited). The object is named by content type and primary key (it may be gone)."""

    kind = models.CharField(_("kind"), max_length=16, choices=SnippetEventKind.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("content type")
    )
    object_id = models.CharField(_("object"), max_length=64)
    object_repr = models.CharField(_("name"), max_length=255, blank=True)

    class Meta(Event.Meta):
        verbose_name = _("CMS change")
        verbose_name_plural = _("CMS changes")
        indexes = [models.Index(fields=["content_type", "object_id"], name="events_snippet_object")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_repr} {self.at:%Y-%m-%d %H:%M}"
