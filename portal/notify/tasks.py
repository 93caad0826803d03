"""Celery tasks of notify: take ids, call one service, safe to run again."""

from celery import shared_task

from portal.notify.delivery import deliveries_retry, deliveries_send


@shared_task(name="portal.notify.tasks.deliver")
def deliver(notification_ids: list[int]) -> dict[str, int]:
    """After a commit: send the recorded deliveries of these notifications."""
    return vars(deliveries_send(notification_ids=notification_ids))


@shared_task(name="portal.notify.tasks.deliver_pending")
def deliver_pending() -> dict[str, int]:
    """Every few minutes: send what a failure or a lost task left unsent."""
    return vars(deliveries_retry())
