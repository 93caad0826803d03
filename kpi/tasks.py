"""Celery tasks of the kpi app: take ids, call one service, idempotent."""
