"""Models of the kpi app: POS receipts, import batches, daily store facts and their
nightly check, plans, POS systems."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpi.choices import BatchEventKind, BatchSource, BatchStatus, DriftStatus, KpiCode
from portal.events.models import Event
from portal.imports.models import ImportRecord


class ImportBatch(ImportRecord):
    """One load of receipts (a file, an API call, a bulk command): applied, rejected, or
    pending an LP manager's approval (a manual upload by anyone outside HQ, whose
    receipts wait in `PendingReceipt`); HQ may later revert it (`kpi.services`)."""

    source = models.CharField(_("source"), max_length=16, choices=BatchSource.choices)
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices)
    inserted = models.PositiveIntegerField(_("new receipts"), default=0)
    pos = models.ForeignKey(
        "kpi.PosSystem",
        verbose_name=_("POS system"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="batches",
    )
    store_days = models.JSONField(
        _("store days touched"), default=list, blank=True, help_text="[[store id, 'YYYY-MM-DD']]"
    )

    class Meta(ImportRecord.Meta):
        verbose_name = _("receipt import")
        verbose_name_plural = _("receipt imports")

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.filename} ({self.status})"

    @property
    def already_loaded(self) -> int:
        """Rows of the batch whose receipts were in the portal before it."""
        return self.rows - self.inserted


class ReceiptFields(models.Model):
    """The facts of one POS receipt, shared by counted and pending receipts."""

    # A fact table loaded millions of rows at a time: the store is checked by the set-based
    # validation of each batch, so the database does not re-check it row by row (no FK
    # constraint); Django still refuses to delete a store that has receipts (PROTECT).
    store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
        db_index=False,  # the unique (store, receipt id) index leads with the store
        verbose_name=_("store"),
    )
    receipt_id = models.CharField(_("receipt"), max_length=64)
    issued_at = models.DateTimeField(_("time"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    items = models.PositiveIntegerField(_("items"))
    card_id = models.CharField(_("loyalty card"), max_length=64, blank=True)
    cashier = models.CharField(_("cashier personnel number"), max_length=20, blank=True)
    new_member = models.BooleanField(_("new member enrolled"), default=False)
    phone_captured = models.BooleanField(_("phone captured"), default=False)
    email_captured = models.BooleanField(_("e-mail captured"), default=False)

    class Meta:
        abstract = True


class Receipt(ReceiptFields):
    """One POS receipt; identified when it carries a loyalty card (or phone) id."""

    store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        related_name="receipts",
        db_constraint=False,
        db_index=False,  # the unique (store, receipt id) index leads with the store
        verbose_name=_("store"),
    )
    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.PROTECT,
        related_name="receipts",
        db_constraint=False,
        db_index=False,  # batches record the store days they touched (`store_days`)
        verbose_name=_("batch"),
    )

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(fields=["store", "receipt_id"], name="kpi_receipt_once")
        ]
        # The time index is made by migration 0002: BRIN on PostgreSQL (receipts arrive in
        # time order, so it finds a day's blocks at a fraction of a B-tree's cost to
        # maintain on bulk loads), a plain index elsewhere.

    def __str__(self) -> str:
        return f"{self.store_id}/{self.receipt_id}"


class PendingReceipt(ReceiptFields):
    """A receipt of a batch waiting for approval: stored, not counted (no store day reads
    it), and not blocking a receipt with the same id from the POS: the unique index of
    counted receipts does not cover it. Approval merges the batch's pending receipts into
    `Receipt`; approval, rejection or revert deletes them."""

    batch = models.ForeignKey(
        ImportBatch,
        on_delete=models.CASCADE,
        related_name="pending_receipts",
        db_index=False,  # the unique (batch, store, receipt id) index leads with the batch
        verbose_name=_("batch"),
    )

    class Meta:
        verbose_name = _("pending receipt")
        verbose_name_plural = _("pending receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "store", "receipt_id"], name="kpi_pending_receipt_once"
            )
        ]
        # "Pending receipts exist for these stores and this period" on the boards.
        indexes = [models.Index(fields=["store", "issued_at"], name="kpi_pending_store_time")]

    def __str__(self) -> str:
        return f"{self.store_id}/{self.receipt_id} ({self.batch_id})"


class ImportBatchEvent(Event):
    """A decision on a batch: submitted for approval, approved, rejected or reverted,
    by whom, when, why (`reason`), with its counts (`payload`)."""

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.PROTECT, related_name="events", verbose_name=_("batch")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=BatchEventKind.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("receipt import event")
        verbose_name_plural = _("receipt import events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class StoreDay(models.Model):
    """The facts of one store on one day, refreshed for the days a batch touched."""

    store = models.ForeignKey(
        "org.Store", on_delete=models.CASCADE, related_name="days", verbose_name=_("store")
    )
    day = models.DateField(_("day"))
    receipts = models.PositiveIntegerField(default=0, verbose_name=_("receipts"))
    identified = models.PositiveIntegerField(default=0, verbose_name=_("receipts with a card"))
    turnover = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, verbose_name=_("turnover")
    )
    lp_turnover = models.DecimalField(
        max_digits=14, decimal_places=2, default=0, verbose_name=_("turnover with a card")
    )
    items = models.PositiveIntegerField(default=0, verbose_name=_("items sold"))
    distinct_cards = models.PositiveIntegerField(default=0, verbose_name=_("distinct cards"))
    new_members = models.PositiveIntegerField(default=0, verbose_name=_("new members"))
    phones = models.PositiveIntegerField(default=0, verbose_name=_("phone numbers given"))
    emails = models.PositiveIntegerField(default=0, verbose_name=_("e-mails given"))
    # The day's distinct cards, sorted: participants over any period are the union of its
    # days' lists, so no page counts them from the receipts.
    cards = models.JSONField(default=list, blank=True, verbose_name=_("cards seen"))

    class Meta:
        verbose_name = _("store day")
        verbose_name_plural = _("store days")
        constraints = [models.UniqueConstraint(fields=["store", "day"], name="kpi_store_day_once")]
        # "Receipts up to …" on every KPI page reads the latest day.
        indexes = [models.Index(fields=["day"], name="kpi_store_day_day")]

    def __str__(self) -> str:
        return f"{self.store_id} {self.day}"


class Plan(models.Model):
    """A target for one KPI over a period: for a store, for a region, or (neither) the
    network. The most specific plan covering a period applies (store, region, network)."""

    kpi = models.CharField(_("KPI"), max_length=32, choices=KpiCode.choices)
    store = models.ForeignKey(
        "org.Store",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plans",
        verbose_name=_("store"),
    )
    region = models.ForeignKey(
        "org.Region",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="plans",
        verbose_name=_("region"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    target = models.DecimalField(
        _("target"),
        max_digits=12,
        decimal_places=4,
        help_text=_("Shares as a percentage (80 means 80%), amounts in roubles."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-starts_on", "kpi"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(store__isnull=True) | models.Q(region__isnull=True),
                name="kpi_plan_store_or_region",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="kpi_plan_period"
            ),
            models.CheckConstraint(condition=models.Q(target__gt=0), name="kpi_plan_positive"),
        ]
        indexes = [models.Index(fields=["kpi", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()} {self.scope_label}: {self.target}"

    @property
    def scope_label(self) -> str:
        if self.store_id:
            return str(self.store)
        if self.region_id:
            return str(self.region)
        return str(_("network"))

    def clean(self) -> None:
        if self.store_id and self.region_id:
            raise ValidationError(_("A plan is for a store or for a region, not both."))
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The period ends before it starts.")})


class DriftCheck(models.Model):
    """The nightly comparison of stored store days with a recount from the receipts.

    `drift` lists every (store, day, fact) that differed; those days are then refreshed."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=DriftStatus.choices)
    days_checked = models.PositiveIntegerField(_("store days checked"), default=0)
    days_drifted = models.PositiveIntegerField(_("store days with drift"), default=0)
    drift = models.JSONField(_("differences"), default=list, blank=True)

    class Meta:
        verbose_name = _("consistency check")
        verbose_name_plural = _("consistency checks")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class PosSystem(models.Model):
    """A cash-register system that sends receipts through the API, for its own stores.

    Its token is shown once when issued; only its SHA-256 is kept (`kpi.pos`)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    stores = models.ManyToManyField(
        "org.Store", related_name="pos_systems", verbose_name=_("stores")
    )
    token_prefix = models.CharField(
        _("token prefix"), max_length=8, help_text=_("The first characters, to recognise it.")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        verbose_name = _("POS system")
        verbose_name_plural = _("POS systems")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PosTokenEvent(Event):
    """A token issued to a POS system for the first time, or rotated (the old one stops
    working); the stores it was given then, and who issued it (empty: the `pos_token`
    command). Deactivation goes through the admin's log."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Token issued")
        ROTATED = "rotated", _("Token rotated")

    pos = models.ForeignKey(
        PosSystem, on_delete=models.CASCADE, related_name="events", verbose_name=_("POS system")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    token_prefix = models.CharField(_("token prefix"), max_length=8)
    stores = models.JSONField(_("stores"), default=list)

    class Meta:
        verbose_name = _("POS token event")
        verbose_name_plural = _("POS token events")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.pos} {self.kind} {self.at:%Y-%m-%d %H:%M}"
