"""The question kinds: one class per `QuestionType`, one registry.

    kind("matching").score(data, answer)

Every place that depends on a question's type (attempt page, reading the posted form,
scoring, review feedback, item analysis, CSV and Moodle XML, the demo bank) asks its kind;
nothing else branches on `qtype`. A new type is a new `QuestionKind` subclass registered
here, with its template `training/kinds/<qtype>.html`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from training.kinds.arrange import Matching, Ordering
from training.kinds.base import QuestionKind
from training.kinds.choice import MultiChoice, SingleChoice
from training.kinds.simple import Numeric, ShortText, TrueFalse

KINDS: dict[str, QuestionKind] = {}


def register(question_kind: QuestionKind) -> QuestionKind:
    KINDS[question_kind.qtype] = question_kind
    return question_kind


for _kind in (SingleChoice, MultiChoice, TrueFalse, Numeric, ShortText, Matching, Ordering):
    register(_kind())


def kind(qtype: str) -> QuestionKind:
    """The kind of this type; `ValueError` for a type no kind declares."""
    try:
        return KINDS[qtype]
    except KeyError:
        raise ValueError(f"unknown question type {qtype}") from None


def moodle_kind(q: ET.Element) -> QuestionKind | None:
    """The kind that reads this Moodle `<question>`, or None when the portal has none."""
    return next((k for k in KINDS.values() if k.reads_moodle(q)), None)


def moodle_types() -> set[str]:
    return {k.moodle_type for k in KINDS.values()}
