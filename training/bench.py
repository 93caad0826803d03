"""Launch-week load on the exam: many learners at once against gunicorn over HTTP.

Each simulated learner uses a real session (created server-side, as after a login),
starts the exam, opens the attempt page, saves every answer the way the page's htmx
does, and submits. Latencies are measured by the client; SQL queries per request are
read from `X-Query-Count` (portal.querycount, installed only for benchmarks).

Everything the bench makes carries its own codes (region BENCH-EXAM, store BENCH-EXAM-1,
exam, topics and learners' e-mails starting `bench-exam-`); `bench_cleanup` removes it.
"""

from __future__ import annotations

import secrets
import statistics
import threading
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser

import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from portal.bench import bench_region_code, purge, region_purge
from portal.org.models import User
from training.models import Exam, QuestionCategory

BACKEND = "portal.org.backends.EmailOrPersonnelNumberBackend"
REGION = bench_region_code("exam")
STORE = f"{REGION}-1"
CODE_PREFIX = "bench-exam-"
# Session keys the bench created (the learners' logins), removed by `bench_cleanup`.
SESSIONS: set[str] = set()


def bench_cleanup() -> None:
    """Remove everything a bench_exam run made, also what a failed or killed run left:
    the bench exams (their attempts and certificates), the bench topics (their
    questions), region BENCH-EXAM with its store and learners, and the sessions this
    process opened for them (a killed run's sessions simply expire)."""
    Session.objects.filter(session_key__in=SESSIONS).delete()
    SESSIONS.clear()
    purge(Exam.objects.filter(code__startswith=CODE_PREFIX))
    purge(QuestionCategory.objects.filter(code__startswith=CODE_PREFIX))
    region_purge(REGION)


def session_for(user: User) -> str:
    """A logged-in session key for `user`, as the login view would leave it."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    SESSIONS.add(store.session_key)
    return store.session_key


class _SheetParser(HTMLParser):
    """Reads the attempt page as a browser would: each question form and its inputs."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("data-testid") == "question":
            self.forms.append({"position": int(attrs["id"][1:]), "fields": defaultdict(list)})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name") not in (None, "csrfmiddlewaretoken"):
            self.forms[-1]["fields"][attrs["name"]].append(attrs.get("value") or "1")
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and attrs.get("value"):
            self.forms[-1]["fields"][self._select].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def sheet_answers(html: str) -> list[tuple[int, dict]]:
    """A well-formed answer for every question on the page (first choice of each field;
    places numbered in the order shown), posted as the page's own forms would."""
    parser = _SheetParser()
    parser.feed(html)
    answers = []
    for form in parser.forms:
        data = {}
        for n, (name, values) in enumerate(form["fields"].items(), 1):
            data[name] = str(n) if name.startswith("place-") else values[0]
        answers.append((form["position"], data))
    return answers


@dataclass
class Learner:
    base_url: str
    user: User
    exam_code: str
    session: requests.Session = field(default_factory=requests.Session)

    def __post_init__(self):
        csrf = secrets.token_hex(16)  # an unmasked 32-character secret, as Django accepts
        self.session.cookies.set(settings.SESSION_COOKIE_NAME, session_for(self.user))
        self.session.cookies.set(settings.CSRF_COOKIE_NAME, csrf)
        self.session.headers.update({"X-CSRFToken": csrf, "Referer": self.base_url})

    def request(self, kind: str, method: str, path: str, stats: Stats, **kwargs):
        started = time.perf_counter()
        response = self.session.request(method, self.base_url + path, timeout=120, **kwargs)
        stats.record(kind, time.perf_counter() - started, response)
        return response

    def take_exam(self, stats: Stats) -> None:
        begin = self.request(
            "begin",
            "post",
            f"/training/exams/{self.exam_code}/start/",
            stats,
            allow_redirects=False,
        )
        path = begin.headers.get("Location", "")
        if begin.status_code != 302 or "/attempts/" not in path:
            stats.error(f"begin: {begin.status_code} {path}")
            return
        page = self.request("page", "get", path, stats)
        for position, form in sheet_answers(page.text):
            self.request(
                "save",
                "post",
                f"{path}answers/{position}/",
                stats,
                data=form,
                headers={"HX-Request": "true"},
            )
        self.request("submit", "post", f"{path}submit/", stats, allow_redirects=False)


class Stats:
    def __init__(self):
        self._lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.errors: list[str] = []

    def record(self, kind: str, seconds: float, response) -> None:
        with self._lock:
            self.latencies[kind].append(seconds)
            if "X-Query-Count" in response.headers:
                self.queries[kind].append(int(response.headers["X-Query-Count"]))
            if response.status_code >= 400:
                self.errors.append(f"{kind}: HTTP {response.status_code}")

    def error(self, message: str) -> None:
        with self._lock:
            self.errors.append(message)

    def percentile_ms(self, kind: str, pct: int) -> float:
        values = sorted(self.latencies[kind])
        if not values:
            return 0.0
        index = min(len(values) - 1, max(0, round(pct / 100 * len(values)) - 1))
        return round(values[index] * 1000, 1)

    def median_ms(self, kind: str) -> float:
        return (
            round(statistics.median(self.latencies[kind]) * 1000, 1)
            if self.latencies[kind]
            else 0.0
        )


def run_load(
    base_url: str, users: list[User], exam_code: str, concurrency: int
) -> tuple[Stats, float]:
    stats = Stats()
    learners = [Learner(base_url, user, exam_code) for user in users]
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(learner.take_exam, stats) for learner in learners]:
            try:
                future.result()
            except Exception as error:  # noqa: BLE001 - a benchmark reports, it does not stop
                stats.error(repr(error))
    return stats, time.perf_counter() - started
