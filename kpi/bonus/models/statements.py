"""A period's statement of a scheme (one per region, or one for the network), its
stores' results, its lines per person, the disputes on them and the corrections carried
into the next period.

A locked statement never changes: the services refuse it, and the database too (the
triggers of migration 0002 refuse an UPDATE or DELETE of a locked statement, and any
write to its results and lines)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpi.bonus.choices import (
    DisputeStatus,
    Ineligible,
    LineKind,
    Outcome,
    PeriodKind,
    StatementEventKind,
    StatementStatus,
)
from kpi.bonus.models.schemes import MONEY, Scheme
from portal.events.models import Event


def _user(name: str, *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name="+",
        verbose_name=name,
    )


class Statement(models.Model):
    """Who gets what for one period of a scheme, in one region (`region`) or the network
    (None). Draft → open for disputes → approved by the regional manager → approved by HQ
    and locked. Whoever prepared or last changed it cannot approve it, and its two
    approvers are different people (checked by the database as well)."""

    scheme = models.ForeignKey(
        Scheme, on_delete=models.PROTECT, related_name="statements", verbose_name=_("scheme")
    )
    region = models.ForeignKey(
        "org.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    period_kind = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=16, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    suspended = models.BooleanField(
        _("scheme suspended"), default=False, help_text=_("Ranked and shown, nothing paid.")
    )
    metric_label = models.CharField(_("metric"), max_length=200)
    scope_value = models.DecimalField(
        _("scope's value"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    scope_target = models.DecimalField(
        _("scope's plan"), max_digits=12, decimal_places=4, null=True, blank=True
    )
    scope_met = models.BooleanField(_("scope met plan"), null=True, blank=True)
    awarded = models.DecimalField(_("awarded"), default=0, **MONEY)
    deducted = models.DecimalField(_("deducted"), default=0, **MONEY)
    adjusted = models.DecimalField(_("adjustments"), default=0, **MONEY)
    excluded_people = models.JSONField(_("people excluded after disputes"), default=list)
    excluded_stores = models.JSONField(_("stores excluded after disputes"), default=list)
    dispute_until = models.DateField(_("disputes until"), null=True, blank=True)
    prepared_by = _user(_("prepared by"))
    prepared_at = models.DateTimeField(_("prepared at"), default=timezone.now)
    changed_by = _user(_("last changed by"))
    region_approved_by = _user(_("approved by (region)"))
    region_approved_at = models.DateTimeField(_("approved (region)"), null=True, blank=True)
    hq_approved_by = _user(_("approved by (HQ)"))
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bonus statement")
        verbose_name_plural = _("bonus statements")
        ordering = ["-starts_on", "scheme", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "region", "starts_on"],
                condition=Q(region__isnull=False),
                name="bonus_statement_once_per_region",
            ),
            models.UniqueConstraint(
                fields=["scheme", "starts_on"],
                condition=Q(region__isnull=True),
                name="bonus_statement_once_for_network",
            ),
            models.CheckConstraint(
                condition=Q(region_approved_by__isnull=True)
                | (
                    ~Q(region_approved_by=F("prepared_by")) & ~Q(region_approved_by=F("changed_by"))
                ),
                name="bonus_region_approver_not_preparer",
            ),
            models.CheckConstraint(
                condition=Q(hq_approved_by__isnull=True)
                | (
                    ~Q(hq_approved_by=F("prepared_by"))
                    & ~Q(hq_approved_by=F("changed_by"))
                    & ~Q(hq_approved_by=F("region_approved_by"))
                ),
                name="bonus_hq_approver_not_preparer_nor_first",
            ),
            models.CheckConstraint(
                condition=~Q(status=StatementStatus.LOCKED)
                | (Q(hq_approved_by__isnull=False) & Q(region_approved_by__isnull=False)),
                name="bonus_locked_has_two_approvers",
            ),
        ]

    def __str__(self) -> str:
        where = self.region or _("network")
        return f"{self.scheme} · {where} · {self.starts_on:%d.%m.%Y}–{self.ends_on:%d.%m.%Y}"

    @property
    def is_locked(self) -> bool:
        return self.status == StatementStatus.LOCKED

    @property
    def balance(self):
        return self.awarded - self.deducted


class StoreResult(models.Model):
    """A store's place in the statement: its value, rank, plan and why it is or is not
    paid."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="results", verbose_name=_("statement")
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4, null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    receipts = models.PositiveIntegerField(_("receipts"), default=0)
    target = models.DecimalField(_("plan"), max_digits=12, decimal_places=4, null=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    ineligible = models.CharField(
        _("not eligible because"), max_length=16, choices=Ineligible.choices, blank=True
    )
    people = models.PositiveIntegerField(_("people"), default=0)
    amount = models.DecimalField(_("amount"), default=0, **MONEY)

    class Meta:
        verbose_name = _("store result")
        verbose_name_plural = _("store results")
        ordering = ["statement", "rank", "store__code"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "store"], name="bonus_result_once")
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}/{self.store_id}"


