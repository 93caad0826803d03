"""The LP exam of the demo chain, taken by its sellers through the real services.

About a year of history: most sellers passed (some on a second attempt), a few failed
and wait for their next try, some never started (overdue), and some certificates have
expired. Deterministic and idempotent (nothing is added once the exam exists).
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS, SEED
from portal.org.models import User
from portal.sop.models import ReadablePage
from training.demo_questions import CATEGORIES, QUESTIONS
from training.kinds import kind
from training.models import Assignment, AssignmentRule, Course, CourseItem, Exam, ExamDraw, Question
from training.models.exams import AssignmentReason
from training.moodle import QuestionData
from training.scoring import key_answer
from training.services.assignments import assignments_sync
from training.services.attempts import answers_save, attempt_start, attempt_submit
from training.services.bank import category_ensure, questions_import

EXAM_CODE = "lp-exam"
QUESTIONS_PER_TOPIC = 2


def question_data(raw: dict, category_name: str) -> QuestionData:
    """The demo's plain format as the bank's question data."""
    qtype = raw["type"]
    data = kind(qtype).demo_data(raw)
    return QuestionData(
        category_name, qtype, raw["name"], raw["text"], raw.get("feedback", ""), data
    )


def _answer(question: Question, right: bool, rng: random.Random) -> dict:
    """The key, or a typical wrong answer to the question."""
    if right:
        return key_answer(question.qtype, question.data)
    return kind(question.qtype).wrong_answer(question.data, rng)


def _difficulty(question: Question) -> float:
    """A stable difficulty per question (a couple are deliberately hard to read)."""
    rng = random.Random(f"{SEED}:{question.name}")
    return 2.5 if rng.random() < 0.05 else rng.uniform(-1.5, 1.2)


def _take(person: User, exam: Exam, at: datetime, ability: float, rng: random.Random) -> bool:
    """One attempt; a learner of `ability` gets a question right with the logistic chance
    of item response theory, so strong learners do better on every question."""
    attempt = attempt_start(person=person, exam=exam, now=at, rng=rng)
    answers = {}
    for item in attempt.questions.select_related("question"):
        chance = 1 / (1 + math.exp(-1.7 * (ability - _difficulty(item.question))))
        answers[item.position] = _answer(item.question, rng.random() < chance, rng)
    answers_save(person=person, attempt=attempt, answers=answers, now=at + timedelta(minutes=5))
    done = attempt_submit(person=person, attempt=attempt, now=at + timedelta(minutes=7))
    return bool(done.passed)


def _build_exam() -> Exam:
    for code, name, slug in CATEGORIES:
        category_ensure(
            name=name, code=code, sop_page=ReadablePage.objects.filter(slug=slug).first()
        )
    names = {code: name for code, name, _slug in CATEGORIES}
    questions_import(actor=None, items=[question_data(q, names[q["category"]]) for q in QUESTIONS])
    course, _ = Course.objects.get_or_create(
        title="Программа лояльности «Клуб „Свои“»: основы",
        defaults={"description": "Регламенты и скрипты, которые нужно знать до экзамена."},
    )
    for position, (_code, _name, slug) in enumerate(CATEGORIES):
        page = ReadablePage.objects.filter(slug=slug).first()
        if page:
            CourseItem.objects.get_or_create(
                course=course, page=page, defaults={"position": position}
            )
    exam = Exam.objects.create(
        code=EXAM_CODE,
        title="Экзамен по программе лояльности «Клуб „Свои“»",
        course=course,
        pass_mark=80,
        time_limit_minutes=30,
        attempts_limit=3,
        cooloff_hours=24,
        validity_months=12,
    )
    for code, _name, _slug in CATEGORIES:
        ExamDraw.objects.create(
            exam=exam,
            category=category_ensure(name=names[code], code=code),
            count=QUESTIONS_PER_TOPIC,
        )
    for role in (Role.STORE_STAFF, Role.STORE_MANAGER):
        AssignmentRule.objects.create(exam=exam, role=role, within_days=14)
    return exam


def _history(exam: Exam, people: QuerySet[User]) -> tuple[int, int]:
    rng = random.Random(SEED + 23)
    now = timezone.now()
    skip = {d.email for d in DEMO_LOGINS if d.role == Role.STORE_STAFF}  # the demo seller
    attempts = passed = 0
    for person in people.order_by("pk"):
        if person.email in skip or rng.random() < 0.12:
            continue  # never started: due or overdue
        ability = rng.gauss(1.6, 1.0)
        expired = rng.random() < 0.08
        days_ago = rng.randint(380, 420) if expired else rng.randint(5, 330)
        at = now - timedelta(days=days_ago, hours=rng.randint(0, 8))
        for _try in range(2):
            attempts += 1
            if _take(person, exam, at, ability, rng):
                passed += 1
                break
            if rng.random() < 0.3:
                break  # failed and has not come back yet
            ability += 0.6  # studied the SOPs again
            at = at + timedelta(days=2)
            if at > now - timedelta(hours=1):
                break
    return attempts, passed


def training_demo_seed() -> str:
    if Exam.objects.filter(code=EXAM_CODE).exists():
        return "exam exists, nothing added"
    exam = _build_exam()
    sellers = User.objects.filter(is_active=True, role__in=[Role.STORE_STAFF, Role.STORE_MANAGER])
    attempts, passed = _history(exam, sellers)
    report = assignments_sync()
    retests = _retests_since_the_sop_change()
    return (
        f"questions={Question.objects.count()} attempts={attempts} passed={passed} "
        f"assigned={report.by_rule} expired={report.expired} "
        f"sop_retests={report.sop_changed} retests_passed={retests}"
    )


def _retests_since_the_sop_change() -> int:
    """In the days since the material SOP revision four in five of those asked took it."""
    rng = random.Random(SEED + 29)
    now = timezone.now()
    passed = 0
    retests = Assignment.objects.filter(
        reason=AssignmentReason.SOP_CHANGED, completed_at=None
    ).select_related("exam", "sop_version", "person")
    for assignment in retests.order_by("pk"):
        if rng.random() > 0.8:
            continue
        start = assignment.sop_version.published_at + timedelta(hours=rng.uniform(4, 60))
        if start > now - timedelta(hours=1):
            continue
        passed += _take(assignment.person, assignment.exam, start, rng.gauss(1.8, 0.8), rng)
    return passed
