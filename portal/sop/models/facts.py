"""Per-store compliance facts: what a store's people must confirm and have confirmed.

Counting confirmations takes one statement over every person × page (`portal.sop.tallies`),
whose cost grows with the chain. Store, region and network pages read these rows instead:
one `ComplianceDay` per store and day (its history is the store's daily figure, which the
bonus scorecard reads) and one `CompliancePageCount` per store, page and day (the recent days).
`portal.sop.facts` keeps them: a change records a `ComplianceChange` (the confirmations,
publications and people it touches), and a store whose row of the day is older than a
change affecting it is counted again when read, and by the nightly task.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ComplianceCounts(models.Model):
    required = models.PositiveIntegerField(_("to confirm"), default=0)
    confirmed = models.PositiveIntegerField(_("confirmed"), default=0)
    overdue = models.PositiveIntegerField(_("overdue"), default=0)

    class Meta:
        abstract = True


class ComplianceDay(ComplianceCounts):
    """A store's SOP confirmations on a day, as last counted that day."""

    store = models.ForeignKey(
        "org.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    day = models.DateField(_("day"))
    people = models.PositiveIntegerField(_("people"), default=0)
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("store compliance day")
        verbose_name_plural = _("store compliance days")
        constraints = [
            models.UniqueConstraint(fields=["store", "day"], name="sop_compliance_day_once")
        ]
        indexes = [models.Index(fields=["day", "store"], name="sop_compliance_day_day")]

    def __str__(self) -> str:
        return f"{self.store_id} {self.day}: {self.confirmed}/{self.required}"


class CompliancePageCount(ComplianceCounts):
    """A store's people against one mandatory page on a day, counted with its
    `ComplianceDay` (kept for the recent days only: the nightly task drops older ones)."""

    store = models.ForeignKey(
        "org.Store", on_delete=models.CASCADE, related_name="+", verbose_name=_("store")
    )
    page = models.ForeignKey(
        "sop.ReadablePage", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    day = models.DateField(_("day"))

    class Meta:
        verbose_name = _("store compliance by page")
        verbose_name_plural = _("store compliance by page")
        constraints = [
            models.UniqueConstraint(
                fields=["store", "day", "page"], name="sop_compliance_page_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.store_id} {self.day} {self.page_id}: {self.confirmed}/{self.required}"


class ComplianceChange(models.Model):
    """Something that changes a store's figures happened (no store: every store's)."""

    store = models.ForeignKey(
        "org.Store",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("compliance change")
        verbose_name_plural = _("compliance changes")
        indexes = [models.Index(fields=["store", "at"], name="sop_compliance_change_at")]

    def __str__(self) -> str:
        return f"{self.store_id or '*'} {self.at:%Y-%m-%d %H:%M:%S}"
