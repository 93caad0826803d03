"""Record notifications once, inside the caller's transaction; deliver them after it commits.

    notify(person, key="audits.action_overdue:17", step=0, title=..., body=..., url=...)
    notify_many([Message(...), ...])          # a reminder run: one query per chunk

A notification is unique by (recipient, key, step): recording it again records nothing
and sends nothing, so a daily run may repeat. The inbox gets it always (the row is the
inbox entry); e-mail and SMS/messenger deliveries are rows too, sent by a Celery task
after commit (`portal.notify.tasks.deliver`), each claimed and marked sent on its own —
see `portal.notify.delivery`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from portal.notify.channels import channels
from portal.notify.models import Delivery, Notification
from portal.org.models import User

CHUNK = 1000


@dataclass(frozen=True)
class Message:
    """One notification to record: who, about what (key), at which step, and what it says."""

    recipient: User
    key: str
    title: str
    step: int = 0
    body: str = ""
    url: str = ""

    @property
    def identity(self) -> tuple[int, str, int]:
        return (self.recipient.pk, self.key, self.step)


def notify(
    recipient: User, *, key: str, title: str, step: int = 0, body: str = "", url: str = ""
) -> Notification | None:
    """Record one notification; None when (recipient, key, step) was recorded before.

    Call it inside your service's transaction: nothing is sent unless that commits.
    """
    created = notify_many(
        [Message(recipient=recipient, key=key, step=step, title=title, body=body, url=url)]
    )
    return created[0] if created else None


@transaction.atomic
def notify_many(messages: Iterable[Message]) -> list[Notification]:
    """Record the messages not recorded before (by recipient, key, step); return the new ones.

    The deliveries by e-mail and SMS/messenger are recorded with them and sent after the
    transaction commits, one digest per person and channel.
    """
    fresh: dict[tuple[int, str, int], Message] = {}
    for message in messages:
        fresh.setdefault(message.identity, message)
    pending = list(fresh.values())
    for start in range(0, len(pending), CHUNK):
        chunk = pending[start : start + CHUNK]
        recorded = Notification.objects.filter(
            recipient_id__in={m.recipient.pk for m in chunk}, key__in={m.key for m in chunk}
        ).values_list("recipient_id", "key", "step")
        for identity in recorded:
            fresh.pop(identity, None)
    if not fresh:
        return []
    now = timezone.now()
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=m.recipient,
                key=m.key,
                step=m.step,
                title=m.title[:255],
                body=m.body,
                url=m.url,
                created_at=now,
            )
            for m in fresh.values()
        ],
        batch_size=CHUNK,
    )
    deliveries = [
        Delivery(notification=notification, channel=channel.code, address=address)
        for channel in channels()
        for notification in created
        if (address := channel.address_of(notification.recipient))
    ]
    Delivery.objects.bulk_create(deliveries, batch_size=CHUNK)
    _deliver_after_commit(sorted({delivery.notification.pk for delivery in deliveries}))
    return created


class _DeliveryBatch:
    """The notifications recorded in one transaction, handed to one task after it commits."""

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.handed_over = False

    def __call__(self) -> None:
        from portal.notify.tasks import deliver

        self.handed_over = True
        if self.ids:
            deliver.delay(self.ids)


def _deliver_after_commit(ids: Sequence[int]) -> None:
    if not ids:
        return
    connection = transaction.get_connection()
    # One task per transaction, however many notify() calls it made: join the batch
    # already waiting for this commit (Django drops it if its savepoint rolls back).
    batch = next(
        (
            callback
            for _savepoints, callback, _robust in connection.run_on_commit
            if isinstance(callback, _DeliveryBatch) and not callback.handed_over
        ),
        None,
    )
    if batch is None:
        batch = _DeliveryBatch()
        batch.ids.extend(ids)
        # robust: a broker that is down must not fail the request that committed; the
        # beat task `deliver_pending` sends what was left.
        transaction.on_commit(batch, robust=True)
    else:
        batch.ids.extend(ids)


@transaction.atomic
def notification_mark_read(*, person: User, notification: Notification) -> None:
    """Mark one of the person's own notifications read (idempotent)."""
    Notification.objects.filter(pk=notification.pk, recipient=person, read_at=None).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notifications_mark_all_read(*, person: User) -> int:
    """Mark every unread notification of the person read; returns how many."""
    return Notification.objects.filter(recipient=person, read_at=None).update(
        read_at=timezone.now()
    )
