"""Sending recorded deliveries: each claimed, sent and marked in small steps of its own.

For each person and channel the pending deliveries of the given notifications are
*claimed* in a short transaction (`select_for_update(skip_locked=True)`, then
`claimed_at`), sent as one message, then marked `sent_at`. A failure of the channel
(SMTP down, a refused address) releases the claim and keeps the error, so the next run
(`deliveries_retry`, every few minutes from beat) sends exactly what is left; rows marked
sent are never sent again. A worker killed *while* talking to the mail server leaves its
claim: that one message is not retried automatically (it may have gone out; never sending
twice wins), and shows in the admin as «sending since» without «sent at». The inbox has
the notification whatever happens to its deliveries.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.notify.channels import channel_get
from portal.notify.models import Delivery

logger = logging.getLogger(__name__)
CHUNK = 1000


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


def deliveries_send(*, notification_ids: Sequence[int]) -> DeliveryReport:
    """Send the unsent deliveries of these notifications, one message per person and channel.

    Safe to run again, concurrently too: what another run claimed or sent is skipped.
    """
    report = DeliveryReport()
    ids = list(notification_ids)
    groups: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    # A first run over a big chain hands over tens of thousands of ids: read them in
    # chunks (no statement the size of the chain), group them all, then send.
    for start in range(0, len(ids), CHUNK):
        pending = (
            Delivery.objects.filter(
                notification_id__in=ids[start : start + CHUNK], sent_at=None, claimed_at=None
            )
            .select_related("notification__recipient")
            .order_by("notification_id", "channel")
        )
        for delivery in pending:
            groups[(delivery.notification.recipient_id, delivery.channel)].append(delivery)
    for (_recipient_id, channel_code), deliveries in sorted(groups.items()):
        if _send_group(channel_code, deliveries):
            report.sent += 1
        else:
            report.failed += 1
    return report


def deliveries_retry() -> DeliveryReport:
    """Send every delivery left unsent (failed, or never handed to a worker). Idempotent."""
    ids = (
        Delivery.objects.filter(
            sent_at=None, claimed_at=None, attempts__lt=settings.NOTIFY_MAX_ATTEMPTS
        )
        .values_list("notification_id", flat=True)
        .distinct()
    )
    return deliveries_send(notification_ids=list(ids))


def _claim(deliveries: list[Delivery]) -> list[Delivery]:
    with transaction.atomic():
        claimed = set(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=[d.pk for d in deliveries], sent_at=None, claimed_at=None)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=claimed).update(claimed_at=timezone.now())
    return [d for d in deliveries if d.pk in claimed]


def _send_group(channel_code: str, deliveries: list[Delivery]) -> bool:
    claimed = _claim(deliveries)
    if not claimed:
        return True
    ids = [d.pk for d in claimed]
    channel = channel_get(channel_code)
    try:
        if channel is None:
            raise RuntimeError(f"channel {channel_code} is not configured")
        channel.send(
            person=claimed[0].notification.recipient,
            address=claimed[0].address,
            notifications=[d.notification for d in claimed],
        )
    except Exception as error:  # noqa: BLE001 - any failure of the gateway: keep it, retry later
        logger.warning("notify: %s to %s failed: %s", channel_code, claimed[0].address, error)
        _release(ids, repr(error))
        return False
    except BaseException as error:
        # Stopped while sending (worker shutdown): give the rows back for the next run.
        _release(ids, repr(error))
        raise
    Delivery.objects.filter(pk__in=ids).update(
        sent_at=timezone.now(), error="", attempts=F("attempts") + 1
    )
    return True


def _release(ids: list[int], error: str) -> None:
    Delivery.objects.filter(pk__in=ids).update(
        claimed_at=None, error=error[:2000], attempts=F("attempts") + 1
    )
