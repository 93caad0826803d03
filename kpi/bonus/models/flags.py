"""Abuse flags: a pattern in a period's receipts that holds a store's (or a cashier's)
awards until an LP manager clears or confirms it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpi.bonus.choices import FlagEventKind, FlagKind, FlagStatus
from portal.events.models import Event


class AbuseFlag(models.Model):
    """One pattern found in `[starts_on, ends_on]`'s receipts for a store (and, when it
    is a person's doing, a cashier or a card). `measure` is what was measured against
    `threshold`; `evidence` lists the receipts that show it (store, receipt, time,
    card, cashier), at most `EVIDENCE_ROWS`."""

    kind = models.CharField(_("kind"), max_length=32, choices=FlagKind.choices)
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    cashier = models.CharField(_("cashier personnel number"), max_length=20, blank=True)
    card_id = models.CharField(_("loyalty card"), max_length=64, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    measure = models.DecimalField(_("measured"), max_digits=14, decimal_places=2)
    threshold = models.DecimalField(_("threshold"), max_digits=14, decimal_places=2)
    receipts = models.PositiveIntegerField(_("receipts concerned"), default=0)
    evidence = models.JSONField(_("evidence"), default=list)
    status = models.CharField(
        _("status"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("abuse flag")
        verbose_name_plural = _("abuse flags")
        ordering = ["-starts_on", "store__code", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "store", "cashier", "card_id", "starts_on", "ends_on"],
                name="bonus_flag_once",
            )
        ]
        indexes = [models.Index(fields=["store", "starts_on"], name="bonus_flag_store")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.store_id} · {self.starts_on}"


class FlagEvent(Event):
    flag = models.ForeignKey(
        AbuseFlag, on_delete=models.CASCADE, related_name="events", verbose_name=_("flag")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=FlagEventKind.choices)

    class Meta(Event.Meta):
        verbose_name = _("abuse flag event")
        verbose_name_plural = _("abuse flag events")
