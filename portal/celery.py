"""The Celery application and the beat schedule of the whole portal.

Apps add their periodic tasks to BEAT_SCHEDULE here, so the schedule is read in one place.
"""

import os

from celery import Celery

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
}
app.conf.beat_schedule = BEAT_SCHEDULE
