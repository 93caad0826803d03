"""Celery tasks of the training app: take ids, call one service, idempotent."""
