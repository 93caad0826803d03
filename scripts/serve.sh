#!/usr/bin/env bash
# Production-like on one machine: gunicorn + a Celery worker + Celery beat, on the
# PostgreSQL and Redis named by DATABASE_URL and CELERY_BROKER_URL. Ctrl+C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://portal:secret@127.0.0.1:5432/portal}"
: "${CELERY_BROKER_URL:?set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0}"
: "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY to a long random value}"
export DJANGO_SETTINGS_MODULE=portal.settings.production
export REDIS_URL="${REDIS_URL:-$CELERY_BROKER_URL}"
BIN=.venv/bin
WORKERS="${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}"

$BIN/python manage.py migrate --noinput
$BIN/python manage.py collectstatic --noinput -v0

mkdir -p var
trap 'kill 0' EXIT INT TERM
$BIN/gunicorn portal.wsgi:application --bind "${BIND:-127.0.0.1:8000}" --workers "$WORKERS" \
  --access-logfile - --timeout 60 &
$BIN/celery -A portal worker --loglevel INFO --concurrency "${CELERY_CONCURRENCY:-2}" &
$BIN/celery -A portal beat --loglevel INFO --schedule "${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}" &
wait -n
