"""Attempts: start, save answers one by one, submit; the server keeps time.

Scoring keys never leave the server: the attempt page gets option texts in a shuffled
order and per-attempt random tokens only (`training.presentation`). An attempt past its
deadline plus grace closes itself with what was saved (on the next request that touches
it, or the minutely beat task).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.events.services import event_record, events_record
from portal.numbers import percent_of
from portal.org.models import User
from training.choices import AttemptEventKind, AttemptState
from training.models import Attempt, AttemptEvent, AttemptQuestion, Exam, Question
from training.presentation import present
from training.scoring import answer_is_well_formed, score
from training.services.certificates import exam_passed


class AttemptRefused(Exception):
    """The learner may not do this now; the message says why, in their language."""


def _event(attempt: Attempt, kind: str, actor: User | None, **payload) -> None:
    event_record(AttemptEvent, attempt=attempt, kind=kind, actor=actor, payload=payload)


def _draw(exam: Exam, rng: random.Random) -> list[Question]:
    drawn: list[Question] = []
    for draw in exam.draws.select_related("category"):
        pool = list(Question.objects.filter(category=draw.category, is_current=True).order_by("pk"))
        drawn.extend(rng.sample(pool, min(draw.count, len(pool))))
    rng.shuffle(drawn)
    return drawn


def attempt_start(
    *,
    person: User,
    exam: Exam,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """A new attempt with its own frozen, shuffled questions.

    Refused while another attempt is open, past the attempts limit, or during the pause
    after the previous attempt. One open attempt per person and exam is also a database
    constraint, so two simultaneous clicks cannot both win. `rng` makes the draw
    reproducible (the demo passes a seeded one).
    """
    now = now or timezone.now()
    previous = list(Attempt.objects.filter(person=person, exam=exam).order_by("-number"))
    if any(
        a.is_open and a.deadline + timedelta(seconds=exam.grace_seconds) > now for a in previous
    ):
        raise AttemptRefused(_("You already have an attempt in progress."))
    stale = [a for a in previous if a.is_open]
    for attempt in stale:
        attempt_close(attempt=attempt, now=now)
    if stale:  # closed at their deadlines just now: the pause counts from there
        previous = list(Attempt.objects.filter(person=person, exam=exam).order_by("-number"))
    if exam.attempts_limit and len(previous) >= exam.attempts_limit:
        raise AttemptRefused(_("You have used all %(n)s attempts.") % {"n": exam.attempts_limit})
    if previous and previous[0].finished_at:
        resume = previous[0].finished_at + timedelta(hours=exam.cooloff_hours)
        if now < resume:
            raise AttemptRefused(
                _("The next attempt is possible from %(at)s.")
                % {"at": timezone.localtime(resume).strftime("%d.%m.%Y %H:%M")}
            )
    rng = rng or random.SystemRandom()
    questions = _draw(exam, rng)
    if not questions:
        raise AttemptRefused(_("This exam has no questions yet."))
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(
                person=person,
                exam=exam,
                number=(previous[0].number + 1) if previous else 1,
                started_at=now,
                deadline=now + timedelta(minutes=exam.time_limit_minutes),
            )
            AttemptQuestion.objects.bulk_create(
                AttemptQuestion(
                    attempt=attempt, question=q, position=n, presented=present(q.qtype, q.data, rng)
                )
                for n, q in enumerate(questions, 1)
            )
            _event(attempt, AttemptEventKind.STARTED, person, questions=len(questions))
    except IntegrityError as error:
        raise AttemptRefused(_("You already have an attempt in progress.")) from error
    return attempt


def _past_grace(attempt: Attempt, now: datetime) -> bool:
    return now > attempt.deadline + timedelta(seconds=attempt.exam.grace_seconds)


def answer_save(
    *, person: User, item: AttemptQuestion, answer: dict, now: datetime | None = None
) -> AttemptQuestion:
    """Autosave one answer (the attempt page posts each answer as it is given).

    `item` comes with its attempt, exam and question loaded (`learner.attempt_item_of`):
    the save then costs one locking read of the attempt's state, one update and one
    event row. The lock orders the save against a concurrent submit: an answer either
    lands before grading or is refused. Refusals as in `answers_save`.
    """
    now = now or timezone.now()
    attempt = item.attempt
    if attempt.person_id != person.pk:
        raise AttemptRefused(_("This is not your attempt."))
    if attempt_close_if_expired(attempt=attempt, now=now) is not None:
        raise AttemptRefused(_("Time is up: the attempt was closed with the answers saved."))
    with transaction.atomic():
        state = (
            Attempt.objects.select_for_update()
            .filter(pk=attempt.pk)
            .values_list("state", flat=True)
            .first()
        )
        if state != AttemptState.IN_PROGRESS:
            raise AttemptRefused(_("The attempt is closed; answers can no longer be changed."))
        if not answer_is_well_formed(item.question.qtype, item.question.data, answer):
            raise AttemptRefused(_("The answer does not fit this question."))
        item.answer, item.saved_at = answer, now
        item.save(update_fields=["answer", "saved_at"])
        event_record(
            AttemptEvent,
            attempt=attempt,
            kind=AttemptEventKind.ANSWER_SAVED,
            actor=person,
            at=now,
            payload={"position": item.position},
        )
    return item


def answers_save(
    *,
    person: User,
    attempt: Attempt,
    answers: dict[int, dict],
    now: datetime | None = None,
) -> list[AttemptQuestion]:
    """Save answers by position, all or none (the page without JavaScript posts them
    together). Refused for another person's attempt, a closed attempt, a question not in
    this attempt, or an answer naming options the question does not have. An attempt found
    past its deadline plus grace is closed first, with what was saved."""
    now = now or timezone.now()
    if attempt.person_id != person.pk:
        raise AttemptRefused(_("This is not your attempt."))
    if attempt_close_if_expired(attempt=attempt, now=now) is not None:
        raise AttemptRefused(_("Time is up: the attempt was closed with the answers saved."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
        if not attempt.is_open:
            raise AttemptRefused(_("The attempt is closed; answers can no longer be changed."))
        items = {
            item.position: item
            for item in AttemptQuestion.objects.select_related("question").filter(
                attempt=attempt, position__in=list(answers)
            )
        }
        for position, answer in answers.items():
            item = items.get(position)
            if item is None:
                raise AttemptRefused(_("This question is not part of your attempt."))
            if not answer_is_well_formed(item.question.qtype, item.question.data, answer):
                raise AttemptRefused(_("The answer does not fit this question."))
            item.answer, item.saved_at = answer, now
        saved = [items[position] for position in answers]
        AttemptQuestion.objects.bulk_update(saved, ["answer", "saved_at"])
        events_record(
            AttemptEvent,
            attempt=attempt,
            kind=AttemptEventKind.ANSWER_SAVED,
            actor=person,
            at=now,
            payloads=({"position": position} for position in answers),
        )
    return saved


def _grade(attempt: Attempt) -> None:
    items = list(attempt.questions.select_related("question"))
    total = Decimal("0")
    for item in items:
        item.fraction = score(item.question.qtype, item.question.data, item.answer)
        total += item.fraction
    AttemptQuestion.objects.bulk_update(items, ["fraction"])
    attempt.score = percent_of(total, len(items))  # the mark compares what is shown
    attempt.passed = attempt.score >= attempt.exam.pass_mark


def _finish(attempt: Attempt, *, state: str, at: datetime, actor: User | None) -> Attempt:
    _grade(attempt)
    attempt.state = state
    attempt.finished_at = at
    attempt.save(update_fields=["state", "finished_at", "score", "passed"])
    kind = (
        AttemptEventKind.SUBMITTED
        if state == AttemptState.SUBMITTED
        else AttemptEventKind.CLOSED_AT_DEADLINE
    )
    _event(attempt, kind, actor, score=str(attempt.score), passed=attempt.passed)
    if attempt.passed:
        exam_passed(attempt=attempt)
    return attempt


@transaction.atomic
def attempt_submit(*, person: User, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Finish and grade. Submitting twice changes nothing; a submit after the deadline plus
    grace closes the attempt at its deadline with the answers saved by then."""
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
    if attempt.person_id != person.pk:
        raise AttemptRefused(_("This is not your attempt."))
    if not attempt.is_open:
        return attempt
    if _past_grace(attempt, now):
        return attempt_close(attempt=attempt, now=now)
    return _finish(attempt, state=AttemptState.SUBMITTED, at=now, actor=person)


@transaction.atomic
def attempt_close(*, attempt: Attempt, now: datetime | None = None) -> Attempt:
    """Close an attempt whose time ran out, at its deadline, with what was saved."""
    attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt.pk)
    if not attempt.is_open:
        return attempt
    return _finish(attempt, state=AttemptState.CLOSED_AT_DEADLINE, at=attempt.deadline, actor=None)


def attempt_close_if_expired(*, attempt: Attempt, now: datetime | None = None) -> Attempt | None:
    """Close the attempt if its deadline plus grace has passed; the closed attempt, or None."""
    now = now or timezone.now()
    if attempt.is_open and _past_grace(attempt, now):
        return attempt_close(attempt=attempt, now=now)
    return None


def attempts_close_expired(*, now: datetime | None = None) -> int:
    """Beat task body: close every attempt past its deadline plus grace. Idempotent."""
    now = now or timezone.now()
    closed = 0
    for attempt in Attempt.objects.filter(
        state=AttemptState.IN_PROGRESS, deadline__lt=now
    ).select_related("exam"):
        closed += attempt_close_if_expired(attempt=attempt, now=now) is not None
    return closed
