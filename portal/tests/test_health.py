"""/health/ and the production mode: Redis cache, Celery broker, Wagtail tasks on workers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage
from django.test import override_settings
from kombu import pools as kombu_pools

from portal.celery import app as celery_app
from portal.health import HEARTBEAT_KEY, heartbeat_record
from portal.org.choices import Role
from portal.tasks import heartbeat

REDIS_URL = os.environ.get("REDIS_TEST_URL", "")
needs_redis = pytest.mark.skipif(
    not REDIS_URL, reason="REDIS_TEST_URL is not set: redis-server is not installed here"
)
BASE_DIR = Path(__file__).resolve().parents[2]


OPERATOR_TOKEN = "op-7f3c9a1e5b2d4c6a8e0f1b3d5c7a9e1f"


@pytest.mark.django_db
def test_health_reports_database_cache_and_eager_broker_to_an_admin(client, world):
    client.force_login(world.people[Role.ADMIN])

    response = client.get("/health/")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"] == {"ok": True, "mode": "eager"}
    assert body["checks"]["worker"] == {"ok": True, "mode": "eager"}


@pytest.mark.django_db
def test_anonymous_callers_get_the_status_only(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize("role", [Role.LP_MANAGER, Role.STORE_STAFF, Role.CALL_CENTER_SUPERVISOR])
def test_people_other_than_admins_get_the_status_only(client, world, role):
    client.force_login(world.people[role])

    response = client.get("/health/")

    assert response.json() == {"status": "ok"}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": f"Bearer {OPERATOR_TOKEN}"},
        {"HTTP_X_HEALTH_TOKEN": OPERATOR_TOKEN},
    ],
    ids=["bearer", "x-health-token"],
)
@pytest.mark.django_db
def test_the_operators_token_gets_the_details(client, settings, headers):
    settings.HEALTH_TOKEN = OPERATOR_TOKEN

    response = client.get("/health/", **headers)

    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "cache", "broker", "worker"}


@pytest.mark.parametrize(
    ("configured", "headers"),
    [
        (OPERATOR_TOKEN, {"HTTP_AUTHORIZATION": f"Bearer {OPERATOR_TOKEN[:-1]}"}),
        (OPERATOR_TOKEN, {"HTTP_X_HEALTH_TOKEN": ""}),
        (OPERATOR_TOKEN, {"HTTP_AUTHORIZATION": f"Token {OPERATOR_TOKEN}"}),
        ("", {"HTTP_AUTHORIZATION": "Bearer "}),
        ("", {"HTTP_X_HEALTH_TOKEN": ""}),
    ],
    ids=["wrong", "empty-header", "other-scheme", "unset-bearer-empty", "unset-empty"],
)
@pytest.mark.django_db
def test_a_wrong_or_missing_token_gets_the_status_only(client, settings, configured, headers):
    settings.HEALTH_TOKEN = configured

    response = client.get("/health/", **headers)

    assert response.json() == {"status": "ok"}


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
    settings.HEALTH_TOKEN = OPERATOR_TOKEN
    celery_on_broker(settings.CELERY_BROKER_URL)

    anonymous = client.get("/health/")
    operator = client.get("/health/", HTTP_X_HEALTH_TOKEN=OPERATOR_TOKEN)

    assert anonymous.status_code == operator.status_code == 503
    # The anonymous caller learns that something is down, not what or why.
    assert anonymous.json() == {"status": "fail"}
    assert b"redis" not in anonymous.content.lower() and b"Error" not in anonymous.content
    assert operator.json()["checks"]["broker"]["ok"] is False
    assert "Error" in operator.json()["checks"]["broker"]["error"]


@pytest.fixture
def redis_cache():
    """The default cache on the test Redis (as production shares it with the workers)."""
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": redis_cache}):
        caches._settings = None  # rebuild the cache handler with the Redis backend
        caches.__init__()
        caches["default"].delete(HEARTBEAT_KEY)
        yield caches["default"]
        caches["default"].delete(HEARTBEAT_KEY)
    caches._settings = None
    caches.__init__()


@pytest.fixture
def on_redis(celery_on_broker, settings, redis_cache):
    """Broker and cache on the real Redis; the operator's token shows the details."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = REDIS_URL
    settings.HEALTH_TOKEN = OPERATOR_TOKEN
    celery_on_broker(REDIS_URL)
    return redis_cache


def _health_details(client):
    response = client.get("/health/", HTTP_X_HEALTH_TOKEN=OPERATOR_TOKEN)
    return response.status_code, response.json()


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db
def test_health_on_redis_cache_and_broker_with_a_fresh_heartbeat(client, on_redis):
    heartbeat_record()

    code, body = _health_details(client)

    assert code == 200, body
    assert body["checks"]["cache"] == {"ok": True, "backend": "RedisCache"}
    assert body["checks"]["broker"]["mode"] == "broker"
    assert body["checks"]["worker"]["ok"] is True


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db
def test_without_a_worker_heartbeat_health_is_503(client, on_redis):
    code, body = _health_details(client)

    assert code == 503
    assert body["checks"]["broker"]["ok"] is True  # the broker is up: tasks would pile up
    assert body["checks"]["worker"]["ok"] is False
    assert "worker" in body["checks"]["worker"]["error"]
    assert client.get("/health/").json() == {"status": "fail"}


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db
def test_a_stale_worker_heartbeat_makes_health_503(client, on_redis, settings):
    on_redis.set(HEARTBEAT_KEY, time.time() - settings.HEALTH_WORKER_MAX_AGE - 5, 600)

    code, body = _health_details(client)

    assert code == 503
    assert body["checks"]["worker"]["ok"] is False
    assert body["checks"]["worker"]["age_seconds"] > settings.HEALTH_WORKER_MAX_AGE


@needs_redis
@pytest.mark.redis
@pytest.mark.django_db
def test_a_real_worker_beats_on_start_and_on_the_heartbeat_task_and_is_missed_when_gone(
    client, on_redis, tmp_path
):
    """`celery -A portal worker` on the test Redis: health follows it being up and down."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "CELERY_BROKER_URL": REDIS_URL,
        "REDIS_URL": REDIS_URL,
    }
    celery = Path(sys.executable).with_name("celery")
    log = tmp_path / "worker.log"
    with log.open("w") as output:
        worker = subprocess.Popen(
            [str(celery), "-A", "portal", "worker", "--pool", "solo", "--loglevel", "INFO"]
            + ["--without-mingle", "--without-gossip"],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            # Starting Django and Celery takes a while on a busy machine.
            started = _wait_for(lambda: on_redis.get(HEARTBEAT_KEY) is not None, 180)
            up = _health_details(client)
            on_redis.delete(HEARTBEAT_KEY)
            heartbeat.delay()  # what beat sends every HEALTH_HEARTBEAT_SECONDS
            task_beat = _wait_for(lambda: on_redis.get(HEARTBEAT_KEY) is not None, 60)
        finally:
            worker.terminate()
            worker.wait(timeout=60)
    on_redis.delete(HEARTBEAT_KEY)
    down = _health_details(client)

    assert started and task_beat, log.read_text()[-3000:]
    assert up[0] == 200 and up[1]["checks"]["worker"]["ok"] is True
    assert down[0] == 503 and down[1]["checks"]["worker"]["ok"] is False


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


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