class Line(models.Model):
    """One person's award, deduction or adjustment in a statement, signed (a deduction is
    negative), to the kopeck. `basis` keeps what the explanation is built from (metric,
    rank, weight, cap), so the staff's page says why in their language."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("statement")
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bonus_lines",
        verbose_name=_("person"),
    )
    personnel_number = models.CharField(_("personnel number"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=LineKind.choices)
    amount = models.DecimalField(_("amount"), **MONEY)
    capped = models.BooleanField(_("limited by the cap"), default=False)
    basis = models.JSONField(_("basis"), default=dict)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    class Meta:
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        ordering = ["statement", "store__code", "name", "pk"]
        indexes = [models.Index(fields=["person", "statement"], name="bonus_line_person")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind=LineKind.AWARD) | Q(amount__gt=0), name="bonus_award_positive"
            ),
            models.CheckConstraint(
                condition=~Q(kind=LineKind.DEDUCTION) | Q(amount__lt=0),
                name="bonus_deduction_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind=LineKind.ADJUSTMENT) | Q(corrects__isnull=True),
                name="bonus_only_adjustments_correct",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.personnel_number} {self.amount}"


class Dispute(models.Model):
    """A store manager's dispute of a line while the statement is open for disputes,
    decided by the regional manager or HQ (never the person who raised it)."""

    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("statement")
    )
    # The line as disputed: a restatement replaces lines, the dispute stays with the
    # statement, its store, its person and the amount they disputed.
    line = models.ForeignKey(
        Line,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("line"),
    )
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    person = _user(_("person"), null=False)
    amount = models.DecimalField(_("amount disputed"), **MONEY)
    raised_by = _user(_("raised by"), null=False)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    comment = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=16, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    exclude = models.CharField(
        _("on acceptance, exclude"),
        max_length=8,
        choices=[("person", _("the person")), ("store", _("the store"))],
        blank=True,
    )
    decided_by = _user(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-raised_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("raised_by")),
                name="bonus_dispute_not_self_decided",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}/{self.person_id} {self.status}"


class Adjustment(models.Model):
    """A correction of a locked line: carried as an adjustment line into the scheme's
    next statement for the same region (`applied` once it is there)."""

    corrects = models.ForeignKey(
        Line, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("corrects")
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    reason = models.TextField(_("reason"))
    created_by = _user(_("filed by"), null=False)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    applied = models.OneToOneField(
        Line,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustment",
        verbose_name=_("adjustment line"),
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="bonus_adjustment_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.corrects_id} {self.amount}"


class StatementEvent(Event):
    statement = models.ForeignKey(
        Statement, on_delete=models.PROTECT, related_name="events", verbose_name=_("statement")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=StatementEventKind.choices)

    class Meta(Event.Meta):
        verbose_name = _("bonus statement event")
        verbose_name_plural = _("bonus statement events")
