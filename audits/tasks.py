"""Celery tasks of the audits app: take ids, call one service, idempotent."""
