#!/usr/bin/env bash
# Production-like on one machine: gunicorn + a Celery worker + Celery beat, on the
# PostgreSQL and Redis named by DATABASE_URL and CELERY_BROKER_URL. Each process runs in a
# restart loop (scripts/lib/supervise.sh): one that dies is started again with a backoff,
# the others keep serving. Ctrl+C (or TERM) stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL, e.g. postgres://portal:secret@127.0.0.1:5432/portal}"
: "${CELERY_BROKER_URL:?set CELERY_BROKER_URL, e.g. redis://127.0.0.1:6379/0}"
: "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY to a long random value}"
export DJANGO_SETTINGS_MODULE=portal.settings.production
export REDIS_URL="${REDIS_URL:-$CELERY_BROKER_URL}"
BIN=.venv/bin
WORKERS="${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}"
source scripts/lib/supervise.sh

$BIN/python manage.py migrate --noinput
$BIN/python manage.py collectstatic --noinput -v0

mkdir -p var
supervise web $BIN/gunicorn portal.wsgi:application -c portal/gunicorn_conf.py --bind "${BIND:-127.0.0.1:8000}" \
  --workers "$WORKERS" --access-logfile - --timeout 60 &
supervise worker $BIN/celery -A portal worker --loglevel INFO \
  --concurrency "${CELERY_CONCURRENCY:-2}" &
supervise beat $BIN/celery -A portal beat --loglevel INFO \
  --schedule "${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule}" &
supervise_wait
