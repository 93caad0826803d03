"""A store's LP launch date set or moved: its launch visit follows (after commit, by Celery)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save


def _launch_date_saved(sender, instance, created, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not {"lp_launch_date", "is_active"} & set(update_fields):
        return
    if kwargs.get("raw"):
        return
    from audits.tasks import launch_visits

    pk = instance.pk
    transaction.on_commit(lambda: launch_visits.delay([pk]))


def connect() -> None:
    from portal.org.models import Store

    post_save.connect(_launch_date_saved, sender=Store, dispatch_uid="audits.launch_visits")
