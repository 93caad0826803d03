"""Moodle XML, the question-bank format trainers already have: reading it as Moodle writes it.

Supported Moodle types and ours: multichoice (single/multi), truefalse, numerical,
shortanswer, matching, ordering; each kind (`training.kinds`) reads its own answers. What
the reading keeps, per question:
- texts in their format: HTML (sanitised, `training.rich`) or plain; the files embedded in
  them (`<file>`, and the picture of Moodle 1.9's `<image>` field) with their
  `@@PLUGINFILE@@` links, stored by the service in the bank's collection;
- the category path as a tree (`$course$/Iota/Kappa` is «Kappa» inside «Iota»; `//` is a
  slash inside a name); questions before any category block go to «Default», said once;
- every element the portal does not use (default grade, penalty, hints, combined feedback,
  ID number, tags...) as XML, written back on export; what that changes for learners, and
  whatever is dropped, is a note naming the question (`QuestionNote`).
Questions of other types (essay, cloze...) are errors, or with `skip_unsupported` are left
out and listed. Problems are collected (question number and name, field, reason) and
raised together as `MoodleRejected`; nothing is half-read. Files over `IMPORT_MAX_BYTES`
are refused before parsing, and parsing goes through defusedxml.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from portal.imports.limits import size_message, upload_max_bytes
from training.kinds import moodle_kind
from training.kinds.base import QuestionKind, xml_text
from training.rich import HTML, PLAIN, referenced_files, sanitise

MOODLE_TYPE_LABELS = {  # Moodle's own names of its question types
    "multichoice": pgettext_lazy("Moodle question type", "Multiple choice"),
    "truefalse": pgettext_lazy("Moodle question type", "True/False"),
    "shortanswer": pgettext_lazy("Moodle question type", "Short answer"),
    "numerical": pgettext_lazy("Moodle question type", "Numerical"),
    "matching": pgettext_lazy("Moodle question type", "Matching"),
    "ordering": pgettext_lazy("Moodle question type", "Ordering"),
    "essay": pgettext_lazy("Moodle question type", "Essay"),
    "cloze": pgettext_lazy("Moodle question type", "Embedded answers (Cloze)"),
    "multianswer": pgettext_lazy("Moodle question type", "Embedded answers (Cloze)"),
    "description": pgettext_lazy("Moodle question type", "Description"),
    "calculated": pgettext_lazy("Moodle question type", "Calculated"),
    "calculatedsimple": pgettext_lazy("Moodle question type", "Calculated simple"),
    "calculatedmulti": pgettext_lazy("Moodle question type", "Calculated multichoice"),
    "randomsamatch": pgettext_lazy("Moodle question type", "Random short-answer matching"),
    "ddwtos": pgettext_lazy("Moodle question type", "Drag and drop into text"),
    "ddimageortext": pgettext_lazy("Moodle question type", "Drag and drop onto image"),
    "ddmarker": pgettext_lazy("Moodle question type", "Drag and drop markers"),
    "gapselect": pgettext_lazy("Moodle question type", "Select missing words"),
}
FIELD_LABELS = {
    "category": pgettext_lazy("Moodle field", "category"),
    "type": pgettext_lazy("Moodle field", "type"),
    "name": pgettext_lazy("Moodle field", "name"),
    "text": pgettext_lazy("Moodle field", "question text"),
    "answers": pgettext_lazy("Moodle field", "answers"),
    "answer": pgettext_lazy("Moodle field", "answer"),
    "tolerance": pgettext_lazy("Moodle field", "tolerance"),
    "pairs": pgettext_lazy("Moodle field", "pairs"),
    "items": pgettext_lazy("Moodle field", "items"),
    "file": pgettext_lazy("Moodle field", "file"),
}
COMMON_TAGS = frozenset(
    {"name", "questiontext", "generalfeedback", "answer", "subquestion", "image", "image_base64"}
)
_CONTEXT = re.compile(r"^\$[a-z0-9]+\$/?")


def type_label(moodle_type: str) -> str:
    return str(MOODLE_TYPE_LABELS.get(moodle_type, moodle_type))


def default_category() -> str:
    return pgettext("question category", "Default")


def path_parts(path: str) -> list[str]:
    """«Iota/Kappa» -> [«Iota», «Kappa»]; `//` is a slash inside a name (Moodle's rule)."""
    parts = re.split(r"(?<!/)/(?!/)", path.strip().strip("/")) if path.strip() else []
    return [part.replace("//", "/").strip() for part in parts if part.strip()]


def path_join(parts: list[str]) -> str:
    return "/".join(part.replace("/", "//") for part in parts)


def category_path(raw: str) -> str:
    """A Moodle category as our path: without its context (`$course$/`) and `top`."""
    parts = path_parts(_CONTEXT.sub("", raw.strip()))
    return path_join(parts[1:] if parts[:1] == ["top"] else parts)


@dataclass
class QuestionData:
    category: str  # a path: «Iota/Kappa» (see path_parts)
    qtype: str
    name: str
    text: str
    general_feedback: str = ""
    data: dict = field(default_factory=dict)
    text_format: str = PLAIN
    extra: dict = field(default_factory=dict)  # {"moodle": [kept XML, ...]}
    files: dict[str, bytes] = field(default_factory=dict)  # embedded, by name
    notes: list[str] = field(default_factory=list, compare=False)  # what the import says


@dataclass(frozen=True)
class MoodleError:
    """One problem of an imported bank: where (question number in XML, line in CSV)."""

    number: int
    field: str
    message: str
    place: str = "question"  # or "line"
    name: str = ""
    moodle_type: str = ""

    def __str__(self) -> str:
        values = {
            "number": self.number,
            "field": FIELD_LABELS.get(self.field, self.field),
            "message": self.message,
            "name": self.name,
            "type": type_label(self.moodle_type),
        }
        if self.place == "line":
            return _("line %(number)s, %(field)s: %(message)s") % values
        if self.number == 0:
            return _("the file, %(field)s: %(message)s") % values
        if self.name:
            return _("question %(number)s «%(name)s» (%(type)s), %(field)s: %(message)s") % values
        return _("question %(number)s, %(field)s: %(message)s") % values


class MoodleRejected(Exception):
    def __init__(self, errors: list[MoodleError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class QuestionNote:
    """What an import reports about one question: kept unused, dropped, or skipped."""

    number: int
    name: str
    moodle_type: str
    message: str

    def __str__(self) -> str:
        values = {
            "number": self.number,
            "name": self.name,
            "type": type_label(self.moodle_type),
            "message": self.message,
        }
        if not self.number:
            return self.message
        return _("question %(number)s «%(name)s» (%(type)s): %(message)s") % values


@dataclass
class MoodleFile:
    items: list[QuestionData] = field(default_factory=list)
    skipped: list[QuestionNote] = field(default_factory=list)
    notes: list[QuestionNote] = field(default_factory=list)
    categories: dict[str, str] = field(default_factory=dict)  # path -> description


class _Texts:
    """The `MoodleTexts` of one question: its format, files and notes."""

    def __init__(self, q: ET.Element):
        self.html = (
            any(e.get("format") == HTML and xml_text(e) for e in q.iter())
            or q.find("image_base64") is not None
        )
        self.notes: list[str] = []
        self._markdown = False

    def rich(self, element: ET.Element | None) -> str:
        if element is None:
            return ""
        text = xml_text(element)
        fmt = element.get("format", "")
        if fmt == "markdown" and text and not self._markdown:
            self._markdown = True
            self.note(_("Markdown texts are shown as plain text"))
        if not self.html:
            return text
        if fmt == HTML:
            return sanitise(text)
        return escape(text).replace("\n", "<br>")

    def note(self, message: str) -> None:
        self.notes.append(message)


def _files(q: ET.Element, tags: frozenset[str], texts: _Texts) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for child in q:
        if child.tag not in tags:
            continue
        for node in child.iter("file"):
            name = (node.get("path", "/").strip("/") + "/" + node.get("name", "")).strip("/")
            try:
                files[name] = base64.b64decode(node.text or "", validate=False)
            except (binascii.Error, ValueError):
                texts.note(_("file «%(name)s» could not be decoded: dropped") % {"name": name})
    return files


def _kept_notes(kept: list[ET.Element]) -> list[str]:
    """What the kept (unused) elements change for learners, said plainly."""
    notes = []
    hints = [h for h in kept if h.tag == "hint" and xml_text(h)]
    if hints:
        notes.append(_("%(n)s hints: kept for export, not shown in the portal") % {"n": len(hints)})
    combined = [
        e for e in kept if e.tag.endswith("correctfeedback") and xml_text(e)
    ]  # correct, partiallycorrect, incorrect
    if combined:
        notes.append(
            _("feedback for right, partly right and wrong answers: kept for export, not shown")
        )
    grade = next((xml_text(e, ".") for e in kept if e.tag == "defaultgrade"), "")
    try:
        heavier = bool(grade) and float(grade) != 1
    except ValueError:
        heavier = False
    if heavier:
        notes.append(
            _("default grade %(grade)s: kept for export; every question weighs the same here")
            % {"grade": grade}
        )
    return notes


def _kept_xml(element: ET.Element) -> str:
    """An element as it is kept: without the layout whitespace around and inside it (so
    the same element read from the export is the same string)."""
    copy = ET.fromstring(ET.tostring(element))  # noqa: S314 - our own parsed element
    for node in copy.iter():
        if node.text is not None and not node.text.strip() and len(node):
            node.text = None
        node.tail = None
    return ET.tostring(copy, encoding="unicode")


def _read_question(q: ET.Element, question_kind: QuestionKind, category: str) -> QuestionData:
    texts = _Texts(q)
    tags = COMMON_TAGS | question_kind.moodle_tags
    files = _files(q, tags, texts)
    text = texts.rich(q.find("questiontext"))
    picture = xml_text(q, "image")
    if picture and q.find("image_base64") is not None:  # Moodle 1.9
        files[picture] = base64.b64decode(xml_text(q, "image_base64") or "")
        text += f'<p><img src="@@PLUGINFILE@@/{escape(picture)}" alt=""></p>'
        texts.note(_("the picture of the old image field is shown under the question text"))
    item = QuestionData(
        category=category,
        qtype=question_kind.qtype,
        name=xml_text(q.find("name")),
        text=text,
        general_feedback=texts.rich(q.find("generalfeedback")),
        data=question_kind.moodle_data(q, texts),
        text_format=HTML if texts.html else PLAIN,
        files=files,
    )
    kept = [child for child in q if child.tag not in tags]
    if kept:
        item.extra = {"moodle": [_kept_xml(child) for child in kept]}
    linked = referenced_files(
        " ".join([item.text, item.general_feedback, json.dumps(item.data, ensure_ascii=False)])
    )
    for name in sorted(linked - set(files)):
        texts.note(_("file «%(name)s» is linked but not in the file") % {"name": name})
    item.notes = texts.notes + _kept_notes(kept)
    return item


def read_moodle(content: bytes, *, skip_unsupported: bool = False) -> MoodleFile:
    """A Moodle XML file: its supported questions, the skipped ones (with
    `skip_unsupported`), notes per question, category descriptions; or `MoodleRejected`
    listing every problem."""
    from training.bank import question_data_errors

    if len(content) > upload_max_bytes():
        raise MoodleRejected([MoodleError(0, "file", size_message(upload_max_bytes()))])
    try:
        root = safe_fromstring(content)
    except (ET.ParseError, DefusedXmlException) as error:
        raise MoodleRejected([MoodleError(0, "XML", str(error))]) from error
    if root.tag != "quiz":
        raise MoodleRejected([MoodleError(0, "XML", _("the root element must be <quiz>"))])
    result, errors, category = MoodleFile(), [], ""
    for number, q in enumerate(root.findall("question"), 1):
        moodle_type = q.get("type", "")
        if moodle_type == "category":
            category = category_path(xml_text(q.find("category")))
            description = xml_text(q.find("info"))
            if description or category not in result.categories:
                result.categories[category] = description
            continue
        name = xml_text(q.find("name"))
        question_kind = moodle_kind(q)
        if question_kind is None:
            message = _("the portal has no questions of this type")
            if skip_unsupported:
                result.skipped.append(QuestionNote(number, name, moodle_type, message))
            else:
                errors.append(
                    MoodleError(number, "type", message, name=name, moodle_type=moodle_type)
                )
            continue
        if not category:
            category = default_category()
            result.notes.append(
                QuestionNote(
                    0,
                    "",
                    "",
                    _(
                        "The file has no «category» block before its first question: "
                        "questions without one are put in «%(category)s»."
                    )
                    % {"category": category},
                )
            )
        item = _read_question(q, question_kind, category)
        problems = question_data_errors(item)
        errors.extend(
            MoodleError(number, f, m, name=name, moodle_type=moodle_type) for f, m in problems
        )
        if not problems:
            result.items.append(item)
            result.notes.extend(
                QuestionNote(number, name, moodle_type, note) for note in item.notes
            )
    if errors:
        raise MoodleRejected(errors)
    return result


def questions_from_xml(content: bytes) -> list[QuestionData]:
    """All questions of a Moodle XML file, or `MoodleRejected` listing every problem."""
    return read_moodle(content).items


def questions_to_xml(items: list[QuestionData], categories: dict[str, str] | None = None) -> bytes:
    from training.moodle_export import write_moodle

    return write_moodle(items, categories or {})
