"""The Celery application and the beat schedule of the whole portal.

Apps add their periodic tasks to BEAT_SCHEDULE here, so the schedule is read in one place.
"""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import worker_ready

# `celery -A portal …` and gunicorn (`portal.wsgi` imports this package first) run the
# production settings unless told otherwise: they refuse to start without DJANGO_SECRET_KEY
# instead of silently running the development settings. `manage.py` chooses its own default.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("portal.tasks",)

# The same variable as settings.HEALTH_HEARTBEAT_SECONDS (read here before Django is set up).
HEARTBEAT_SECONDS = float(os.environ.get("HEALTH_HEARTBEAT_SECONDS", "30"))

BEAT_SCHEDULE: dict[str, dict] = {
    "portal-worker-heartbeat": {
        "task": "portal.tasks.heartbeat",
        "schedule": HEARTBEAT_SECONDS,
        # A heartbeat left in a backed-up queue is dropped, so the age keeps growing.
        "options": {"expires": HEARTBEAT_SECONDS * 2},
    },
    "org-purge-expired-sessions": {
        "task": "portal.org.tasks.sessions_purge_expired",
        "schedule": 60 * 60,
    },
    "notify-deliver-pending": {
        "task": "portal.notify.tasks.deliver_pending",
        "schedule": 5 * 60,
    },
    "sop-reminders": {
        "task": "portal.sop.tasks.sop_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    "sop-compliance-facts": {
        "task": "portal.sop.tasks.compliance_facts",
        "schedule": crontab(hour=0, minute=20),
    },
    "sop-publish-scheduled": {
        "task": "portal.sop.tasks.publish_scheduled",
        "schedule": 5 * 60,
    },
    "training-close-expired-attempts": {
        "task": "training.tasks.attempts_close",
        "schedule": 60,
    },
    "training-assignments": {
        "task": "training.tasks.assignments",
        "schedule": crontab(hour=6, minute=30),
    },
    "kpi-drift-check": {
        "task": "kpi.tasks.drift_check_nightly",
        "schedule": crontab(hour=3, minute=30),
    },
    "training-reminders": {
        "task": "training.tasks.reminders",
        "schedule": crontab(hour=9, minute=15),
    },
    "audits-launch-visits": {
        "task": "audits.tasks.launch_visits",
        "schedule": crontab(hour=5, minute=45),
    },
    "audits-receipt-recheck": {
        "task": "audits.tasks.receipt_recheck",
        "schedule": crontab(hour=4, minute=30),  # after the night's POS loads and drift check
    },
    "audits-actions-remind": {
        "task": "audits.tasks.actions_remind",
        "schedule": crontab(hour=9, minute=30),
    },
    # The desk's SLA: missed targets to the supervisors, then to the regional manager.
    "incidents-sla-escalate": {
        "task": "incidents.tasks.sla_escalate",
        "schedule": crontab(minute="*/5"),
    },
    "incidents-close-resolved": {
        "task": "incidents.tasks.tickets_close_resolved",
        "schedule": crontab(hour=3, minute=10),
    },
    "incidents-anonymise": {
        "task": "incidents.tasks.tickets_anonymise",
        "schedule": crontab(hour=3, minute=40),
    },
    # Abuse flags of the last closed week and month, after the night's POS loads and
    # before the periods close (which scans its own period again, raising nothing twice).
    "bonus-flags-scan": {
        "task": "kpi.bonus.tasks.bonus_flags_scan",
        "schedule": crontab(hour=4, minute=50),
    },
    # Bonus periods close after the night's POS loads and drift check (04:30 recheck).
    "bonus-periods-close": {
        "task": "kpi.bonus.tasks.periods_close",
        "schedule": crontab(hour=5, minute=15),
    },
}
app.conf.beat_schedule = BEAT_SCHEDULE


@worker_ready.connect
def _heartbeat_on_start(**kwargs) -> None:
    """A worker that has just started is alive: /health/ need not wait for beat."""
    from portal.health import heartbeat_record

    heartbeat_record()
