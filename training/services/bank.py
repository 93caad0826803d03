"""The question bank: save questions as versions, import and export Moodle XML and CSV."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from portal.imports.log import intake_logged
from portal.org.models import User
from training.bank import question_data_errors
from training.bank_csv import questions_from_csv, questions_to_rows
from training.models import AttemptQuestion, Question, QuestionCategory
from training.moodle import (
    MoodleError,
    MoodleRejected,
    QuestionData,
    questions_from_xml,
    questions_to_xml,
)


def category_ensure(*, name: str, code: str = "", sop_page=None) -> QuestionCategory:
    """The topic of this name, created once. Its code comes from the name (a stable digest
    for Cyrillic names or when the plain slug is taken by another topic)."""
    category = QuestionCategory.objects.filter(name=name).first()
    if category is None:
        digest = hashlib.sha1(name.encode()).hexdigest()[:10]
        code = code or slugify(name) or f"topic-{digest}"
        if QuestionCategory.objects.filter(code=code).exists():
            code = f"{code[:38]}-{digest}"
        category = QuestionCategory.objects.create(code=code, name=name, sop_page=sop_page)
    elif sop_page is not None and category.sop_page_id != sop_page.pk:
        category.sop_page = sop_page
        category.save(update_fields=["sop_page"])
    return category


def _same(question: Question, item: QuestionData) -> bool:
    return (
        question.qtype,
        question.name,
        question.text,
        question.general_feedback,
        question.data,
    ) == (item.qtype, item.name, item.text, item.general_feedback, item.data)


@transaction.atomic
def question_save(
    *,
    actor: User | None,
    item: QuestionData,
    category: QuestionCategory,
    family: Question | None = None,
) -> tuple[Question, str]:
    """Create a question, or change one: in place while no attempt used it, else as a new
    version (old attempts keep theirs). Returns (current version, created|updated|versioned|
    unchanged)."""
    problems = question_data_errors(item)
    if problems:
        raise MoodleRejected([MoodleError(1, f, m) for f, m in problems])
    values = {
        "category": category,
        "qtype": item.qtype,
        "name": item.name,
        "text": item.text,
        "general_feedback": item.general_feedback,
        "data": item.data,
    }
    if family is None:
        return Question.objects.create(created_by=actor, **values), "created"
    current = Question.objects.select_for_update().get(family=family.family, is_current=True)
    if _same(current, item) and current.category_id == category.pk:
        return current, "unchanged"
    if not AttemptQuestion.objects.filter(question=current).exists():
        for name, value in values.items():
            setattr(current, name, value)
        current.save()
        return current, "updated"
    Question.objects.filter(pk=current.pk).update(is_current=False)
    newer = Question.objects.create(
        family=current.family, version=current.version + 1, created_by=actor, **values
    )
    return newer, "versioned"


@dataclass
class BankImportReport:
    questions: int = 0
    created: int = 0
    updated: int = 0
    versioned: int = 0
    unchanged: int = 0


@transaction.atomic
def questions_import(*, actor: User | None, items: list[QuestionData]) -> BankImportReport:
    """Bring the bank in line with `items`, matched by (category, name). Idempotent."""
    report = BankImportReport()
    for item in items:
        category = category_ensure(name=item.category)
        existing = Question.objects.filter(
            category=category, name=item.name, is_current=True
        ).first()
        _question, outcome = question_save(
            actor=actor, item=item, category=category, family=existing
        )
        report.questions += 1
        setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def questions_import_moodle(
    *, actor: User | None, content: bytes, filename: str = ""
) -> BankImportReport:
    """A Moodle XML file into the bank: every problem reported, nothing written on any
    (the file is in the batch log, applied or rejected)."""
    return _logged(questions_from_xml, content, filename, actor)


def questions_import_csv(
    *, actor: User | None, content: bytes, filename: str = ""
) -> BankImportReport:
    """A CSV or Excel file into the bank (see `training.bank_csv`); all rows or none (the
    file is in the batch log, applied or rejected)."""
    return _logged(questions_from_csv, content, filename, actor)


def _logged(read, content: bytes, filename: str, actor: User | None) -> BankImportReport:
    """Read and import, outside the import's transaction, so that a rejected file (by its
    reading or by a question's checks) stays in the batch log."""
    with intake_logged(
        kind="question_bank", filename=filename, actor=actor, rejections=(MoodleRejected,)
    ) as intake:
        report = questions_import(actor=actor, items=read(content))
        intake.rows = report.questions
    return report


def questions_export_rows(*, categories=None) -> list[list[str]]:
    """The bank as rows of `training.bank_csv.COLUMNS` (for `csv_response`)."""
    return questions_to_rows([question_as_data(q) for q in _current(categories)])


def _current(categories):
    questions = Question.objects.filter(is_current=True).select_related("category")
    if categories is not None:
        questions = questions.filter(category__in=categories)
    return questions.order_by("category__name", "pk")


def question_as_data(question: Question) -> QuestionData:
    return QuestionData(
        category=question.category.name,
        qtype=question.qtype,
        name=question.name,
        text=question.text,
        general_feedback=question.general_feedback,
        data=question.data,
    )


def questions_export_moodle(*, categories=None) -> bytes:
    return questions_to_xml([question_as_data(q) for q in _current(categories)])
