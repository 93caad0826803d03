"""`manage.py bench_exam`: a launch week of the LP exam against gunicorn on PostgreSQL.

Prints throughput, p50/p95 latency of answer-save and submit, and SQL queries per
request with a small bank and with a large bank plus many past attempts; the last line
holds the figures as key=value pairs. Everything it makes (region BENCH-EXAM, its store
and learners, the bench exam and bank, the learners' sessions) is removed at the end, also
after a failure, and before it starts if a killed run left any.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from portal.bench import bench_run
from portal.org.choices import Role
from portal.org.models import Region, Store, User
from training.bench import CODE_PREFIX, REGION, STORE, bench_cleanup, run_load
from training.choices import AttemptState
from training.demo import question_data
from training.demo_questions import CATEGORIES, QUESTIONS
from training.models import (
    AssignmentRule,
    Attempt,
    AttemptQuestion,
    Exam,
    ExamDraw,
    Question,
)
from training.services.bank import category_ensure, questions_import

KINDS = ("begin", "page", "save", "submit")


class Command(BaseCommand):
    help = "Simulate a launch week: many learners take the LP exam at once (PostgreSQL)."

    def add_arguments(self, parser):
        # `make bench` runs every bench command: sizes for this one alone come from
        # variables (BENCH_EXAM_LEARNERS=50 make bench), options need BENCH=bench_exam.
        env = os.environ.get
        parser.add_argument("--learners", type=int, default=int(env("BENCH_EXAM_LEARNERS", 500)))
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--threads", type=int, default=4, help="threads per worker")
        parser.add_argument(
            "--extra-questions", type=int, default=int(env("BENCH_EXAM_EXTRA_QUESTIONS", 2000))
        )
        parser.add_argument(
            "--past-attempts", type=int, default=int(env("BENCH_EXAM_PAST_ATTEMPTS", 3000))
        )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "bench_exam needs PostgreSQL in DATABASE_URL (make bench starts one)"
            )
        run = uuid.uuid4().hex[:6]
        with bench_run(bench_cleanup):
            exam, learners, probes = self._setup(run, options["learners"])
            with self._gunicorn(options["workers"], options["threads"]) as base_url:
                small = self._probe(base_url, probes[0], exam)
                self.stdout.write(f"load: {len(learners)} learners at once …")
                stats, seconds = run_load(base_url, learners, exam.code, len(learners))
                self._grow(exam, run, options["extra_questions"], options["past_attempts"])
                large = self._probe(base_url, probes[1], exam)
        self.stdout.write(
            f"clean-up: region {REGION}, its store and learners, the bench exam, bank and "
            "sessions removed"
        )
        requests_done = sum(len(v) for v in stats.latencies.values())
        self.stdout.write(
            f"requests={requests_done} seconds={seconds:.1f} "
            f"throughput={requests_done / seconds:.1f} req/s errors={len(stats.errors)}"
        )
        for kind in KINDS:
            self.stdout.write(
                f"  {kind:<7} n={len(stats.latencies[kind]):>5} p50={stats.median_ms(kind)} ms "
                f"p95={stats.percentile_ms(kind, 95)} ms queries small={small.get(kind)} "
                f"large={large.get(kind)}"
            )
        for message in stats.errors[:5]:
            self.stdout.write(f"  error: {message}")
        self.stdout.write(
            f"exam_queries_small={max(small.values())} exam_queries_large={max(large.values())} "
            f"save_p50_ms={stats.median_ms('save')} save_p95_ms={stats.percentile_ms('save', 95)} "
            f"submit_p50_ms={stats.median_ms('submit')} "
            f"submit_p95_ms={stats.percentile_ms('submit', 95)} "
            f"throughput_rps={requests_done / seconds:.1f} errors={len(stats.errors)}"
        )

    def _setup(self, run: str, count: int):
        region = Region.objects.create(code=REGION, name="Нагрузочный тест экзамена")
        store = Store.objects.create(
            code=STORE,
            region=region,
            name="Нагрузочный (экзамен)",
            city="Москва",
            address="—",
            opened_on=timezone.localdate(),
        )
        names = {code: f"Нагрузка {run}: {name}" for code, name, _slug in CATEGORIES}
        for code, name in names.items():
            category_ensure(name=name, code=f"{CODE_PREFIX}{run}-{code}"[:50])
        questions_import(
            actor=None, items=[question_data(q, names[q["category"]]) for q in QUESTIONS]
        )
        exam = Exam.objects.create(
            code=f"{CODE_PREFIX}{run}",
            title="Нагрузочный экзамен",
            attempts_limit=0,
            cooloff_hours=0,
        )
        for code in names:
            ExamDraw.objects.create(exam=exam, category=category_ensure(name=names[code]), count=2)
        AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF)  # sellers may take it
        users = User.objects.bulk_create(
            User(
                email=f"{CODE_PREFIX}{run}-{n}@bench.local",
                personnel_number=f"B{run}{n:05d}",
                last_name="Нагрузочный",
                first_name=f"Ученик {n}",
                role=Role.STORE_STAFF,
                store=store,
                password="!",
            )
            for n in range(count + 2)
        )
        return exam, users[:count], users[count:]

    def _probe(self, base_url: str, user: User, exam: Exam) -> dict[str, int]:
        stats, _seconds = run_load(base_url, [user], exam.code, 1)
        if stats.errors:
            raise CommandError(f"probe failed: {stats.errors}")
        return {kind: max(stats.queries[kind]) for kind in KINDS}

    def _grow(self, exam: Exam, run: str, extra: int, past: int) -> None:
        """A bank ×N bigger and thousands of finished attempts (bench data, bulk-written)."""
        self.stdout.write(f"growing: +{extra} questions, +{past} past attempts …")
        templates = list(Question.objects.filter(category__in=exam.draws.values("category")))
        Question.objects.bulk_create(
            Question(
                category_id=t.category_id,
                qtype=t.qtype,
                name=f"{t.name} №{n}",
                text=t.text,
                data=t.data,
            )
            for n in range(extra)
            for t in [templates[n % len(templates)]]
        )
        learner = User.objects.filter(email__startswith=f"{CODE_PREFIX}{run}-").first()
        now = timezone.now()
        attempts = Attempt.objects.bulk_create(
            Attempt(
                person=learner,
                exam=exam,
                number=1000 + n,
                state=AttemptState.SUBMITTED,
                started_at=now,
                deadline=now,
                finished_at=now,
                score=50,
                passed=False,
            )
            for n in range(past)
        )
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(attempt=a, question=templates[p], position=p + 1, fraction=0)
            for a in attempts
            for p in range(min(3, len(templates)))
        )

    @contextmanager
    def _gunicorn(self, workers: int, threads: int):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PORTAL_QUERY_COUNT_HEADER": "1",
            "PYTHONWARNINGS": "ignore",
            "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        }
        env.pop("CELERY_BROKER_URL", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        process = subprocess.Popen(
            [
                str(gunicorn),
                "portal.wsgi:application",
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        base_url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    if requests.get(f"{base_url}/health/", timeout=20).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.2)
            else:
                raise CommandError("gunicorn did not come up")
            self.stdout.write(f"gunicorn: {workers} workers × {threads} threads at {base_url}")
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a loaded machine: do not lose the figures
                process.kill()
                process.wait()
