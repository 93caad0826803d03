"""A bonus scheme as HQ sets it up once, the HR terms it pays by, and the scorecard's
weights."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kpi.bonus.choices import Mode, Payees, PeriodKind, SchemeEventKind, SchemeStatus, Scope, Split
from portal.events.models import Event

MONEY = {"max_digits": 12, "decimal_places": 2}


class Scheme(models.Model):
    """Motivation/demotivation on a ranking (DOMAIN.md): which metric, over which period
    and stores, who is paid, and how (zero-sum or plan threshold). Amounts are roubles
    per person; a deduction never exceeds a person's variable bonus (`deduction_cap`,
    or the person's own from HR when lower)."""

    name = models.CharField(_("name"), max_length=200)
    metric = models.CharField(
        _("metric"), max_length=32, help_text=_("A ranked KPI, or the store scorecard.")
    )
    period = models.CharField(_("period"), max_length=8, choices=PeriodKind.choices)
    scope = models.CharField(_("ranked"), max_length=8, choices=Scope.choices)
    regions = models.ManyToManyField(
        "org.Region",
        blank=True,
        related_name="+",
        verbose_name=_("regions"),
        help_text=_("None: the whole network."),
    )
    payees = models.CharField(_("who is paid"), max_length=16, choices=Payees.choices)
    mode = models.CharField(_("mode"), max_length=16, choices=Mode.choices)
    split = models.CharField(
        _("split of the pool"), max_length=8, choices=Split.choices, default=Split.EQUAL
    )
    top_n = models.PositiveSmallIntegerField(
        _("top stores"), default=3, validators=[MinValueValidator(1)]
    )
    bottom_n = models.PositiveSmallIntegerField(
        _("bottom stores"), default=3, validators=[MinValueValidator(1)]
    )
    award = models.DecimalField(_("award per person"), default=Decimal(0), **MONEY)
    deduction = models.DecimalField(_("deduction per person"), default=Decimal(0), **MONEY)
    deduction_cap = models.DecimalField(
        _("variable bonus (deduction cap) per person"),
        **MONEY,
        help_text=_("A deduction reduces the variable bonus and never goes beyond it."),
    )
    budget_cap = models.DecimalField(
        _("budget cap per period"),
        null=True,
        blank=True,
        **MONEY,
        help_text=_("Threshold schemes: awards are scaled down to fit it."),
    )
    min_coverage = models.DecimalField(
        _("minimum certified-staff coverage, %"),
        null=True,
        blank=True,
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    exclude_audit_failures = models.BooleanField(
        _("no award after a critical audit failure"), default=False
    )
    suspend_after = models.PositiveSmallIntegerField(
        _("suspend after plan met (periods in a row)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    resume_after = models.PositiveSmallIntegerField(
        _("resume after plan missed (periods in a row)"),
        default=1,
        validators=[MinValueValidator(1)],
    )
    dispute_days = models.PositiveSmallIntegerField(_("dispute window, days"), default=5)
    accrual_code = models.CharField(_("payroll accrual code"), max_length=20, default="2000")
    deduction_code = models.CharField(_("payroll deduction code"), max_length=20, default="2010")
    starts_on = models.DateField(_("in force from"))
    status = models.CharField(
        _("status"), max_length=16, choices=SchemeStatus.choices, default=SchemeStatus.ACTIVE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("bonus scheme")
        verbose_name_plural = _("bonus schemes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(award__gte=0) & Q(deduction__gte=0) & Q(deduction_cap__gte=0),
                name="bonus_scheme_amounts_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SchemeEvent(Event):
    scheme = models.ForeignKey(
        Scheme, on_delete=models.CASCADE, related_name="events", verbose_name=_("scheme")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=SchemeEventKind.choices)

    class Meta(Event.Meta):
        verbose_name = _("bonus scheme event")
        verbose_name_plural = _("bonus scheme events")


class StaffTerms(models.Model):
    """What HR says of a person for the schemes: the FTE share (1 = full time) and the
    variable bonus a deduction may reduce (imported from HR's file)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bonus_terms",
        verbose_name=_("person"),
    )
    fte = models.DecimalField(
        _("FTE share"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.5"))],
    )
    variable_bonus = models.DecimalField(_("variable bonus"), null=True, blank=True, **MONEY)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("HR terms")
        verbose_name_plural = _("HR terms")
        constraints = [
            models.CheckConstraint(condition=Q(fte__gt=0), name="bonus_terms_fte_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.fte}"


class ScorecardWeights(models.Model):
    """HQ's weights of the store scorecard's components (one row, the latest applies)."""

    penetration = models.PositiveSmallIntegerField(_("penetration vs plan"), default=40)
    audit = models.PositiveSmallIntegerField(_("latest mystery-shopper score"), default=20)
    coverage = models.PositiveSmallIntegerField(_("certified-staff coverage"), default=15)
    sop = models.PositiveSmallIntegerField(_("SOP confirmation"), default=10)
    complaints = models.PositiveSmallIntegerField(_("complaints per 1,000 receipts"), default=10)
    not_identified = models.PositiveSmallIntegerField(_("«not identified» complaints"), default=5)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("scorecard weights")
        verbose_name_plural = _("scorecard weights")
        ordering = ["-changed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M}"
