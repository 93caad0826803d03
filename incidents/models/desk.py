"""How the desk is set up: queues (teams), business calendars, SLA policies, canned
replies and the tokens of other intake channels. HQ and supervisors edit these in the
Django admin; the demo creates them through the same models."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from incidents.choices import Category, Priority


class SlaCalendar(models.Model):
    """Business hours of a group of regions: a time zone, the working hours of a working
    day, and Russia's public holidays and transferred working days (the `holidays`
    package) unless `public_holidays` is off. Weekdays are ISO numbers (1 = Monday)."""

    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Moscow")
    opens_at = models.TimeField(_("opens at"), default=dt.time(9, 0))
    closes_at = models.TimeField(_("closes at"), default=dt.time(18, 0))
    weekdays = models.CharField(
        _("working weekdays"), max_length=13, default="1,2,3,4,5", help_text=_("1 = Monday.")
    )
    public_holidays = models.BooleanField(_("Russian public holidays"), default=True)
    regions = models.ManyToManyField(
        "org.Region", blank=True, related_name="+", verbose_name=_("regions")
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("For tickets without a store's region.")
    )

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="incidents_one_default_calendar",
            ),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="incidents_calendar_hours"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Queue(models.Model):
    """A team's queue. Tickets of its categories land here; `auto_assign` hands each new
    one to the next member in turn (round robin)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    categories = models.JSONField(
        _("categories"), default=list, blank=True, help_text=_("Empty: every other category.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="desk_queues", verbose_name=_("members")
    )
    auto_assign = models.BooleanField(_("assign new tickets in turn"), default=False)
    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last assigned to"),
    )

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SlaPolicy(models.Model):
    """Targets in business minutes for tickets of a category (empty: any) and priority
    (empty: any); the most specific policy applies."""

    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, blank=True)
    first_response_minutes = models.PositiveIntegerField(
        _("first response, business minutes"), validators=[MinValueValidator(1)]
    )
    next_response_minutes = models.PositiveIntegerField(
        _("next response, business minutes"), validators=[MinValueValidator(1)]
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution, business minutes"), validators=[MinValueValidator(1)]
    )
    warn_percent = models.PositiveSmallIntegerField(
        _("warn when this share of the time is used, %"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["category", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["category", "priority"], name="incidents_policy_once")
        ]

    def __str__(self) -> str:
        return self.name


class CannedReply(models.Model):
    """A text module: a reply drawn from a script, with variables — {customer}, {number},
    {agent}, {store}, {due} — filled in for the ticket. `uses` counts insertions."""

    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, blank=True)
    body = models.TextField(_("text"))
    script = models.ForeignKey(
        "sop.ScriptPage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("from script"),
    )
    uses = models.PositiveIntegerField(_("times used"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["category", "title"]

    def __str__(self) -> str:
        return self.title


class IntakeChannel(models.Model):
    """Another channel (a chatbot, the app) that files tickets through the API with its
    token (`Authorization: Token …`, issued by `manage.py desk_token NAME`); only a hash
    is stored, like the POS systems' tokens."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    token_prefix = models.CharField(_("token prefix"), max_length=8, unique=True)
    token_hash = models.CharField(_("token hash"), max_length=128)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("intake channel")
        verbose_name_plural = _("intake channels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
