"""Models of the kpi app: POS receipts, import batches, and daily store facts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpi.choices import BatchSource, BatchStatus


class ImportBatch(models.Model):
    """One load of receipts (a file, an API call, a bulk command), applied or rejected."""

    source = models.CharField(_("source"), max_length=16, choices=BatchSource.choices)
    filename = models.CharField(_("file"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("loaded at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    inserted = models.PositiveIntegerField(_("new receipts"), default=0)
    already_loaded = models.PositiveIntegerField(_("already loaded"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        verbose_name = _("receipt import")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.filename} ({self.status})"


class Receipt(models.Model):
    """One POS receipt; identified when it carries a loyalty card (or phone) id."""

    store = models.ForeignKey("org.Store", on_delete=models.PROTECT, related_name="receipts")
    receipt_id = models.CharField(_("receipt"), max_length=64)
    issued_at = models.DateTimeField(_("time"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    items = models.PositiveIntegerField(_("items"))
    card_id = models.CharField(_("loyalty card"), max_length=64, blank=True)
    cashier = models.CharField(_("cashier personnel number"), max_length=20, blank=True)
    new_member = models.BooleanField(_("new member enrolled"), default=False)
    phone_captured = models.BooleanField(_("phone captured"), default=False)
    email_captured = models.BooleanField(_("e-mail captured"), default=False)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="receipts")

    class Meta:
        verbose_name = _("receipt")
        constraints = [
            models.UniqueConstraint(fields=["store", "receipt_id"], name="kpi_receipt_once")
        ]
        indexes = [models.Index(fields=["store", "issued_at"])]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.receipt_id}"


class StoreDay(models.Model):
    """The facts of one store on one day, refreshed for the days a batch touched."""

    store = models.ForeignKey("org.Store", on_delete=models.CASCADE, related_name="days")
    day = models.DateField(_("day"))
    receipts = models.PositiveIntegerField(default=0)
    identified = models.PositiveIntegerField(default=0)
    turnover = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    lp_turnover = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    items = models.PositiveIntegerField(default=0)
    distinct_cards = models.PositiveIntegerField(default=0)
    new_members = models.PositiveIntegerField(default=0)
    phones = models.PositiveIntegerField(default=0)
    emails = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("store day")
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="kpi_store_day_once")]

    def __str__(self) -> str:
        return f"{self.store_id} {self.day}"
