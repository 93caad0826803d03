"""Complaint tickets, their messages, files, SLA pauses, manual credit requests, the log
of who saw a customer's personal data, and the event rows of every change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.choices import (
    Category,
    Channel,
    CreditStatus,
    Escalation,
    MessageKind,
    Priority,
    ReceiptFinding,
    ResolutionCode,
    RootCause,
    Status,
    TicketEventKind,
)
from incidents.models.desk import Queue, SlaCalendar, SlaPolicy
from portal.events.models import Event

# The open statuses as plain strings (a partial index's condition, as the queries write it).
OPEN_STATUS_VALUES = ["new", "assigned", "in_progress", "waiting"]


class Ticket(models.Model):
    """One customer's complaint or question. The customer's name, phone, e-mail and card
    number live on the ticket (masked for whoever does not work it; anonymised after the
    retention period). SLA due times are absolute moments computed in business minutes
    on the ticket's calendar; a pause in «waiting for the customer» moves them on."""

    number = models.CharField(_("number"), max_length=11, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    queue = models.ForeignKey(
        Queue, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("queue")
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="desk_tickets",
        verbose_name=_("assignee"),
    )
    store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store"),
    )
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employee concerned"),
    )
    customer_name = models.CharField(_("customer"), max_length=200, blank=True)
    customer_phone = models.CharField(_("phone"), max_length=16, blank=True)  # 7XXXXXXXXXX
    customer_email = models.EmailField(_("e-mail"), blank=True)
    card_number = models.CharField(_("card number"), max_length=32, blank=True)
    description = models.TextField(_("description"))
    details = models.JSONField(_("details"), default=dict, blank=True)  # the category's fields
    # The receipt the customer speaks of, and what the POS data says about it.
    receipt_number = models.CharField(_("receipt number"), max_length=64, blank=True)
    receipt_at = models.DateTimeField(_("purchase time"), null=True, blank=True)
    receipt_amount = models.DecimalField(
        _("receipt amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    receipt_finding = models.CharField(
        _("receipt in the POS data"), max_length=16, choices=ReceiptFinding.choices, blank=True
    )
    receipt_card = models.CharField(_("card on the receipt"), max_length=64, blank=True)
    receipt_loaded_at = models.DateTimeField(_("receipt loaded at"), null=True, blank=True)
    receipt_checked_at = models.DateTimeField(_("receipt looked up at"), null=True, blank=True)
    resolution_code = models.CharField(
        _("resolution"), max_length=16, choices=ResolutionCode.choices, blank=True
    )
    root_cause = models.CharField(
        _("root cause"), max_length=32, choices=RootCause.choices, blank=True
    )
    resolution = models.TextField(_("resolution note"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    # SLA: the policy and calendar in force, the due moments, the pause and escalation.
    policy = models.ForeignKey(
        SlaPolicy, on_delete=models.PROTECT, related_name="+", verbose_name=_("SLA policy")
    )
    calendar = models.ForeignKey(
        SlaCalendar, on_delete=models.PROTECT, related_name="+", verbose_name=_("calendar")
    )
    first_response_due = models.DateTimeField(_("first response due"))
    first_responded_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    next_response_due = models.DateTimeField(_("next response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"))
    # The nearest target still running (first or next response, resolution); empty while
    # paused and once done. The queues, the SLA board and the escalation read this one.
    sla_due = models.DateTimeField(_("SLA due"), null=True, blank=True)
    paused_at = models.DateTimeField(_("SLA clock paused at"), null=True, blank=True)
    paused_minutes = models.PositiveIntegerField(_("business minutes paused"), default=0)
    escalation = models.PositiveSmallIntegerField(
        _("escalation"), choices=Escalation.choices, default=Escalation.NONE
    )
    breached = models.BooleanField(_("SLA missed"), default=False)
    first_contact = models.BooleanField(_("resolved at first contact"), default=False)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    created_at = models.DateTimeField(_("filed at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # CSAT: a one-use link (only its hash kept) sent on resolution.
    csat_token_hash = models.CharField(
        _("rating link hash"), max_length=64, blank=True, editable=False
    )
    csat_rating = models.PositiveSmallIntegerField(_("customer rating"), null=True, blank=True)
    csat_comment = models.TextField(_("customer comment"), blank=True)
    csat_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The queues and the SLA board: open tickets by due moment (keyset pages).
            models.Index(fields=["queue", "status", "sla_due", "id"], name="inc_queue_due"),
            models.Index(fields=["assignee", "status", "sla_due", "id"], name="inc_mine_due"),
            models.Index(fields=["status", "sla_due", "id"], name="inc_status_due"),
            models.Index(fields=["store", "created_at"], name="inc_store_time"),
            models.Index(fields=["customer_phone"], name="inc_phone"),
            models.Index(fields=["card_number"], name="inc_card"),
            models.Index(fields=["created_at", "id"], name="inc_created"),
            models.Index(fields=["resolved_at"], name="inc_resolved"),  # the reports' period
            # Open tickets by due moment, partial: with `status IN (…open…)` a full index
            # is ordered by due only within each status, so PostgreSQL read every open
            # ticket and sorted (the queue ×2.4, the board ×4.4 from 100k to 1M tickets).
            models.Index(
                fields=["queue", "sla_due", "id"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="inc_open_queue_due",
            ),
            models.Index(
                fields=["assignee", "sla_due", "id"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="inc_open_mine",
            ),
            models.Index(
                fields=["sla_due", "id"],
                condition=Q(status__in=OPEN_STATUS_VALUES),
                name="inc_open_due",
            ),
            models.Index(
                fields=["paused_at", "id"], condition=Q(status="waiting"), name="inc_paused"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(csat_rating__isnull=True) | Q(csat_rating__gte=1, csat_rating__lte=5),
                name="incidents_csat_range",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="incidents_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:ticket", args=[self.pk])

    @property
    def is_open(self) -> bool:
        from incidents.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class TicketMessage(models.Model):
    """A message on a ticket: the customer's, a reply to them (sent through the desk's
    sender), or an internal note nobody outside the desk and the store side sees."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="messages", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("text"))
    at = models.DateTimeField(_("time"), default=timezone.now)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["ticket", "at"], name="inc_message_ticket")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


def _attachment_path(instance: TicketAttachment, filename: str) -> str:
    from uuid import uuid4

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"incidents/tickets/{instance.ticket_id}/{uuid4().hex}.{extension}"


class TicketAttachment(models.Model):
    """A file on a ticket, stored privately and served by the shared media view to whoever
    may open the ticket."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("ticket")
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size, bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.name


class SlaPause(models.Model):
    """One stretch of «waiting for the customer»: the SLA clock stood still for its
    business minutes, which moved every due moment on by as much."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="pauses", verbose_name=_("ticket")
    )
    started_at = models.DateTimeField(_("paused at"))
    ended_at = models.DateTimeField(_("resumed at"), null=True, blank=True)
    business_minutes = models.PositiveIntegerField(_("business minutes"), null=True, blank=True)

    class Meta:
        verbose_name = _("SLA pause")
        verbose_name_plural = _("SLA pauses")
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(ended_at__isnull=True),
                name="incidents_one_open_pause",
            )
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class CreditRequest(models.Model):
    """A manual credit of points the POS data did not give («not identified»): requested
    by the agent, decided by a supervisor who is not the requester."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="credits", verbose_name=_("ticket")
    )
    points = models.DecimalField(_("points"), max_digits=10, decimal_places=2)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=8, choices=CreditStatus.choices, default=CreditStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("manual credit request")
        verbose_name_plural = _("manual credit requests")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="incidents_credit_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="incidents_credit_four_eyes",
            ),
            models.UniqueConstraint(
                fields=["ticket"],
                condition=Q(status="pending"),
                name="incidents_one_pending_credit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.points}"


class PersonalDataAccess(models.Model):
    """Somebody saw a ticket's customer data unmasked (152-FZ: who, when, which ticket)."""

    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("person"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    context = models.CharField(_("where"), max_length=32)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["ticket", "at"], name="inc_pd_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.at:%Y-%m-%d %H:%M}"


class TicketEvent(Event):
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", verbose_name=_("ticket")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TicketEventKind.choices)
    public = models.BooleanField(_("shown to the customer"), default=False)

    class Meta:
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["ticket", "at"], name="inc_event_ticket")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
