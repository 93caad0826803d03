"""Celery tasks owned by the site itself (not by one domain app)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.utils.module_loading import import_string


@shared_task(name="portal.tasks.django_task_run", acks_late=True)
def django_task_run(*, module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """Run a django-tasks task (e.g. Wagtail's reference index update) on a Celery worker."""
    task = import_string(module_path)
    return task.call(*args, **kwargs)


@shared_task(name="portal.tasks.ping")
def ping() -> str:
    """A no-op that proves a worker consumes the broker (used by the health check test)."""
    return "pong"


@shared_task(name="portal.tasks.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Beat sends this every HEALTH_HEARTBEAT_SECONDS; a worker running it proves that the
    queue is consumed (read by /health/)."""
    from portal.health import heartbeat_record

    heartbeat_record()
