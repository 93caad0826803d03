"""What a learner sees: their exams, an attempt sheet without any key, and the review."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, Q
from django.http import Http404
from django.utils import timezone

from portal.org.models import User
from portal.sop import selectors as sop_selectors
from training.choices import AttemptState
from training.kinds import kind
from training.models import (
    Assignment,
    AssignmentRule,
    Attempt,
    AttemptQuestion,
    Certificate,
    Exam,
)
from training.models.exams import ReviewOption
from training.presentation import sheet_entry
from training.rich import question_rich
from training.selectors.status import CertStatus, certification_of


def attempt_of(*, user: User, attempt_id: int) -> Attempt:
    """The learner's own attempt; 404 for anyone else's (never reveal it exists)."""
    attempt = Attempt.objects.select_related("exam").filter(pk=attempt_id, person=user).first()
    if attempt is None:
        raise Http404
    return attempt


def attempt_item_of(*, user: User, attempt_id: int, position: int) -> AttemptQuestion:
    """One question of the learner's own attempt, with its attempt, exam and question, in
    one query (what an answer save needs); 404 for anyone else's attempt."""
    item = (
        AttemptQuestion.objects.select_related("attempt__exam", "question")
        .filter(attempt_id=attempt_id, attempt__person=user, position=position)
        .first()
    )
    if item is None:
        raise Http404
    return item


def exam_addressed_to(*, person: User, exam: Exam) -> bool:
    """May `person` take `exam`: an open assignment of it, or one of its rules matches
    their role (and the rule's store or region, when it names one)."""
    if not person.is_authenticated or not person.is_active:
        return False
    where = Q(store__isnull=True, region__isnull=True)
    if person.store_id:
        where |= Q(store_id=person.store_id)
        where |= Q(store__isnull=True, region__stores=person.store_id)
    if person.region_id:
        where |= Q(store__isnull=True, region_id=person.region_id)
    assigned = Assignment.objects.filter(person=person, exam=exam, completed_at__isnull=True)
    by_rule = AssignmentRule.objects.filter(where, exam=exam, role=person.role)
    return Exam.objects.filter(Exists(assigned) | Exists(by_rule), pk=exam.pk).exists()


@dataclass
class ExamCard:
    exam: Exam
    status: str
    certificate: Certificate | None
    assignment: Assignment | None
    open_attempt: Attempt | None
    attempts_used: int
    course: list[tuple] = field(default_factory=list)  # (page, confirmed) in study order

    @property
    def course_done(self) -> int:
        return sum(done for _page, done in self.course)


def my_exams(*, user: User) -> list[ExamCard]:
    """Exams addressed to this person (by assignment or certificate), main exams first."""
    assigned = set(
        Assignment.objects.filter(person=user, completed_at=None).values_list("exam_id", flat=True)
    )
    certified = set(Certificate.objects.filter(person=user).values_list("exam_id", flat=True))
    exams = (
        Exam.objects.filter(Q(pk__in=assigned | certified), is_active=True)
        .select_related("delta_of", "course")
        .prefetch_related("draws", "course__items__page")
    )
    attempts = list(Attempt.objects.filter(person=user, exam__in=exams))
    read = (
        {
            item.page.pk: item.requirement.done
            for item in sop_selectors.reading_list(person=user, mandatory_only=False)
        }
        if any(exam.course_id for exam in exams)
        else {}
    )
    cards = []
    for exam in sorted(exams, key=lambda e: (e.delta_of_id is not None, e.title)):
        status_row = certification_of(people=User.objects.filter(pk=user.pk), exam=exam)
        row = status_row[0] if status_row else None
        mine = [a for a in attempts if a.exam_id == exam.pk]
        cards.append(
            ExamCard(
                exam=exam,
                status=row.status if row else CertStatus.NOT_REQUIRED,
                certificate=row.certificate if row else None,
                assignment=min(row.assignments, key=lambda a: a.due_on)
                if row and row.assignments
                else None,
                open_attempt=next((a for a in mine if a.is_open), None),
                attempts_used=len(mine),
                course=[
                    (item.page, read.get(item.page_id, False)) for item in exam.course.items.all()
                ]
                if exam.course_id
                else [],
            )
        )
    return cards


def question_in_attempt_of(*, person: User, question) -> bool:
    """Whether one of this person's attempts holds this question (version)."""
    return AttemptQuestion.objects.filter(question=question, attempt__person=person).exists()


def attempt_sheet(*, attempt: Attempt) -> list[dict]:
    """The questions as the learner sees them: texts and per-attempt tokens in the
    attempt's order, never a key or an authoring id."""
    sheet = []
    for item in attempt.questions.select_related("question"):
        question = item.question
        rich = question_rich(question)
        sheet.append(
            {
                "position": item.position,
                "qtype": question.qtype,
                "text": rich(question.text),
                "answer": item.answer or {},
                "saved_at": item.saved_at,
                **sheet_entry(question.qtype, question.data, item.presented, item.answer, rich),
            }
        )
    return sheet


def review_level(*, attempt: Attempt) -> str:
    """What the learner may see of a finished attempt: more once their exam is over
    (passed, or no attempts left)."""
    exam = attempt.exam
    used = Attempt.objects.filter(person_id=attempt.person_id, exam=exam).count()
    over = attempt.passed or (exam.attempts_limit and used >= exam.attempts_limit)
    return exam.review_after_close if over else exam.review_after_submit


def attempt_review(*, attempt: Attempt) -> list[dict]:
    level = review_level(attempt=attempt)
    if level == ReviewOption.SCORE:
        return []
    rows = []
    for item in attempt.questions.select_related("question"):
        question = item.question
        rich = question_rich(question)
        row = {
            "position": item.position,
            "text": rich(question.text),
            "fraction": item.fraction,
            "right": item.fraction == 1,
        }
        if level == ReviewOption.FEEDBACK:
            row["feedback"] = rich(
                " ".join(
                    text
                    for text in (
                        _chosen_feedback(question, item.answer),
                        question.general_feedback,
                    )
                    if text
                )
            )
        rows.append(row)
    return rows


def seconds_left(*, attempt: Attempt) -> int:
    if attempt.state != AttemptState.IN_PROGRESS:
        return 0
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


def _chosen_feedback(question, answer: dict | None) -> str:
    """The feedback written for what the learner chose (its kind knows what that is)."""
    return kind(question.qtype).chosen_feedback(question.data, answer) if answer else ""
