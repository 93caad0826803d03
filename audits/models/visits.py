"""Visits: planned for a store (by a plan, after an LP launch, as a re-check), assigned to
an auditor, filled in against a frozen checklist version, reviewed and published.

A store never sees a visit before it is published, and never its auditor: reports show
the visit's pseudonym."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audits.choices import ReceiptCheck, VisitEventKind, VisitReason, VisitStatus
from audits.models.checklists import Checklist, ChecklistQuestion, ChecklistVersion
from portal.events.models import Event


class VisitPlan(models.Model):
    """Visits of one checklist to every open store of a region (or of the network) in a
    month: creating the plan schedules them, due at the month's end."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="plans", verbose_name=_("checklist")
    )
    region = models.ForeignKey(
        "org.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty: every region."),
    )
    month = models.DateField(_("month"))  # its first day
    visits_per_store = models.PositiveSmallIntegerField(
        _("visits per store"), default=1, validators=[MinValueValidator(1)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("planned by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit plan")
        verbose_name_plural = _("visit plans")
        ordering = ["-month", "region__name", "pk"]

    def __str__(self) -> str:
        return f"{self.checklist} {self.month:%m.%Y}"


class Visit(models.Model):
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, related_name="+", verbose_name=_("store")
    )
    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="visits", verbose_name=_("checklist")
    )
    # The version it is filed against: set when filling in starts, never changed after.
    version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("checklist version"),
    )
    reason = models.CharField(_("reason"), max_length=16, choices=VisitReason.choices)
    plan = models.ForeignKey(
        VisitPlan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("visit plan"),
    )
    recheck_of = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recheck",
        verbose_name=_("re-check of"),
    )
    not_before = models.DateField(_("not before"))
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=VisitStatus.choices, default=VisitStatus.PLANNED
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_visits",
        verbose_name=_("auditor"),
    )
    pseudonym = models.CharField(_("mystery shopper"), max_length=16, blank=True)
    # Filled in by the auditor.
    started_at = models.DateTimeField(_("entered the store"), null=True, blank=True)
    ended_at = models.DateTimeField(_("left the store"), null=True, blank=True)
    observations = models.TextField(_("observations"), blank=True)
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)
    receipt_at = models.DateTimeField(_("purchase time"), null=True, blank=True)
    receipt_amount = models.DecimalField(
        _("purchase amount"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    reimbursement = models.DecimalField(
        _("to reimburse"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    # The receipt as the POS data knows it.
    receipt_check = models.CharField(
        _("receipt in the POS data"),
        max_length=16,
        choices=ReceiptCheck.choices,
        default=ReceiptCheck.PENDING,
    )
    receipt_checked_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("receipt checked at")
    )
    pos_receipt = models.CharField(_("POS receipt"), max_length=64, blank=True)
    pos_identified = models.BooleanField(_("identified in the POS data"), null=True)
    # The score as filed (audits.scoring), frozen: changed only by a correction or an
    # accepted appeal, each with its event.
    score = models.DecimalField(
        _("score, %"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by the store"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["store"],
                condition=Q(reason=VisitReason.LAUNCH) & ~Q(status=VisitStatus.CANCELLED),
                name="audits_one_launch_visit",
            ),
        ]
        indexes = [
            models.Index(fields=["auditor", "status", "due_on"], name="audits_visit_auditor"),
            models.Index(fields=["store", "status", "published_at"], name="audits_visit_store"),
            models.Index(fields=["status", "published_at"], name="audits_visit_published"),
            # The lists (newest due first, fifty a page): an auditor's own and a store's read
            # their page from these, not every visit the auditor or the store ever had.
            models.Index(fields=["auditor", "due_on", "id"], name="audits_visit_auditor_list"),
            models.Index(fields=["store", "due_on", "id"], name="audits_visit_store_list"),
        ]

    def __str__(self) -> str:
        return _("Visit %(number)s") % {"number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("audits:visit_detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"В-{self.pk:06d}" if self.pk else "—"


class VisitAnswer(models.Model):
    """The auditor's answer to one question. Saved as given (one request per answer, or a
    batch the browser kept while offline); `answered_at` is the phone's time, so an older
    answer arriving late never overwrites a newer one."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="answers", verbose_name=_("visit")
    )
    question = models.ForeignKey(
        ChecklistQuestion, on_delete=models.PROTECT, related_name="+", verbose_name=_("question")
    )
    value = models.CharField(_("answer"), max_length=2000, blank=True)
    na = models.BooleanField(_("N/A"), default=False)
    comment = models.CharField(_("comment"), max_length=2000, blank=True)
    answered_at = models.DateTimeField(_("answered at"))
    saved_at = models.DateTimeField(_("saved at"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["visit", "question"], name="audits_answer_once")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {'N/A' if self.na else self.value}"


def photo_path(photo: VisitPhoto, filename: str) -> str:
    return f"audits/visits/{photo.visit_id}/{filename}"


class VisitPhoto(models.Model):
    """A photo taken during the visit: re-encoded as JPEG without its EXIF/GPS, stored
    privately, served only through the permission-checked media view."""

    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit")
    )
    question = models.ForeignKey(
        ChecklistQuestion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("question"),
    )
    file = models.FileField(_("photo"), upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(verbose_name=_("width, px"))
    height = models.PositiveIntegerField(verbose_name=_("height, px"))
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(default=timezone.now, verbose_name=_("uploaded at"))

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.file.name


class VisitEvent(Event):
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="events", verbose_name=_("visit")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=VisitEventKind.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
