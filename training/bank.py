"""What makes a question well-formed, whatever it came from (editor, Moodle XML, CSV)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from training.choices import QuestionType

if TYPE_CHECKING:
    from training.moodle import QuestionData


def _is_decimal(value) -> bool:
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return True


def question_data_errors(item: QuestionData) -> list[tuple[str, str]]:
    """Every (field, reason) that keeps this question out of the bank; [] when it is fine."""
    errors: list[tuple[str, str]] = []
    if item.qtype not in QuestionType.values:
        return [("type", _("unknown question type «%(t)s»") % {"t": item.qtype})]
    if not item.name.strip():
        errors.append(("name", _("the question has no name")))
    if not item.text.strip():
        errors.append(("text", _("the question has no text")))
    if not item.category.strip():
        errors.append(("category", _("the question has no category")))
    data = item.data
    if item.qtype in (QuestionType.SINGLE, QuestionType.MULTI):
        options = data.get("options") or []
        best = sum(Decimal(str(o["fraction"])) for o in options if o["fraction"] > 0)
        if len(options) < 2:
            errors.append(("answers", _("a choice question needs at least two answers")))
        elif any(not o["text"] for o in options):
            errors.append(("answers", _("an answer has no text")))
        elif item.qtype == QuestionType.SINGLE and max(o["fraction"] for o in options) != 1:
            errors.append(("answers", _("one answer must be worth 100%")))
        elif item.qtype == QuestionType.MULTI and abs(best - 1) > Decimal("0.02"):
            errors.append(("answers", _("the right answers must add up to 100%")))
    elif item.qtype == QuestionType.NUMERIC:
        if not _is_decimal(data.get("answer")):
            errors.append(("answer", _("the right answer must be a number")))
        if not _is_decimal(data.get("tolerance", "0")):
            errors.append(("tolerance", _("the tolerance must be a number")))
    elif item.qtype == QuestionType.SHORTTEXT:
        if not [a for a in data.get("answers") or [] if a.strip()]:
            errors.append(("answers", _("give at least one accepted answer")))
    elif item.qtype == QuestionType.MATCHING:
        pairs = data.get("pairs") or []
        if len(pairs) < 2 or any(not p["left"] or not p["right"] for p in pairs):
            errors.append(("pairs", _("a matching question needs at least two full pairs")))
    elif item.qtype == QuestionType.ORDERING:
        items = data.get("items") or []
        if len(items) < 2 or any(not i["text"] for i in items):
            errors.append(("items", _("an ordering question needs at least two items")))
    return errors
