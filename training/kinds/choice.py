"""Single and multiple choice: options with a fraction of the marks each.

data:    {"options": [{"id": "o1", "text": ..., "fraction": 1.0, "feedback": ...}, ...]}
answer:  single {"option": "o2"};  multi {"options": ["o1", "o3"]} (fractions summed, 0..1)
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
    SEP,
    ZERO,
    MoodleTexts,
    MoodleWriter,
    QuestionKind,
    Rich,
    clamp,
    csv_parts,
    percent,
    shown,
    to_id,
    tokens,
    xml_fraction,
    xml_text,
)


class ChoiceKind(QuestionKind):
    moodle_type = "multichoice"
    single = True

    def chosen(self, answer: dict) -> list:
        return [answer.get("option")] if self.single else list(answer.get("options") or [])

    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        options = data.get("options") or []
        best = sum(Decimal(str(o["fraction"])) for o in options if o["fraction"] > 0)
        if len(options) < 2:
            return [("answers", _("a choice question needs at least two answers"))]
        if any(not o["text"] for o in options):
            return [("answers", _("an answer has no text"))]
        if self.single and max(o["fraction"] for o in options) != 1:
            return [("answers", _("one answer must be worth 100%"))]
        if not self.single and abs(best - 1) > Decimal("0.02"):
            return [("answers", _("the right answers must add up to 100%"))]
        return []

    def present(self, data: dict, rng: random.Random) -> dict:
        return {"options": tokens([o["id"] for o in data["options"]], rng)}

    def sheet_entry(self, data: dict, presented: dict, answer: dict, rich: Rich) -> dict:
        texts = {o["id"]: rich(o["text"]) for o in data["options"]}
        options = shown(presented, "options", data)
        to_token = {i: t for t, i in options}
        return {
            "options": [(token, texts[i]) for token, i in options],
            "chosen": {to_token[i] for i in self.chosen(answer) if i in to_token},
        }

    def score(self, data: dict, answer: dict) -> Decimal:
        fractions = {o["id"]: Decimal(str(o["fraction"])) for o in data["options"]}
        return clamp(sum((fractions.get(c, ZERO) for c in set(self.chosen(answer)) if c), ZERO))

    def chosen_feedback(self, data: dict, answer: dict) -> str:
        chosen = self.chosen(answer)
        return " ".join(
            o["feedback"] for o in data["options"] if o["id"] in chosen and o["feedback"]
        )

    def distribution(self, data: dict, answers: list[dict]) -> list[tuple[str, int]]:
        texts = {o["id"]: o["text"] for o in data["options"]}
        counts: Counter = Counter()
        for answer in answers:
            counts.update(texts.get(c, "?") for c in self.chosen(answer) if c)
        return [(texts[o["id"]], counts[texts[o["id"]]]) for o in data["options"]]

    def csv_cell(self, data: dict) -> str:
        return SEP.join(f"{percent(o['fraction'])}%: {o['text']}" for o in data["options"])

    def csv_data(self, cell: str) -> dict:
        options = []
        for n, part in enumerate(csv_parts(cell), 1):
            share, _sep, text = part.partition(":")
            fraction = Decimal(share.strip().rstrip("%")) / 100
            options.append(
                {"id": f"o{n}", "text": text.strip(), "fraction": float(fraction), "feedback": ""}
            )
        return {"options": options}

    moodle_tags = frozenset({"single", "shuffleanswers"})

    def reads_moodle(self, q: ET.Element) -> bool:
        single = xml_text(q, "single").lower() in ("true", "1")
        return q.get("type") == self.moodle_type and single == self.single

    def moodle_data(self, q: ET.Element, texts: MoodleTexts) -> dict:
        if xml_text(q, "shuffleanswers").lower() in ("false", "0"):
            texts.note(_("answers in a fixed order: the portal always shuffles them"))
        return {
            "options": [
                {
                    "id": f"o{n}",
                    "text": texts.rich(a),
                    "fraction": float(xml_fraction(a)),
                    "feedback": texts.rich(a.find("feedback")),
                }
                for n, a in enumerate(q.findall("answer"), 1)
            ]
        }

    def moodle_write(self, q: ET.Element, data: dict, writer: MoodleWriter) -> None:
        ET.SubElement(q, "single").text = "true" if self.single else "false"
        ET.SubElement(q, "shuffleanswers").text = "true"
        for option in data["options"]:
            writer.answer(
                q, option["fraction"], option["text"], option.get("feedback", ""), rich=True
            )

    def demo_data(self, raw: dict) -> dict:
        return {
            "options": [
                {"id": f"o{n}", "text": text, "fraction": float(fraction), "feedback": feedback}
                for n, (text, fraction, feedback) in enumerate(raw["options"], 1)
            ]
        }


class SingleChoice(ChoiceKind):
    qtype = "single"
    label = gettext_lazy("Single choice")
    single = True

    def answer_from_post(self, data: dict, presented: dict, post: Mapping) -> dict | None:
        token = post.get("option")
        return {"option": to_id(presented, "options", data).get(token)} if token else None

    def is_well_formed(self, data: dict, answer: dict) -> bool:
        return answer.get("option") in {o["id"] for o in data["options"]}

    def key_answer(self, data: dict) -> dict:
        return {"option": next(o["id"] for o in data["options"] if o["fraction"] == 1)}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        good = [o["id"] for o in data["options"] if o["fraction"] > 0]
        bad = [o["id"] for o in data["options"] if o["fraction"] <= 0] or good
        return {"option": rng.choice(bad)}


class MultiChoice(ChoiceKind):
    qtype = "multi"
    label = gettext_lazy("Multiple choice")
    single = False

    def answer_from_post(self, data: dict, presented: dict, post: Mapping) -> dict | None:
        ids = to_id(presented, "options", data)
        return {"options": [ids.get(token) for token in post.getlist("options")]}

    def is_well_formed(self, data: dict, answer: dict) -> bool:
        chosen = answer.get("options")
        ids = {o["id"] for o in data["options"]}
        return isinstance(chosen, list) and all(c in ids for c in chosen)

    def key_answer(self, data: dict) -> dict:
        return {"options": [o["id"] for o in data["options"] if o["fraction"] > 0]}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        good = [o["id"] for o in data["options"] if o["fraction"] > 0]
        bad = [o["id"] for o in data["options"] if o["fraction"] <= 0] or good
        return {"options": [good[0], rng.choice(bad)]}
