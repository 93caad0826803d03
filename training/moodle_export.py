"""Moodle XML out: the bank as Moodle reads it back.

HTML questions are marked `format="html"` with their embedded files as `<file>` elements
beside the text that links them (`@@PLUGINFILE@@/<name>`); plain ones `plain_text`. The
elements an import kept unused (default grade, penalty, hints...) are written back as they
came; each category carries its path (`$course$/Iota/Kappa`) and description.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from decimal import Decimal

from defusedxml.ElementTree import fromstring as safe_fromstring

from training.kinds import kind
from training.kinds.base import percent, xml_sub
from training.moodle import QuestionData
from training.rich import HTML, referenced_files


class _Writer:
    """The `MoodleWriter` of one question."""

    def __init__(self, item: QuestionData):
        self.html = item.text_format == HTML
        self.files = item.files
        self.placed: set[str] = set()

    def _attach(self, node: ET.Element, text: str) -> None:
        for name in sorted(referenced_files(text) & set(self.files) - self.placed):
            self.attach(node, name)

    def attach(self, node: ET.Element, name: str) -> None:
        path, _sep, filename = name.rpartition("/")
        file = ET.SubElement(node, "file", {"name": filename, "path": f"/{path}/" if path else "/"})
        file.set("encoding", "base64")
        file.text = base64.b64encode(self.files[name]).decode()
        self.placed.add(name)

    def rich(self, parent: ET.Element, tag: str, text: str) -> ET.Element:
        node = xml_sub(parent, tag, text, format="html" if self.html else "plain_text")
        self._attach(node, text)
        return node

    def answer(
        self,
        parent: ET.Element,
        fraction: float | Decimal,
        text: str,
        feedback: str = "",
        *,
        rich: bool = False,
    ) -> ET.Element:
        fmt = ("html" if self.html else "plain_text") if rich else "moodle_auto_format"
        node = ET.SubElement(parent, "answer", {"fraction": percent(fraction), "format": fmt})
        ET.SubElement(node, "text").text = text
        if rich:
            self._attach(node, text)
        self.rich(node, "feedback", feedback)
        return node


def _category(root: ET.Element, path: str, description: str) -> None:
    node = ET.SubElement(root, "question", {"type": "category"})
    xml_sub(node, "category", f"$course$/{path}")
    if description:
        xml_sub(node, "info", description, format="moodle_auto_format")


def write_moodle(items: list[QuestionData], categories: dict[str, str]) -> bytes:
    root = ET.Element("quiz")
    category = None
    for item in items:
        if item.category != category:
            category = item.category
            _category(root, category, categories.get(category, ""))
        question_kind = kind(item.qtype)
        writer = _Writer(item)
        q = ET.SubElement(root, "question", {"type": question_kind.moodle_type})
        xml_sub(q, "name", item.name)
        text = writer.rich(q, "questiontext", item.text)
        writer.rich(q, "generalfeedback", item.general_feedback)
        question_kind.moodle_write(q, item.data, writer)
        for kept in item.extra.get("moodle", []):
            q.append(safe_fromstring(kept))
        for name in sorted(set(item.files) - writer.placed):
            writer.attach(text, name)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
