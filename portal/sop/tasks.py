from celery import shared_task
from django.core.management import call_command

from portal.sop import services


@shared_task(name="portal.sop.tasks.sop_reminders")
def sop_reminders() -> dict[str, int]:
    """Daily: reminders and escalations for unconfirmed mandatory pages (idempotent)."""
    return vars(services.sop_reminders_send())


@shared_task(name="portal.sop.tasks.publish_scheduled")
def publish_scheduled() -> None:
    """Wagtail's scheduled publishing: pages whose go-live time has come go live."""
    call_command("publish_scheduled")


@shared_task(name="portal.sop.tasks.compliance_facts")
def compliance_facts() -> int:
    """Nightly, and after each publication: count every store whose compliance figures a
    change reached (or that has no row of the day yet). Returns the stores counted."""
    from portal.sop.facts import compliance_facts_refresh

    return compliance_facts_refresh()
