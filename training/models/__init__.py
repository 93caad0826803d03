"""Courses, question bank, exams, attempts and certificates."""

from training.models.attempts import Attempt, AttemptEvent, AttemptQuestion
from training.models.bank import Question, QuestionCategory
from training.models.exams import (
    Assignment,
    AssignmentRule,
    Certificate,
    Course,
    CourseItem,
    Exam,
    ExamDraw,
)

__all__ = [
    "Assignment",
    "AssignmentRule",
    "Attempt",
    "AttemptEvent",
    "AttemptQuestion",
    "Certificate",
    "Course",
    "CourseItem",
    "Exam",
    "ExamDraw",
    "Question",
    "QuestionCategory",
]
