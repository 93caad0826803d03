"""The question bank: save questions as versions, import and export Moodle XML and CSV."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from portal.imports.log import intake_logged
from portal.org.models import User
from training.bank import question_data_errors
from training.bank_csv import questions_from_csv, questions_to_rows
from training.models import AttemptQuestion, Question, QuestionCategory
from training.moodle import (
    MoodleError,
    MoodleFile,
    MoodleRejected,
    QuestionData,
    QuestionNote,
    default_category,
    path_join,
    path_parts,
    questions_to_xml,
    read_moodle,
)
from training.services.bank_files import files_content, files_store


def category_ensure(*, name: str, code: str = "", sop_page=None) -> QuestionCategory:
    """The topic of this name, created once. Its code comes from the name (a stable digest
    for Cyrillic names or when the plain slug is taken by another topic)."""
    category = QuestionCategory.objects.filter(name=name, parent=None).first()
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


def category_ensure_path(*, path: str, description: str = "") -> QuestionCategory:
    """The category at this path («Iota/Kappa»: «Kappa» inside «Iota»), each level created
    once; a description, when given, is kept on the last level."""
    parent = None
    parts = path_parts(path) or [default_category()]
    for depth, name in enumerate(parts, 1):
        category = QuestionCategory.objects.filter(name=name, parent=parent).first()
        if category is None:
            trail = path_join(parts[:depth])
            digest = hashlib.sha1(trail.encode()).hexdigest()[:10]
            code = slugify(trail.replace("/", "-")) or f"topic-{digest}"
            if QuestionCategory.objects.filter(code=code[:50]).exists() or len(code) > 50:
                code = f"{code[:38]}-{digest}"
            category = QuestionCategory.objects.create(code=code, name=name, parent=parent)
        parent = category
    if description and parent.description != description:
        parent.description = description
        parent.save(update_fields=["description"])
    return parent


def category_paths() -> dict[int, str]:
    """Every category's path by id (one query)."""
    rows = {
        pk: (name, parent)
        for pk, name, parent in QuestionCategory.objects.values_list("pk", "name", "parent_id")
    }

    def parts(pk: int | None, seen: int = 0) -> list[str]:
        if pk is None or pk not in rows or seen > 50:
            return []
        name, parent = rows[pk]
        return [*parts(parent, seen + 1), name]

    return {pk: path_join(parts(pk)) for pk in rows}


def _same(question: Question, values: dict) -> bool:
    return all(getattr(question, name) == values[name] for name in SAME_FIELDS)


SAME_FIELDS = ("qtype", "name", "text", "general_feedback", "text_format", "data", "extra")


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
    extra = dict(item.extra)
    if item.files:
        extra["files"] = files_store(item.files)
    values = {
        "category": category,
        "qtype": item.qtype,
        "name": item.name,
        "text": item.text,
        "general_feedback": item.general_feedback,
        "text_format": item.text_format,
        "data": item.data,
        "extra": extra,
    }
    if family is None:
        return Question.objects.create(created_by=actor, **values), "created"
    current = Question.objects.select_for_update().get(family=family.family, is_current=True)
    if _same(current, values) and current.category_id == category.pk:
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
    skipped: list[QuestionNote] = field(default_factory=list)  # not imported (essay, cloze...)
    notes: list[QuestionNote] = field(default_factory=list)  # kept unused or dropped


@transaction.atomic
def questions_import(
    *,
    actor: User | None,
    items: list[QuestionData],
    categories: dict[str, str] | None = None,
    report: BankImportReport | None = None,
) -> BankImportReport:
    """Bring the bank in line with `items`, matched by (category path, name). Idempotent."""
    report = report or BankImportReport()
    descriptions = categories or {}
    for path, description in descriptions.items():
        if path:
            category_ensure_path(path=path, description=description)
    for item in items:
        category = category_ensure_path(path=item.category)
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
    *, actor: User | None, content: bytes, filename: str = "", skip_unsupported: bool = False
) -> BankImportReport:
    """A Moodle XML file into the bank: every problem reported, nothing written on any
    (the file is in the batch log, applied or rejected). With `skip_unsupported`, questions
    of types the portal has not (essay, cloze...) are left out and listed in the report."""
    return _logged(
        lambda c: read_moodle(c, skip_unsupported=skip_unsupported), content, filename, actor
    )


def questions_import_csv(
    *, actor: User | None, content: bytes, filename: str = ""
) -> BankImportReport:
    """A CSV or Excel file into the bank (see `training.bank_csv`); all rows or none (the
    file is in the batch log, applied or rejected)."""
    return _logged(questions_from_csv, content, filename, actor)


def _logged(read, content: bytes, filename: str, actor: User | None) -> BankImportReport:
    """Read and import, outside the import's transaction, so that a rejected file (by its
    reading or by a question's checks) stays in the batch log. `read` gives the questions,
    or a `MoodleFile` (its skipped questions, notes and category descriptions go along)."""
    with intake_logged(
        kind="question_bank", filename=filename, actor=actor, rejections=(MoodleRejected,)
    ) as intake:
        read_file = read(content)
        if isinstance(read_file, MoodleFile):
            report = questions_import(
                actor=actor,
                items=read_file.items,
                categories=read_file.categories,
                report=BankImportReport(skipped=read_file.skipped, notes=read_file.notes),
            )
        else:
            report = questions_import(actor=actor, items=read_file)
        intake.rows = report.questions
    return report


def questions_export_rows(*, categories=None) -> list[list[str]]:
    """The bank as rows of `training.bank_csv.COLUMNS` (for `csv_response`)."""
    paths = category_paths()
    return questions_to_rows(
        [question_as_data(q, paths=paths) for q in _current(categories, paths)]
    )


def _current(categories, paths: dict[int, str] | None = None) -> list[Question]:
    questions = Question.objects.filter(is_current=True).select_related("category")
    if categories is not None:
        questions = questions.filter(category__in=categories)
    paths = paths if paths is not None else category_paths()
    return sorted(questions, key=lambda q: (paths.get(q.category_id, ""), q.pk))


def question_as_data(
    question: Question, *, paths: dict[int, str] | None = None, with_files: bool = False
) -> QuestionData:
    extra = {k: v for k, v in (question.extra or {}).items() if k != "files"}
    path = (paths or {}).get(question.category_id) or question.category.name
    return QuestionData(
        category=path,
        qtype=question.qtype,
        name=question.name,
        text=question.text,
        general_feedback=question.general_feedback,
        data=question.data,
        text_format=question.text_format,
        extra=extra,
        files=files_content(question) if with_files else {},
    )


def questions_export_moodle(*, categories=None) -> bytes:
    """The bank as Moodle XML: HTML marked as such, embedded files, kept settings, and
    every category's path and description."""
    paths = category_paths()
    descriptions = {
        paths[pk]: description
        for pk, description in QuestionCategory.objects.exclude(description="").values_list(
            "pk", "description"
        )
    }
    return questions_to_xml(
        [question_as_data(q, paths=paths, with_files=True) for q in _current(categories, paths)],
        descriptions,
    )
