"""Celery tasks of the audits app: take ids, call one service, idempotent."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="audits.tasks.launch_visits")
def launch_visits(store_ids: list[int] | None = None) -> int:
    """Nightly, and when a store's LP launch date changes: each launched store has its
    visit two days after the launch (moved with the date, cancelled without it)."""
    from audits.services.planning import launch_visits_schedule

    return launch_visits_schedule(store_ids=store_ids)


@shared_task(name="audits.tasks.receipt_recheck")
def receipt_recheck() -> int:
    """Nightly: look again for the receipts of visits whose store's day was not loaded."""
    from audits.services.filing import visits_receipt_recheck

    return visits_receipt_recheck()


@shared_task(name="audits.tasks.actions_remind")
def actions_remind() -> int:
    """Daily: remind the owners of overdue corrective actions."""
    from audits.services.responses import actions_remind as remind

    return remind()


@shared_task(name="audits.tasks.visit_report_mail")
def visit_report_mail(visit_id: int) -> int:
    """E-mail a published visit's PDF report to its store's and region's managers."""
    from audits.reports import visit_report_send

    return visit_report_send(visit_id=visit_id)
