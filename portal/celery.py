"""The Celery application and the beat schedule of the whole portal.

Apps add their periodic tasks to BEAT_SCHEDULE here, so the schedule is read in one place.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("portal.tasks",)

BEAT_SCHEDULE: dict[str, dict] = {
    "org-purge-expired-sessions": {
        "task": "portal.org.tasks.sessions_purge_expired",
        "schedule": 60 * 60,
    },
    "sop-reminders": {
        "task": "portal.sop.tasks.sop_reminders",
        "schedule": crontab(hour=9, minute=0),
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
}
app.conf.beat_schedule = BEAT_SCHEDULE
