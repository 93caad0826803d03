"""Celery tasks of the kpi app: take ids, call one service, idempotent."""

from celery import shared_task
from django.db.models.functions import TruncDate
from django.utils import timezone

from kpi.models import Receipt
from kpi.services import store_days_refresh


@shared_task(name="kpi.tasks.store_days_refresh_for_batch")
def store_days_refresh_for_batch(batch_id: int) -> int:
    """After an import: recompute the store days its new receipts fell on."""
    pairs = set(
        Receipt.objects.filter(batch_id=batch_id)
        .annotate(day=TruncDate("issued_at", tzinfo=timezone.get_current_timezone()))
        .values_list("store_id", "day")
        .distinct()
    )
    return store_days_refresh(pairs=pairs)
