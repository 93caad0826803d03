"""Kinds the learner answers with one value: true/false, a number, a short text.

truefalse:  data {"answer": bool, "feedback_true", "feedback_false"};   answer {"value": bool}
numeric:    data {"answer": "14", "tolerance": "0.5", "unit": "шт."};   answer {"value": "14"}
shorttext:  data {"answers": ["accepted", {"text", "fraction", "feedback"}, ...]};
            answer {"value": "..."} (the first accepted answer it matches gives the marks)
"""

from __future__ import annotations

import random
import re
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
    MoodleTexts,
    MoodleWriter,
    QuestionKind,
    Rich,
    clamp,
    csv_parts,
    is_decimal,
    normalise_text,
    percent,
    to_decimal,
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

    def moodle_data(self, q: ET.Element, texts: MoodleTexts) -> dict:
        answers = q.findall("answer")
        right = next((a for a in answers if xml_fraction(a) == 1), None)
        by_value = {xml_text(a).lower(): texts.rich(a.find("feedback")) for a in answers}
        return {
            "answer": right is not None and xml_text(right).lower() == "true",
            "feedback_true": by_value.get("true", ""),
            "feedback_false": by_value.get("false", ""),
        }

    def moodle_write(self, q: ET.Element, data: dict, writer: MoodleWriter) -> None:
        writer.answer(q, 1 if data["answer"] else 0, "true", data.get("feedback_true", ""))
        writer.answer(q, 0 if data["answer"] else 1, "false", data.get("feedback_false", ""))

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

    def sheet_entry(self, data: dict, presented: dict, answer: dict, rich: Rich) -> dict:
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

    moodle_tags = frozenset({"units"})

    def moodle_data(self, q: ET.Element, texts: MoodleTexts) -> dict:
        answers = q.findall("answer")
        right = next((a for a in answers if xml_fraction(a) == 1), None)
        others = [xml_text(a) for a in answers if a is not right]
        if others:
            texts.note(
                _(
                    "answers other than the right one dropped (%(answers)s): the portal "
                    "accepts one number within its tolerance"
                )
                % {"answers": ", ".join(others)}
            )
        units = [xml_text(u, "unit_name") for u in q.findall("units/unit")]
        if len(units) > 1:
            texts.note(
                _("units other than «%(unit)s» dropped: %(others)s")
                % {"unit": units[0], "others": ", ".join(units[1:])}
            )
        return {
            "answer": xml_text(right) if right is not None else "",
            "tolerance": (xml_text(right, "tolerance") if right is not None else "") or "0",
            "unit": xml_text(q.find("units/unit"), "unit_name"),
        }

    def moodle_write(self, q: ET.Element, data: dict, writer: MoodleWriter) -> None:
        answer = writer.answer(q, 1, str(data["answer"]))
        ET.SubElement(answer, "tolerance").text = str(data.get("tolerance", "0"))
        if data.get("unit"):
            unit = ET.SubElement(ET.SubElement(q, "units"), "unit")
            ET.SubElement(unit, "multiplier").text = "1"
            ET.SubElement(unit, "unit_name").text = data["unit"]

    def demo_data(self, raw: dict) -> dict:
        return {"answer": raw["answer"], "tolerance": raw["tolerance"], "unit": raw["unit"]}


def accepted(data: dict) -> list[dict]:
    """A short-text key's answers as {text, fraction, feedback}; a bare string (the form
    before partial credit) is a fully right answer."""
    return [
        a if isinstance(a, dict) else {"text": a, "fraction": 1.0, "feedback": ""}
        for a in data.get("answers") or []
    ]


def text_matches(pattern: str, given: str) -> bool:
    """Whether a normalised answer matches an accepted one; `*` stands for any text, as
    in Moodle."""
    if "*" not in pattern:
        return normalise_text(pattern) == given
    parts = [re.escape(normalise_text(part)) for part in pattern.split("*")]
    return re.fullmatch(r"\s*.*\s*".join(parts), given) is not None


_PARTIAL = re.compile(r"^(-?\d+(?:[.,]\d+)?)\s*%\s*:\s*(.*)$")


class ShortText(QuestionKind):
    qtype = "shorttext"
    label = gettext_lazy("Short text")
    moodle_type = "shortanswer"

    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        if not [a for a in accepted(data) if a["text"].strip() and a["fraction"] == 1]:
            return [("answers", _("give at least one accepted answer"))]
        return []

    def _match(self, data: dict, answer: dict) -> dict | None:
        given = normalise_text(str(answer.get("value", "")))
        if not given:
            return None
        return next((a for a in accepted(data) if text_matches(a["text"], given)), None)

    def score(self, data: dict, answer: dict) -> Decimal:
        match = self._match(data, answer)
        return clamp(Decimal(str(match["fraction"]))) if match else ZERO

    def key_answer(self, data: dict) -> dict:
        right = next(a for a in accepted(data) if a["fraction"] == 1)
        return {"value": right["text"].replace("*", "")}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        return {"value": "не помню"}

    def chosen_feedback(self, data: dict, answer: dict) -> str:
        match = self._match(data, answer)
        return match["feedback"] if match else ""

    def csv_cell(self, data: dict) -> str:
        return SEP.join(
            a["text"] if a["fraction"] == 1 else f"{percent(a['fraction'])}%: {a['text']}"
            for a in accepted(data)
        )

    def csv_data(self, cell: str) -> dict:
        answers: list = []
        for part in csv_parts(cell):
            partial = _PARTIAL.match(part)
            if partial:
                fraction = float(Decimal(partial[1].replace(",", ".")) / 100)
                answers.append({"text": partial[2].strip(), "fraction": fraction, "feedback": ""})
            else:
                answers.append(part)
        if any(isinstance(a, dict) for a in answers):
            answers = accepted({"answers": answers})
        return {"answers": answers}

    def moodle_data(self, q: ET.Element, texts: MoodleTexts) -> dict:
        answers = [
            {
                "text": xml_text(a),
                "fraction": float(xml_fraction(a)),
                "feedback": texts.rich(a.find("feedback")),
            }
            for a in q.findall("answer")
        ]
        if xml_text(q, "usecase") == "1":
            texts.note(_("case-sensitive answers: the portal compares them ignoring case"))
        if all(a["fraction"] == 1 and not a["feedback"] for a in answers):
            return {"answers": [a["text"] for a in answers]}
        return {"answers": answers}

    def moodle_write(self, q: ET.Element, data: dict, writer: MoodleWriter) -> None:
        for a in accepted(data):
            writer.answer(q, a["fraction"], a["text"], a["feedback"])

    def demo_data(self, raw: dict) -> dict:
        return {"answers": list(raw["answers"])}
