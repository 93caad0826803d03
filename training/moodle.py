"""Moodle XML, the question-bank format trainers already have: read and write.

Supported Moodle types and ours: multichoice (single/multi), truefalse, numerical,
shortanswer, matching, ordering; each kind (`training.kinds`) reads and writes its own.
A `<question type="category">` sets the category of the questions after it. Parsing
collects every problem (question number, field, reason) and raises `MoodleRejected` with
all of them; nothing is half-read. Files over `IMPORT_MAX_BYTES` are refused before
parsing, and parsing goes through defusedxml (no entities, no external references).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from portal.imports.limits import size_message, upload_max_bytes
from training.kinds import kind, moodle_kind
from training.kinds.base import xml_sub, xml_text


@dataclass
class QuestionData:
    category: str
    qtype: str
    name: str
    text: str
    general_feedback: str = ""
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class MoodleError:
    """One problem of an imported bank: where (question number in XML, line in CSV)."""

    number: int
    field: str
    message: str
    place: str = "question"  # or "line"

    def __str__(self) -> str:
        values = {"number": self.number, "field": self.field, "message": self.message}
        if self.place == "line":
            return _("line %(number)s, %(field)s: %(message)s") % values
        return _("question %(number)s, %(field)s: %(message)s") % values


class MoodleRejected(Exception):
    def __init__(self, errors: list[MoodleError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def _read_question(q: ET.Element, category: str) -> QuestionData | None:
    question_kind = moodle_kind(q)
    if question_kind is None:
        return None
    return QuestionData(
        category=category,
        qtype=question_kind.qtype,
        name=xml_text(q.find("name")),
        text=xml_text(q.find("questiontext")),
        general_feedback=xml_text(q.find("generalfeedback")),
        data=question_kind.moodle_data(q),
    )


def questions_from_xml(content: bytes) -> list[QuestionData]:
    """All questions of a Moodle XML file, or `MoodleRejected` listing every problem."""
    from training.bank import question_data_errors

    if len(content) > upload_max_bytes():
        raise MoodleRejected([MoodleError(0, _("file"), size_message(upload_max_bytes()))])
    try:
        root = safe_fromstring(content)
    except (ET.ParseError, DefusedXmlException) as error:
        raise MoodleRejected([MoodleError(0, "XML", str(error))]) from error
    if root.tag != "quiz":
        raise MoodleRejected([MoodleError(0, "XML", _("the root element must be <quiz>"))])
    category, items, errors = "", [], []
    for number, q in enumerate(root.findall("question"), 1):
        moodle_type = q.get("type", "")
        if moodle_type == "category":
            category = xml_text(q.find("category")).removeprefix("$course$/").split("/")[-1]
            continue
        item = _read_question(q, category)
        if item is None:
            errors.append(
                MoodleError(number, "type", _("unsupported type «%(t)s»") % {"t": moodle_type})
            )
            continue
        problems = question_data_errors(item)
        errors.extend(MoodleError(number, f, m) for f, m in problems)
        if not problems:
            items.append(item)
    if errors:
        raise MoodleRejected(errors)
    return items


def questions_to_xml(items: list[QuestionData]) -> bytes:
    root = ET.Element("quiz")
    category = None
    for item in items:
        if item.category != category:
            category = item.category
            cat = ET.SubElement(root, "question", {"type": "category"})
            xml_sub(cat, "category", f"$course$/{category}")
        question_kind = kind(item.qtype)
        q = ET.SubElement(root, "question", {"type": question_kind.moodle_type})
        xml_sub(q, "name", item.name)
        xml_sub(q, "questiontext", item.text, format="plain_text")
        xml_sub(q, "generalfeedback", item.general_feedback, format="plain_text")
        question_kind.moodle_write(q, item.data)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
