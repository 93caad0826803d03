"""Notifications: the inbox message (recorded once) and its deliveries by other channels."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.notify.choices import Channel


class Notification(models.Model):
    """One message to one person about one subject at one step; also their inbox entry.

    `key` names the subject ("sop.reading:12:34", "training.assignment:56"); (recipient,
    key, step) is unique, so whatever records it twice records it once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    key = models.CharField(_("subject"), max_length=200)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key", "step"], name="notify_once_per_recipient_key_step"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notify_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at=None), name="notify_inbox_unread"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}#{self.step} → {self.recipient_id}"


class Delivery(models.Model):
    """A notification sent by one channel: claimed, then marked sent (or its error kept).

    A row is claimed in its own small transaction before it is sent and marked sent right
    after, so a retry never sends again what went out (see `portal.notify.delivery`).
    """

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("address"), max_length=254)
    claimed_at = models.DateTimeField(_("sending since"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="notify_delivery_once_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["notification"], condition=Q(sent_at=None), name="notify_unsent")
        ]

    def __str__(self) -> str:
        return f"{self.channel}: {self.notification_id}"
