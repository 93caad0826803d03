"""Celery tasks of the training app: take ids, call one service, idempotent."""

from celery import shared_task

from training.services.assignments import assignments_sync
from training.services.attempts import attempts_close_expired
from training.services.reminders import training_reminders_send


@shared_task(name="training.tasks.attempts_close")
def attempts_close() -> int:
    """Every minute: attempts past their deadline plus grace close with what was saved."""
    return attempts_close_expired()


@shared_task(name="training.tasks.assignments")
def assignments() -> dict[str, int]:
    """Daily: new hires, expired certificates and SOP changes put people on the list."""
    return vars(assignments_sync())


@shared_task(name="training.tasks.reminders")
def reminders() -> dict[str, int]:
    """Daily: reminders before an exam is due, when overdue, before a certificate expires."""
    return vars(training_reminders_send())
