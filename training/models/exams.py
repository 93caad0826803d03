"""Courses, exams and their draw rules, who must take them, and certificates."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.org.choices import Role


class Course(ClusterableModel):
    """Study material in order (SOP and script pages), then an exam."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title


class CourseItem(models.Model):
    course = ParentalKey(
        Course, on_delete=models.CASCADE, related_name="items", verbose_name=_("course")
    )
    page = models.ForeignKey(
        "sop.ReadablePage",
        verbose_name=_("SOP or script"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["course", "page"], name="training_course_page_once")
        ]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.position}"


class ReviewOption(models.TextChoices):
    SCORE = "score", _("Score only")
    ANSWERS = "answers", _("Score and which answers were right")
    FEEDBACK = "feedback", _("Score, right answers and feedback")


class Exam(ClusterableModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=200)
    course = models.ForeignKey(
        Course, verbose_name=_("course"), null=True, blank=True, on_delete=models.SET_NULL
    )
    pass_mark = models.DecimalField(_("pass mark, %"), max_digits=5, decimal_places=2, default=80)
    time_limit_minutes = models.PositiveSmallIntegerField(_("time limit, minutes"), default=30)
    grace_seconds = models.PositiveSmallIntegerField(_("grace after the deadline, s"), default=60)
    attempts_limit = models.PositiveSmallIntegerField(
        _("attempts allowed"),
        default=3,
        help_text=_(
            "0 means unlimited: a learner may retake the exam until the questions drawn "
            "repeat, so an exam that issues certificates should have a limit."
        ),
    )
    cooloff_hours = models.PositiveSmallIntegerField(
        _("pause between attempts, hours"),
        default=1,
        help_text=_("Counted from the end of the previous attempt."),
    )
    validity_months = models.PositiveSmallIntegerField(_("certificate valid, months"), default=12)
    review_after_submit = models.CharField(
        _("after submitting the learner sees"),
        max_length=16,
        choices=ReviewOption.choices,
        default=ReviewOption.ANSWERS,
    )
    review_after_close = models.CharField(
        _("once the exam closes the learner sees"),
        max_length=16,
        choices=ReviewOption.choices,
        default=ReviewOption.FEEDBACK,
    )
    delta_of = models.ForeignKey(
        "self",
        verbose_name=_("short retest of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deltas",
        help_text=_("A delta exam retests only the topics an SOP change touched."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("exam")
        verbose_name_plural = _("exams")

    def __str__(self) -> str:
        return self.title

    @property
    def issues_certificates(self) -> bool:
        """A delta retest restores the existing certificate; every other exam issues one."""
        return self.delta_of_id is None

    @property
    def question_count(self) -> int:
        return sum(draw.count for draw in self.draws.all())


class ExamDraw(models.Model):
    """Draw `count` random current questions of `category` into each attempt."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="draws", verbose_name=_("exam"))
    category = models.ForeignKey(
        "training.QuestionCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("topic"),
    )
    count = models.PositiveSmallIntegerField(_("questions"), default=3)

    class Meta:
        verbose_name = _("questions drawn from a topic")
        verbose_name_plural = _("questions drawn from topics")
        constraints = [
            models.UniqueConstraint(fields=["exam", "category"], name="training_draw_once")
        ]

    def __str__(self) -> str:
        return f"{self.exam_id}: {self.count} × {self.category_id}"


class AssignmentReason(models.TextChoices):
    RULE = "rule", _("Required for the position")
    EXPIRED = "expired", _("Certificate expired")
    REVOKED = "revoked", _("Certificate withdrawn")
    SOP_CHANGED = "sop_changed", _("An SOP changed materially")
    AUDIT = "audit", _("Refresher after a mystery-shopper visit")


class AssignmentRule(models.Model):
    """Who must pass an exam: by role, optionally region or store, within N days of hire."""

    exam = ParentalKey(Exam, on_delete=models.CASCADE, related_name="rules", verbose_name=_("exam"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    region = models.ForeignKey(
        "org.Region", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("region")
    )
    store = models.ForeignKey(
        "org.Store", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("store")
    )
    within_days = models.PositiveSmallIntegerField(
        _("within days of taking up the position"), default=14
    )

    class Meta:
        verbose_name = _("assignment rule")
        verbose_name_plural = _("assignment rules")

    def __str__(self) -> str:
        return f"{self.exam_id} for {self.role}"


class Assignment(models.Model):
    """A person must pass an exam by a date; done when a passing attempt closes it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exam_assignments",
        verbose_name=_("person"),
    )
    exam = models.ForeignKey(
        Exam, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("exam")
    )
    reason = models.CharField(_("reason"), max_length=16, choices=AssignmentReason.choices)
    due_on = models.DateField(_("due"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    completed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    sop_version = models.ForeignKey(
        "sop.SopVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("SOP version"),
    )

    class Meta:
        verbose_name = _("exam assignment")
        verbose_name_plural = _("exam assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "exam"],
                condition=Q(completed_at__isnull=True),
                name="training_one_open_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.exam_id} for {self.person_id} by {self.due_on}"


def _certificate_code() -> str:
    return secrets.token_hex(6).upper()


class Certificate(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("person"),
    )
    exam = models.ForeignKey(
        Exam, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("exam")
    )
    attempt = models.OneToOneField(
        "training.Attempt",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("attempt"),
    )
    code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=_certificate_code
    )
    score = models.DecimalField(_("score, %"), max_digits=5, decimal_places=2)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    expires_on = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [models.Index(fields=["person", "exam", "expires_on"])]

    def __str__(self) -> str:
        return self.code

    def is_valid_on(self, day) -> bool:
        return self.revoked_at is None and day <= self.expires_on
