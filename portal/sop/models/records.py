"""What happens to readable pages: published versions, confirmations, owners.

Reminders about them are notifications (`portal.notify`, keys "sop.reading:<version>:<reader>").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.sop.choices import Aspect, ChangeKind


class SopVersion(models.Model):
    """One publication of a readable page, marked minor or material by its editor."""

    page = models.ForeignKey(
        "sop.ReadablePage",
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("page"),
    )
    revision = models.OneToOneField(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="sop_version",
        verbose_name=_("revision"),
    )
    kind = models.CharField(_("change"), max_length=16, choices=ChangeKind.choices)
    change_summary = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["page_id", "revision_id"]
        indexes = [models.Index(fields=["page", "kind", "revision"])]

    def __str__(self) -> str:
        return f"{self.page_id}@{self.revision_id} ({self.kind})"


class ImmutableRecord(Exception):
    pass


class Acknowledgement(models.Model):
    """«Read and understood»: a person confirmed one revision of a page. Never changes."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("person"),
    )
    page = models.ForeignKey(
        "sop.ReadablePage",
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("page"),
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("revision"),
    )
    acknowledged_at = models.DateTimeField(_("confirmed at"), default=timezone.now)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")
        constraints = [
            models.UniqueConstraint(fields=["person", "revision"], name="sop_ack_once_per_revision")
        ]
        indexes = [models.Index(fields=["page", "person", "revision"])]

    def __str__(self) -> str:
        return f"{self.person_id} read {self.page_id}@{self.revision_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ImmutableRecord("A confirmation is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecord("A confirmation is never deleted.")


class Responsibility(models.Model):
    """Who answers for an aspect of the LP in the network, a region or a store."""

    aspect = models.CharField(_("aspect"), max_length=32, choices=Aspect.choices)
    region = models.ForeignKey(
        "org.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text=_("Leave region and store empty for the whole network."),
    )
    store = models.ForeignKey(
        "org.Store", verbose_name=_("store"), null=True, blank=True, on_delete=models.CASCADE
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["aspect", "region_id", "store_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=True) | Q(store__isnull=True),
                name="sop_responsibility_one_level",
            ),
            models.UniqueConstraint(
                fields=["aspect"],
                condition=Q(region__isnull=True, store__isnull=True),
                name="sop_responsibility_network_once",
            ),
            models.UniqueConstraint(
                fields=["aspect", "region"],
                condition=Q(region__isnull=False),
                name="sop_responsibility_region_once",
            ),
            models.UniqueConstraint(
                fields=["aspect", "store"],
                condition=Q(store__isnull=False),
                name="sop_responsibility_store_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_aspect_display()}: {self.person}"

    @property
    def level_label(self) -> str:
        if self.store_id:
            return str(self.store)
        if self.region_id:
            return str(self.region)
        return str(_("Whole network"))


class RereadRequest(models.Model):
    """A person is asked to read a page again (a mystery shopper saw its rule broken in
    their store, say): confirming the page, even the revision confirmed before, answers it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reread_requests",
        verbose_name=_("person"),
    )
    page = models.ForeignKey(
        "sop.ReadablePage",
        on_delete=models.CASCADE,
        related_name="reread_requests",
        verbose_name=_("page"),
    )
    reason = models.CharField(_("why"), max_length=300)
    url = models.CharField(_("link"), max_length=200, blank=True)
    requested_at = models.DateTimeField(_("asked at"), default=timezone.now)
    due_on = models.DateField(_("due"))
    answered_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to read again")
        verbose_name_plural = _("requests to read again")
        ordering = ["-requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "page"],
                condition=Q(answered_at__isnull=True),
                name="sop_reread_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.page_id}"
