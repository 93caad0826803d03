"""The benchmarks' shared harness: each bench has its own codes and removes what it made,
also after a failure, so `make bench` runs them all in one go (the benchmarks themselves
are run by `make bench`, not here)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from audits import bench as audits_bench
from audits.facts import audit_facts_rebuild
from audits.models import QuestionFact, ScoreFact, VisitAnswer
from kpi import bench as kpi_bench
from kpi.models import StoreDay
from portal.bench import bench_run, purge
from portal.org.models import Region, Store, User
from training import bench as exam_bench
from training.management.commands.bench_exam import Command as BenchExam
from training.models import Attempt, Certificate, Exam, Question, QuestionCategory
from training.services.attempts import attempt_start, attempt_submit
from training.services.certificates import exam_passed

pytestmark = pytest.mark.django_db


def _exam_bench_leftovers() -> dict[str, int]:
    return {
        "regions": Region.objects.filter(code=exam_bench.REGION).count(),
        "stores": Store.objects.filter(code=exam_bench.STORE).count(),
        "people": User.objects.filter(email__startswith=exam_bench.CODE_PREFIX).count(),
        "exams": Exam.objects.filter(code__startswith=exam_bench.CODE_PREFIX).count(),
        "topics": QuestionCategory.objects.filter(code__startswith=exam_bench.CODE_PREFIX).count(),
    }


def _exam_bench_world():
    """What a bench_exam run leaves before its clean-up: learners, an attempt with its
    certificate (both protect the person and the exam), a learner's session."""
    exam, learners, _probes = BenchExam()._setup("t1", 3)
    learner = learners[0]
    attempt = attempt_start(person=learner, exam=exam)
    attempt = attempt_submit(person=learner, attempt=attempt)
    Attempt.objects.filter(pk=attempt.pk).update(score=100, passed=True)
    attempt.refresh_from_db()
    exam_passed(attempt=attempt)
    exam_bench.session_for(learner)
    return exam


def test_the_benches_use_codes_of_their_own():
    assert exam_bench.REGION == "BENCH-EXAM" and kpi_bench.REGION == "BENCH-KPI"
    assert not exam_bench.STORE.startswith(kpi_bench.STORE_PREFIX)
    assert audits_bench.REGION_PREFIX == "BENCH-AUDITS"
    assert audits_bench.STORE_PREFIX not in (kpi_bench.STORE_PREFIX, exam_bench.STORE)


def test_the_exam_bench_removes_its_learners_attempts_and_certificates():
    _exam_bench_world()
    assert Certificate.objects.filter(person__email__startswith="bench-exam-").count() == 1

    exam_bench.bench_cleanup()

    assert set(_exam_bench_leftovers().values()) == {0}
    assert not Certificate.objects.exists() and not Attempt.objects.exists()
    assert not Question.objects.filter(name__startswith="Нагрузка").exists()
    assert not Session.objects.exists()


def test_a_failed_run_is_cleaned_up_too():
    with pytest.raises(RuntimeError), bench_run(exam_bench.bench_cleanup):
        _exam_bench_world()
        raise RuntimeError("the load died half-way")

    assert set(_exam_bench_leftovers().values()) == {0}


def test_the_kpi_bench_sets_up_after_the_exam_bench_left_its_rows():
    """The failure `make bench` had: bench_exam's rows made bench_kpi's clean-up die on
    ProtectedError. Whatever one bench leaves, the other sets up and cleans up."""
    _exam_bench_world()

    with bench_run(kpi_bench.bench_cleanup):
        stores, manager = kpi_bench.bench_setup(3)
        StoreDay.objects.create(store=stores[0], day=timezone.localdate())
        assert [s.code for s in stores] == ["BENCH-KPI-0001", "BENCH-KPI-0002", "BENCH-KPI-0003"]

    assert not Region.objects.filter(code=kpi_bench.REGION).exists()
    assert not User.objects.filter(pk=manager.pk).exists() and not StoreDay.objects.exists()
    assert _exam_bench_leftovers()["people"] == 5  # the other bench's rows are not touched


def test_purge_deletes_what_protects_the_rows_first():
    exam = _exam_bench_world()

    purge(Exam.objects.filter(pk=exam.pk))  # attempts protect it, certificates them

    assert not Exam.objects.filter(pk=exam.pk).exists() and not Attempt.objects.exists()
    assert _exam_bench_leftovers()["people"] == 5


def _audit_facts() -> tuple[list, list]:
    return (
        sorted(
            ScoreFact.objects.values_list(
                "store_id", "month", "auditor_id", "visits", "passed", "score_sum", "score_squares"
            )
        ),
        sorted(
            QuestionFact.objects.values_list(
                "region_id", "month", "key", "text", "answered", "failed"
            )
        ),
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench_audits loads by COPY")
def test_the_audits_bench_writes_the_facts_a_rebuild_gives_and_removes_all_it_made():
    """bench_audits writes its visits and their facts straight into the tables: the facts
    are those `audit_facts_rebuild` makes of the same visits, and the clean-up leaves no
    visit, answer, fact or photo file behind."""
    with bench_run(audits_bench.bench_cleanup):
        world = audits_bench.bench_setup(stores=10, auditors=30)
        pool = audits_bench.patterns_make(world, seed=1, count=20)
        answers = audits_bench.visits_grow(world, pool, 120, seed=1, say=lambda _line: None)
        assert answers == 120 * len(world.questions) == 120 * 40
        audits_bench.facts_write(world)
        written = _audit_facts()
        assert written[0] and written[1]
        assert audits_bench.facts_check(world, sample=3, seed=1) > 0

        audit_facts_rebuild()

        assert _audit_facts() == written
        visit = audits_bench.pdf_visit(
            world, photos=2, seed=1, say=lambda _l: None, size=(800, 600)
        )
        photos = list(visit.photos.values_list("file", flat=True))
        assert len(photos) == 2 and all(default_storage.exists(name) for name in photos)

    assert set(audits_bench.leftovers().values()) == {0}
    assert not VisitAnswer.objects.exists() and _audit_facts() == ([], [])
    assert not any(default_storage.exists(name) for name in photos)
