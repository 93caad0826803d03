"""Models of the audits app.

Mystery-shopper checklists, visits, scored reports and corrective actions. For now the
checklist template (what a mystery shopper checks in a store), written by LP managers,
and its event table: the worked example of a room's contract (see docs/architecture.md,
"A new room has")."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField

from audits.blocks import SectionBlock
from audits.choices import ChecklistEventKind, ChecklistStatus, Critical, PosFact, QuestionKind
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
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark, %"), default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    sections = StreamField(
        [("section", SectionBlock())], blank=True, verbose_name=_("sections and questions")
    )

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


class ChecklistVersion(models.Model):
    """A checklist as it was published: frozen. Visits are filed against a version and
    keep it; editing the checklist and publishing again makes the next version."""

    checklist = models.ForeignKey(
        Checklist, on_delete=models.PROTECT, related_name="versions", verbose_name=_("checklist")
    )
    number = models.PositiveIntegerField(_("version"))
    pass_mark = models.DecimalField(_("pass mark, %"), max_digits=4, decimal_places=1)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("published by"),
    )
    # The sections as the CMS stored them: publishing them unchanged makes no new version.
    source = models.JSONField(_("source"), default=list)

    class Meta:
        verbose_name = _("checklist version")
        verbose_name_plural = _("checklist versions")
        ordering = ["checklist", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["checklist", "number"], name="audits_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.checklist} v{self.number}"


class ChecklistSection(models.Model):
    version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.CASCADE,
        related_name="sections",
        verbose_name=_("version"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("section"), max_length=200)
    pass_mark = models.DecimalField(_("pass mark, %"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("checklist section")
        verbose_name_plural = _("checklist sections")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.title


class ChecklistQuestion(models.Model):
    """A question of a published version. `key` is the CMS block's id: the same question
    in the next version keeps it (results per question add up across versions)."""

    version = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("version"),
    )
    section = models.ForeignKey(
        ChecklistSection,
        on_delete=models.CASCADE,
        related_name="questions",
        verbose_name=_("section"),
    )
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.CharField(_("key"), max_length=64)
    text = models.CharField(_("question"), max_length=300)
    guidance = models.TextField(_("what counts as yes"), blank=True)
    kind = models.CharField(_("answer"), max_length=16, choices=QuestionKind.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=1, default=1)
    critical = models.CharField(
        _("critical"), max_length=16, choices=Critical.choices, blank=True, default=Critical.NO
    )
    allow_na = models.BooleanField(_("N/A allowed"), default=True)
    photo_when_failed = models.BooleanField(_("photo required when failed"), default=False)
    options = models.JSONField(_("options"), default=list, blank=True)  # [[label, "share"]]
    low = models.DecimalField(_("passes from"), max_digits=12, decimal_places=2, null=True)
    high = models.DecimalField(_("passes up to"), max_digits=12, decimal_places=2, null=True)
    sop_page = models.ForeignKey(
        "sop.ReadablePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("SOP page it checks"),
    )
    sop_step = models.CharField(_("step of the SOP"), max_length=100, blank=True)
    pos_fact = models.CharField(
        _("checked against the till"),
        max_length=16,
        choices=PosFact.choices,
        blank=True,
        default=PosFact.NONE,
    )

    class Meta:
        verbose_name = _("checklist question")
        verbose_name_plural = _("checklist questions")
        ordering = ["version", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="audits_question_once")
        ]

    def __str__(self) -> str:
        return self.text


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
