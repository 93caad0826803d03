"""/health/: is the database, the cache, the Celery broker and a Celery worker alive?

Anyone (a load balancer, a monitor) gets the status only: `{"status": "ok"}` with 200, or
`{"status": "fail"}` with 503. The details (which backend, how long each check took, the
error of a failed one) name the infrastructure and its exception texts, so only an
administrator who is logged in or a caller with the operator's token (`HEALTH_TOKEN`, sent
as `Authorization: Bearer <token>` or `X-Health-Token: <token>`) gets them.

The worker check: with a broker, a Celery worker writes a heartbeat (a timestamp in the
cache, which production shares with the web processes through Redis) when it starts and
whenever it runs the `portal.tasks.heartbeat` task that beat sends every
`HEALTH_HEARTBEAT_SECONDS`. No heartbeat for `HEALTH_WORKER_MAX_AGE` seconds means no
worker consumes the queue (or beat is down, or the queue is so far behind that a
30-second task waits minutes): the site is not healthy, whatever the web says.
"""

from __future__ import annotations

import hmac
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from portal.org.rules import is_org_admin

HEARTBEAT_KEY = "portal:celery-heartbeat"


def heartbeat_record() -> float:
    """Write the worker's heartbeat (now, as a Unix time) to the shared cache."""
    now = time.time()
    # Kept well past the alarm age, so a stale heartbeat says how stale it is.
    cache.set(HEARTBEAT_KEY, now, timeout=max(settings.HEALTH_WORKER_MAX_AGE * 10, 3600))
    return now


def _broker_in_use() -> bool:
    return bool(settings.CELERY_BROKER_URL) and not settings.CELERY_TASK_ALWAYS_EAGER


def _check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _check_cache() -> dict:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    return {"ok": ok, "backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _check_broker() -> dict:
    if not _broker_in_use():
        return {"ok": True, "mode": "eager"}
    from portal.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return {"ok": True, "mode": "broker", "transport": conn.transport_cls}


def _check_worker() -> dict:
    if not _broker_in_use():
        return {"ok": True, "mode": "eager"}
    beat = cache.get(HEARTBEAT_KEY)
    max_age = settings.HEALTH_WORKER_MAX_AGE
    if beat is None:
        return {"ok": False, "error": "no Celery worker heartbeat: is a worker running?"}
    age = round(time.time() - float(beat), 1)
    if age > max_age:
        return {
            "ok": False,
            "age_seconds": age,
            "error": f"the last Celery worker heartbeat is {age:.0f} s old (limit {max_age} s)",
        }
    return {"ok": True, "age_seconds": age}


CHECKS = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "worker": _check_worker,
}


def _presented_token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("X-Health-Token", "").strip()


def may_see_details(request: HttpRequest) -> bool:
    """An administrator's session, or the operator's token (compared in constant time)."""
    expected = settings.HEALTH_TOKEN
    presented = _presented_token(request)
    if expected and presented and hmac.compare_digest(presented.encode(), expected.encode()):
        return True
    return is_org_admin(request.user)


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    started = time.monotonic()
    report: dict[str, dict] = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as exc:  # noqa: BLE001 - a health check reports, it does not raise
            report[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    healthy = all(part["ok"] for part in report.values())
    body: dict = {"status": "ok" if healthy else "fail"}
    if may_see_details(request):
        body["checks"] = report
        body["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(body, status=200 if healthy else 503)
