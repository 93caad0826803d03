"""Celery tasks of the kpi app: take ids, call one service, idempotent."""

from datetime import date

from celery import shared_task

from kpi.models import ImportBatch
from kpi.services import drift_check, store_days_refresh


@shared_task(name="kpi.tasks.store_days_refresh_for_batch")
def store_days_refresh_for_batch(batch_id: int) -> int:
    """After an import: recompute the store days its receipts fell on."""
    touched = ImportBatch.objects.values_list("store_days", flat=True).get(pk=batch_id)
    return store_days_refresh(pairs={(store, date.fromisoformat(day)) for store, day in touched})


@shared_task(name="kpi.tasks.drift_check_nightly")
def drift_check_nightly() -> str:
    """Every night: recount all store days from the receipts, report and repair drift."""
    check = drift_check()
    return f"{check.status}: {check.days_drifted} of {check.days_checked}"
