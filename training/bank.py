"""What makes a question well-formed, whatever it came from (editor, Moodle XML, CSV)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from training.kinds import KINDS
from training.kinds.base import unknown

if TYPE_CHECKING:
    from training.moodle import QuestionData


def question_data_errors(item: QuestionData) -> list[tuple[str, str]]:
    """Every (field, reason) that keeps this question out of the bank; [] when it is fine."""
    if item.qtype not in KINDS:
        return [("type", unknown(item.qtype))]
    errors: list[tuple[str, str]] = []
    if not item.name.strip():
        errors.append(("name", _("the question has no name")))
    if not item.text.strip():
        errors.append(("text", _("the question has no text")))
    if not item.category.strip():
        errors.append(("category", _("the question has no category")))
    return errors + KINDS[item.qtype].data_errors(item.data)
