"""/health/ and the production mode: Redis cache, Celery broker, Wagtail tasks on workers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage
from django.test import override_settings
from kombu import pools as kombu_pools

from portal.celery import app as celery_app

REDIS_URL = os.environ.get("REDIS_TEST_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_TEST_URL is not set: redis-server is not installed here"
)
BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_health_reports_database_cache_and_eager_broker(client):
    response = client.get("/health/")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"] == {"ok": True, "mode": "eager"}


@pytest.fixture
def celery_on_broker():
    """Point the Celery app at a broker for one test, then put it back."""
    saved = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager")}

    def reset_connections():
        # An eager task run earlier in the session has built the connection and producer
        # pools for the old broker URL; drop them so the next use connects to the new one.
        kombu_pools.reset()
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    def use(url: str):
        celery_app.conf.update(broker_url=url, task_always_eager=False)
        reset_connections()

    yield use
    celery_app.conf.update(saved)
    reset_connections()


@pytest.mark.django_db
def test_health_fails_with_503_when_the_broker_is_down(client, celery_on_broker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # discard port: nothing listens
    celery_on_broker(settings.CELERY_BROKER_URL)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["ok"] is False
    assert "error" in response.json()["checks"]["broker"]


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db
def test_health_on_redis_cache_and_broker(client, celery_on_broker, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS_URL
    celery_on_broker(REDIS_URL)
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": redis_cache}):
        caches._settings = None  # rebuild the cache handler with the Redis backend
        caches.__init__()
        response = client.get("/health/")
    caches.__init__()

    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["cache"] == {"ok": True, "backend": "RedisCache"}
    assert body["checks"]["broker"]["mode"] == "broker"


def _reset_task_backends() -> None:
    """Make django-tasks re-read TASKS (its handler caches the backends)."""
    from django_tasks import task_backends

    task_backends.__dict__.pop("settings", None)
    task_backends.__init__()


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wagtail_background_task_runs_on_a_celery_worker(tmp_path, celery_on_broker, settings):
    """Wagtail's django-tasks go through our Celery backend to a real worker over Redis."""
    from celery.contrib.testing.worker import start_worker
    from wagtail.tasks import delete_file_from_storage_task

    celery_on_broker(REDIS_URL)
    settings.TASKS = {"default": {"BACKEND": "portal.tasks_backend.CeleryTaskBackend"}}
    _reset_task_backends()
    storage = FileSystemStorage(location=str(tmp_path))
    storage.save("old-sop.pdf", __import__("io").BytesIO(b"%PDF-1.4"))

    with start_worker(celery_app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
        result = delete_file_from_storage_task.enqueue(storage.deconstruct(), "old-sop.pdf")
        # The backend enqueues on commit; outside a transaction that is immediate.
        async_result = celery_app.AsyncResult(result.id)
        for _ in range(100):
            if not (tmp_path / "old-sop.pdf").exists():
                break
            __import__("time").sleep(0.1)
    _reset_task_backends()

    assert async_result.id == result.id
    assert not (tmp_path / "old-sop.pdf").exists()


def test_production_settings_pass_check_deploy_without_warnings():
    # A deployment's environment: the test process's own switches stay behind (the browser
    # tests allow the ORM beside Playwright's event loop, which check --deploy rightly flags).
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "k3Jx-9vQ_p2Lm8Rt5Wz1Nb7Yc4Hd6Fg0Sa2Ue8Io3Pq5Tr7Vw9Xy1Zb4Cd6Ef8Gh0Jk",
        "DJANGO_ALLOWED_HOSTS": "portal.example.ru",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
