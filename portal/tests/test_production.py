"""Production as an operator runs it: which settings each process runs, every environment
variable documented, the POS API over plain HTTP, log times."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from portal.logging import IsoTimeFormatter

BASE_DIR = Path(__file__).resolve().parents[2]
SECRET = "k3Jx-9vQ_p2Lm8Rt5Wz1Nb7Yc4Hd6Fg0Sa2Ue8Io3Pq5Tr7Vw9Xy1Zb4Cd6Ef8Gh0Jk"
# Files that read environment variables an operator sets.
READERS = [
    *sorted((BASE_DIR / "portal" / "settings").glob("*.py")),
    BASE_DIR / "portal" / "celery.py",
    BASE_DIR / "portal" / "gunicorn_conf.py",
    BASE_DIR / "manage.py",
    BASE_DIR / "scripts" / "serve.sh",
    BASE_DIR / "Procfile",
]
PYTHON_READ = re.compile(
    r"""\b(?:env|env_bool|env_list|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)"""
)
SHELL_READ = re.compile(r"\$\{([A-Z][A-Z0-9_]+)")


def _clean_env(**extra: str) -> dict[str, str]:
    """The test process's environment without its Django choices (pytest-django sets them)."""
    drop = {"DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**{k: v for k, v in os.environ.items() if k not in drop}, **extra}


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- Which settings a process runs ----------------------------------------------------------


@pytest.mark.parametrize("module", ["portal.wsgi", "portal.asgi", "portal.celery"])
def test_web_and_celery_processes_refuse_to_start_without_a_production_secret(module):
    result = _python(f"import {module}; from django.conf import settings; settings.DEBUG")

    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY for production." in result.stderr


def test_celery_without_a_settings_module_runs_the_production_settings():
    result = _python(
        "from portal.celery import app; from django.conf import settings; "
        "print(settings.SETTINGS_MODULE, settings.DEBUG)",
        DJANGO_SECRET_KEY=SECRET,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["portal.settings.production", "False"]


def test_manage_py_refuses_a_production_secret_without_a_settings_module():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=_clean_env(DJANGO_SECRET_KEY=SECRET),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "DJANGO_SETTINGS_MODULE" in result.stderr


def test_every_procfile_process_names_the_production_settings():
    lines = [line for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.strip()]

    assert {line.split(":", 1)[0] for line in lines} == {"web", "worker", "beat", "release"}
    for line in lines:
        assert "DJANGO_SETTINGS_MODULE=portal.settings.production" in line, line


# --- Every environment variable is in the README's table --------------------------------------


def _variables_read() -> set[str]:
    names: set[str] = set()
    for path in READERS:
        text = path.read_text()
        names |= set(PYTHON_READ.findall(text))
        if path.suffix != ".py":
            names |= set(SHELL_READ.findall(text))
    return names | {"DJANGO_SETTINGS_MODULE"}


def _variables_documented() -> set[str]:
    readme = (BASE_DIR / "README.md").read_text()
    section = readme.split("\n## Production\n", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            names |= set(re.findall(r"`([A-Z][A-Z0-9_]+)(?:=[^`]*)?`", first_cell))
    return names


def test_every_environment_variable_is_documented_in_the_readme_table():
    missing = sorted(_variables_read() - _variables_documented())

    assert not missing, (
        "README.md, section Production: add a row to the variables table for " + ", ".join(missing)
    )


def test_the_readme_table_documents_no_variable_that_nothing_reads():
    stale = sorted(_variables_documented() - _variables_read())

    assert not stale, f"README.md's variables table names variables nothing reads: {stale}"


# --- The POS API over plain HTTP --------------------------------------------------------------

PLAIN_HTTP = """
import django, json
django.setup()
from django.test import Client
client = Client()
api = client.post("/api/v1/receipts/", {"receipts": []}, content_type="application/json")
page = client.get("/accounts/login/")
secure = client.post("/api/v1/receipts/", {}, content_type="application/json", secure=True)
print(json.dumps([api.status_code, api.get("Content-Type"), api.content.decode(),
                  page.status_code, page.get("Location"), secure.status_code]))
"""


def test_a_plain_http_api_call_gets_a_json_error_not_a_redirect_under_production_settings():
    import json

    result = _python(
        PLAIN_HTTP,
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="testserver",
    )

    assert result.returncode == 0, result.stderr
    api, api_type, api_body, page, page_location, secure = json.loads(result.stdout)
    assert (api, api_type) == (403, "application/json")
    assert "https://testserver/api/v1/receipts/" in json.loads(api_body)["detail"]
    assert (page, page_location) == (301, "https://testserver/accounts/login/")  # pages still
    assert secure == 401  # over HTTPS the API answers as usual (no token: 401)


# --- Log times ----------------------------------------------------------------------------------


def test_log_lines_carry_iso_time_with_the_offset_of_the_portals_time_zone():
    formatter_config = settings.LOGGING["formatters"]["iso"]
    formatter = IsoTimeFormatter(formatter_config["format"], tz=formatter_config["tz"])
    record = logging.LogRecord("kpi", logging.INFO, __file__, 1, "loaded", None, None)
    record.created = 1_795_000_000.5  # 2026-11-18 11:06:40.500 UTC

    line = formatter.format(record)

    assert formatter_config["tz"] == settings.TIME_ZONE == "Europe/Moscow"
    assert line == "2026-11-18T14:06:40.500+03:00 INFO kpi: loaded"
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "iso"
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
