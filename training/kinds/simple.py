"""Kinds the learner answers with one value: true/false, a number, a short text.

truefalse:  data {"answer": bool, "feedback_true", "feedback_false"};   answer {"value": bool}
numeric:    data {"answer": "14", "tolerance": "0.5", "unit": "шт."};   answer {"value": "14"}
shorttext:  data {"answers": ["accepted", ...]};                        answer {"value": "..."}
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from training.kinds.base import (
    ONE,
    SEP,
    ZERO,
    QuestionKind,
    csv_parts,
    is_decimal,
    normalise_text,
    to_decimal,
    xml_answer,
    xml_fraction,
    xml_text,
)


class TrueFalse(QuestionKind):
    qtype = "truefalse"
    label = gettext_lazy("True / false")
    moodle_type = "truefalse"

    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        return []

    def answer_from_post(self, data: dict, presented: dict, post: Mapping) -> dict | None:
        value = post.get("value")
        return {"value": value == "true"} if value in ("true", "false") else None

    def is_well_formed(self, data: dict, answer: dict) -> bool:
        return isinstance(answer.get("value"), bool)

    def score(self, data: dict, answer: dict) -> Decimal:
        return ONE if answer.get("value") is data["answer"] else ZERO

    def key_answer(self, data: dict) -> dict:
        return {"value": data["answer"]}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        return {"value": not data["answer"]}

    def chosen_feedback(self, data: dict, answer: dict) -> str:
        return data.get("feedback_true" if answer.get("value") else "feedback_false", "")

    def distribution(self, data: dict, answers: list[dict]) -> list[tuple[str, int]]:
        counts = Counter(str(a.get("value")) for a in answers if a)
        return [(_("true"), counts["True"]), (_("false"), counts["False"])]

    def csv_cell(self, data: dict) -> str:
        return "true" if data["answer"] else "false"

    def csv_data(self, cell: str) -> dict:
        value = cell.strip().lower()
        if value not in ("true", "false", "верно", "неверно"):
            raise ValueError(_("write true or false"))
        return {"answer": value in ("true", "верно"), "feedback_true": "", "feedback_false": ""}

    def moodle_data(self, q: ET.Element) -> dict:
        answers = q.findall("answer")
        right = next((a for a in answers if xml_fraction(a) == 1), None)
        by_value = {xml_text(a).lower(): xml_text(a.find("feedback")) for a in answers}
        return {
            "answer": right is not None and xml_text(right).lower() == "true",
            "feedback_true": by_value.get("true", ""),
            "feedback_false": by_value.get("false", ""),
        }

    def moodle_write(self, q: ET.Element, data: dict) -> None:
        xml_answer(q, 1 if data["answer"] else 0, "true", data.get("feedback_true", ""))
        xml_answer(q, 0 if data["answer"] else 1, "false", data.get("feedback_false", ""))

    def demo_data(self, raw: dict) -> dict:
        return {
            "answer": raw["answer"],
            "feedback_true": raw.get("feedback_true", ""),
            "feedback_false": raw.get("feedback_false", ""),
        }


class Numeric(QuestionKind):
    qtype = "numeric"
    label = gettext_lazy("Numeric")
    moodle_type = "numerical"

    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        errors = []
        if not is_decimal(data.get("answer")):
            errors.append(("answer", _("the right answer must be a number")))
        if not is_decimal(data.get("tolerance", "0")):
            errors.append(("tolerance", _("the tolerance must be a number")))
        return errors

    def sheet_entry(self, data: dict, presented: dict, answer: dict) -> dict:
        return {"unit": data.get("unit", "")}

    def score(self, data: dict, answer: dict) -> Decimal:
        given, expected = to_decimal(answer.get("value")), to_decimal(data["answer"])
        tolerance = to_decimal(data.get("tolerance", "0")) or ZERO
        return ONE if given is not None and abs(given - expected) <= tolerance else ZERO

    def key_answer(self, data: dict) -> dict:
        return {"value": data["answer"]}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        return {"value": str(int(float(data["answer"])) + 7)}

    def csv_cell(self, data: dict) -> str:
        return SEP.join(
            [str(data["answer"]), str(data.get("tolerance", "0")), data.get("unit", "")]
        )

    def csv_data(self, cell: str) -> dict:
        answer, tolerance, unit = (cell.split("|") + ["", "", ""])[:3]
        return {
            "answer": answer.strip(),
            "tolerance": tolerance.strip() or "0",
            "unit": unit.strip(),
        }

    def moodle_data(self, q: ET.Element) -> dict:
        right = next((a for a in q.findall("answer") if xml_fraction(a) == 1), None)
        return {
            "answer": xml_text(right) if right is not None else "",
            "tolerance": (xml_text(right, "tolerance") if right is not None else "") or "0",
            "unit": xml_text(q.find("units/unit"), "unit_name"),
        }

    def moodle_write(self, q: ET.Element, data: dict) -> None:
        answer = xml_answer(q, 1, str(data["answer"]))
        ET.SubElement(answer, "tolerance").text = str(data.get("tolerance", "0"))
        if data.get("unit"):
            unit = ET.SubElement(ET.SubElement(q, "units"), "unit")
            ET.SubElement(unit, "multiplier").text = "1"
            ET.SubElement(unit, "unit_name").text = data["unit"]

    def demo_data(self, raw: dict) -> dict:
        return {"answer": raw["answer"], "tolerance": raw["tolerance"], "unit": raw["unit"]}


class ShortText(QuestionKind):
    qtype = "shorttext"
    label = gettext_lazy("Short text")
    moodle_type = "shortanswer"

    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        if not [a for a in data.get("answers") or [] if a.strip()]:
            return [("answers", _("give at least one accepted answer"))]
        return []

    def score(self, data: dict, answer: dict) -> Decimal:
        given = normalise_text(str(answer.get("value", "")))
        return ONE if given and given in {normalise_text(a) for a in data["answers"]} else ZERO

    def key_answer(self, data: dict) -> dict:
        return {"value": data["answers"][0]}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        return {"value": "не помню"}

    def csv_cell(self, data: dict) -> str:
        return SEP.join(data["answers"])

    def csv_data(self, cell: str) -> dict:
        return {"answers": csv_parts(cell)}

    def moodle_data(self, q: ET.Element) -> dict:
        return {"answers": [xml_text(a) for a in q.findall("answer") if xml_fraction(a) == 1]}

    def moodle_write(self, q: ET.Element, data: dict) -> None:
        for text in data["answers"]:
            xml_answer(q, 1, text)

    def demo_data(self, raw: dict) -> dict:
        return {"answers": list(raw["answers"])}
