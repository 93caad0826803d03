"""Attempts: integrity rules the server enforces, and events for every state change."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.org.tests.factories import person
from training.choices import AttemptEventKind, AttemptState
from training.models import Attempt, AttemptEvent, Certificate
from training.services.attempts import (
    AttemptRefused,
    answers_save,
    attempt_start,
    attempt_submit,
    attempts_close_expired,
)
from training.tests.factories import right_answer, sample_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def learner():
    return person("store_staff")


def _answer_all(attempt, learner, *, right=True, now=None):
    for item in attempt.questions.select_related("question"):
        answer = right_answer(item.question) if right else None
        if answer:
            answers_save(person=learner, attempt=attempt, answers={item.position: answer}, now=now)


def test_a_full_attempt_passes_and_issues_a_certificate(learner):
    exam = sample_exam()
    attempt = attempt_start(person=learner, exam=exam)
    _answer_all(attempt, learner)

    attempt = attempt_submit(person=learner, attempt=attempt)

    assert (attempt.state, attempt.score, attempt.passed) == (AttemptState.SUBMITTED, 100, True)
    certificate = Certificate.objects.get(attempt=attempt)
    assert certificate.is_valid_on(timezone.localdate())
    kinds = list(attempt.events.values_list("kind", flat=True))
    assert kinds[0] == AttemptEventKind.STARTED and kinds[-1] == AttemptEventKind.CERTIFICATE_ISSUED
    assert kinds.count(AttemptEventKind.ANSWER_SAVED) == attempt.questions.count()


def test_questions_are_frozen_and_shuffled_per_attempt(learner):
    exam = sample_exam(attempts_limit=0, cooloff_hours=0)
    first = attempt_start(person=learner, exam=exam)
    attempt_submit(person=learner, attempt=first)
    second = attempt_start(person=learner, exam=exam)

    assert first.questions.count() == second.questions.count() == 7
    orders = {
        tuple(first.questions.values_list("question_id", flat=True)),
        tuple(second.questions.values_list("question_id", flat=True)),
    }
    assert len(orders) in (1, 2)  # random, but the set is the same
    assert set(first.questions.values_list("question_id", flat=True)) == set(
        second.questions.values_list("question_id", flat=True)
    )


def test_a_second_open_attempt_is_refused(learner):
    exam = sample_exam()
    attempt_start(person=learner, exam=exam)

    with pytest.raises(AttemptRefused):
        attempt_start(person=learner, exam=exam)
    assert Attempt.objects.filter(person=learner, state=AttemptState.IN_PROGRESS).count() == 1


def test_answers_for_questions_not_in_the_attempt_are_rejected(learner):
    exam = sample_exam()
    attempt = attempt_start(person=learner, exam=exam)

    with pytest.raises(AttemptRefused):
        answers_save(person=learner, attempt=attempt, answers={99: {"value": True}})
    with pytest.raises(AttemptRefused):
        answers_save(person=learner, attempt=attempt, answers={1: {"option": "nope"}})
    with pytest.raises(AttemptRefused):
        answers_save(person=person("store_staff"), attempt=attempt, answers={1: {}})
    assert not attempt.questions.exclude(answer=None).exists()


def test_submitting_twice_is_harmless(learner):
    exam = sample_exam()
    attempt = attempt_start(person=learner, exam=exam)
    _answer_all(attempt, learner)

    first = attempt_submit(person=learner, attempt=attempt)
    again = attempt_submit(person=learner, attempt=attempt)

    assert (first.score, first.finished_at) == (again.score, again.finished_at)
    assert (
        AttemptEvent.objects.filter(attempt=attempt, kind=AttemptEventKind.SUBMITTED).count() == 1
    )
    assert Certificate.objects.filter(attempt=attempt).count() == 1


def test_a_late_submit_is_closed_at_the_deadline_with_what_was_saved(learner):
    exam = sample_exam(time_limit_minutes=10, grace_seconds=30)
    start = timezone.now() - timedelta(minutes=20)
    attempt = attempt_start(person=learner, exam=exam, now=start)
    first = attempt.questions.select_related("question").first()
    answers_save(
        person=learner,
        attempt=attempt,
        answers={first.position: right_answer(first.question)},
        now=start + timedelta(minutes=5),
    )
    with pytest.raises(AttemptRefused):  # too late to save more
        answers_save(
            person=learner,
            attempt=attempt,
            answers={first.position + 1 if first.position < 7 else 1: {"value": True}},
            now=start + timedelta(minutes=11),
        )

    closed = attempt_submit(person=learner, attempt=attempt)

    assert closed.state == AttemptState.CLOSED_AT_DEADLINE
    assert closed.finished_at == attempt.deadline
    assert closed.score == Decimal("14.3")  # 1 of 7 answers saved in time, one decimal
    assert not closed.passed


def test_the_beat_task_closes_abandoned_attempts(learner):
    exam = sample_exam(time_limit_minutes=5)
    attempt_start(person=learner, exam=exam, now=timezone.now() - timedelta(hours=1))

    assert attempts_close_expired() == 1
    assert attempts_close_expired() == 0
    assert Attempt.objects.get(person=learner).state == AttemptState.CLOSED_AT_DEADLINE


def test_attempt_limit_and_pause_between_attempts(learner):
    exam = sample_exam(attempts_limit=2, cooloff_hours=2)
    now = timezone.now()
    first = attempt_start(person=learner, exam=exam, now=now)
    attempt_submit(person=learner, attempt=first, now=now + timedelta(minutes=1))

    with pytest.raises(AttemptRefused, match="\\d"):
        attempt_start(person=learner, exam=exam, now=now + timedelta(hours=1))
    second = attempt_start(person=learner, exam=exam, now=now + timedelta(hours=3))
    attempt_submit(person=learner, attempt=second, now=now + timedelta(hours=3, minutes=1))
    with pytest.raises(AttemptRefused):
        attempt_start(person=learner, exam=exam, now=now + timedelta(days=1))


def test_answers_posted_together_are_saved_all_or_none(learner):
    from training.services.attempts import answers_save

    exam = sample_exam()
    attempt = attempt_start(person=learner, exam=exam)
    items = list(attempt.questions.select_related("question"))
    good = {i.position: right_answer(i.question) for i in items[:3]}

    with pytest.raises(AttemptRefused):
        answers_save(person=learner, attempt=attempt, answers={**good, 99: {"value": True}})
    assert not attempt.questions.exclude(answer=None).exists()

    answers_save(person=learner, attempt=attempt, answers=good)
    assert attempt.questions.exclude(answer=None).count() == 3
    assert attempt.events.filter(kind=AttemptEventKind.ANSWER_SAVED).count() == 3
