"""Celery tasks of the incidents app: take ids, call one service, idempotent."""
