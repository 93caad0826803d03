from celery import shared_task
from django.core.management import call_command


@shared_task(name="portal.org.tasks.sessions_purge_expired")
def sessions_purge_expired() -> None:
    """Idle sessions end after 30 minutes; this removes their rows (idempotent)."""
    call_command("clearsessions")
