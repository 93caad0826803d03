"""The benchmarks' shared harness: each bench has its own codes and removes what it made,
also after a failure, so `make bench` runs them all in one go (the benchmarks themselves
are run by `make bench`, not here)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

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
