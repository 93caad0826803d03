"""Moodle XML, the question-bank format trainers already have: read and write.

Supported Moodle types and ours: multichoice (single/multi), truefalse, numerical,
shortanswer, matching, ordering. A `<question type="category">` sets the category of the
questions after it. Parsing collects every problem (question number, field, reason) and
raises `MoodleRejected` with all of them; nothing is half-read. Files over
`IMPORT_MAX_BYTES` are refused before parsing, and parsing goes through defusedxml (no
entities, no external references).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.translation import gettext as _

from portal.imports.limits import size_message, upload_max_bytes

MOODLE_TYPES = {
    "multichoice": None,  # single or multi, by <single>
    "truefalse": "truefalse",
    "numerical": "numeric",
    "shortanswer": "shorttext",
    "matching": "matching",
    "ordering": "ordering",
}


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


def _text(element: ET.Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    node = element.find(path)
    return (node.text or "").strip() if node is not None else ""


def _fraction(answer: ET.Element) -> Decimal:
    return Decimal(answer.get("fraction", "0")) / 100


def _read_question(q: ET.Element, category: str) -> QuestionData:
    moodle_type = q.get("type")
    item = QuestionData(
        category=category,
        qtype=MOODLE_TYPES.get(moodle_type) or "",
        name=_text(q.find("name")),
        text=_text(q.find("questiontext")),
        general_feedback=_text(q.find("generalfeedback")),
    )
    answers = q.findall("answer")
    if moodle_type == "multichoice":
        single = _text(q, "single").lower() in ("true", "1")
        item.qtype = "single" if single else "multi"
        item.data = {
            "options": [
                {
                    "id": f"o{n}",
                    "text": _text(a),
                    "fraction": float(_fraction(a)),
                    "feedback": _text(a.find("feedback")),
                }
                for n, a in enumerate(answers, 1)
            ]
        }
    elif moodle_type == "truefalse":
        right = next((a for a in answers if _fraction(a) == 1), None)
        by_value = {_text(a).lower(): _text(a.find("feedback")) for a in answers}
        item.data = {
            "answer": right is not None and _text(right).lower() == "true",
            "feedback_true": by_value.get("true", ""),
            "feedback_false": by_value.get("false", ""),
        }
    elif moodle_type == "numerical":
        right = next((a for a in answers if _fraction(a) == 1), None)
        item.data = {
            "answer": _text(right) if right is not None else "",
            "tolerance": (_text(right, "tolerance") if right is not None else "") or "0",
            "unit": _text(q.find("units/unit"), "unit_name"),
        }
    elif moodle_type == "shortanswer":
        item.data = {"answers": [_text(a) for a in answers if _fraction(a) == 1]}
    elif moodle_type == "matching":
        item.data = {
            "pairs": [
                {"id": f"p{n}", "left": _text(s), "right": _text(s.find("answer"))}
                for n, s in enumerate(q.findall("subquestion"), 1)
            ]
        }
    elif moodle_type == "ordering":
        item.data = {"items": [{"id": f"i{n}", "text": _text(a)} for n, a in enumerate(answers, 1)]}
    return item


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
            category = _text(q.find("category")).removeprefix("$course$/").split("/")[-1]
            continue
        if moodle_type not in MOODLE_TYPES:
            errors.append(
                MoodleError(number, "type", _("unsupported type «%(t)s»") % {"t": moodle_type})
            )
            continue
        item = _read_question(q, category)
        problems = question_data_errors(item)
        errors.extend(MoodleError(number, f, m) for f, m in problems)
        if not problems:
            items.append(item)
    if errors:
        raise MoodleRejected(errors)
    return items


def _sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    ET.SubElement(node, "text").text = text
    return node


def _answer(parent: ET.Element, fraction: float, text: str, feedback: str = "") -> ET.Element:
    node = ET.SubElement(parent, "answer", {"fraction": f"{Decimal(str(fraction)) * 100:g}"})
    ET.SubElement(node, "text").text = text
    _sub(node, "feedback", feedback)
    return node


def questions_to_xml(items: list[QuestionData]) -> bytes:
    root = ET.Element("quiz")
    category = None
    for item in items:
        if item.category != category:
            category = item.category
            cat = ET.SubElement(root, "question", {"type": "category"})
            _sub(cat, "category", f"$course$/{category}")
        moodle_type = {v: k for k, v in MOODLE_TYPES.items() if v}.get(item.qtype, "multichoice")
        q = ET.SubElement(root, "question", {"type": moodle_type})
        _sub(q, "name", item.name)
        _sub(q, "questiontext", item.text, format="plain_text")
        _sub(q, "generalfeedback", item.general_feedback, format="plain_text")
        data = item.data
        if item.qtype in ("single", "multi"):
            ET.SubElement(q, "single").text = "true" if item.qtype == "single" else "false"
            ET.SubElement(q, "shuffleanswers").text = "true"
            for option in data["options"]:
                _answer(q, option["fraction"], option["text"], option.get("feedback", ""))
        elif item.qtype == "truefalse":
            _answer(q, 1 if data["answer"] else 0, "true", data.get("feedback_true", ""))
            _answer(q, 0 if data["answer"] else 1, "false", data.get("feedback_false", ""))
        elif item.qtype == "numeric":
            answer = _answer(q, 1, str(data["answer"]))
            ET.SubElement(answer, "tolerance").text = str(data.get("tolerance", "0"))
            if data.get("unit"):
                unit = ET.SubElement(ET.SubElement(q, "units"), "unit")
                ET.SubElement(unit, "multiplier").text = "1"
                ET.SubElement(unit, "unit_name").text = data["unit"]
        elif item.qtype == "shorttext":
            for text in data["answers"]:
                _answer(q, 1, text)
        elif item.qtype == "matching":
            for pair in data["pairs"]:
                sub = _sub(q, "subquestion", pair["left"], format="plain_text")
                _sub(sub, "answer", pair["right"])
        elif item.qtype == "ordering":
            for position in data["items"]:
                _answer(q, 1, position["text"])
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
