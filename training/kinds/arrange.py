"""Kinds the learner answers by arranging: matching pairs and ordering items.

matching:  data {"pairs": [{"id": "p1", "left", "right"}, ...]}; answer {"pairs": {"p1": "p2"}}
           (share of lefts matched to their own right); a pair with no left is an extra
           wrong answer (a distractor: Moodle allows more answers than questions)
ordering:  data {"items": [{"id": "i1", "text"}, ...]} in the right order;
           answer {"order": ["i3", "i1", ...]} (share of items in their place)
"""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from training.kinds.base import (
    SEP,
    MoodleTexts,
    MoodleWriter,
    QuestionKind,
    Rich,
    csv_parts,
    shown,
    to_id,
    tokens,
    xml_sub,
    xml_text,
)


def full_pairs(data: dict) -> list[dict]:
    """The pairs with a left side (the others are distractors: a right side only)."""
    return [p for p in data["pairs"] if p["left"]]


class Matching(QuestionKind):
    qtype = "matching"
    label = gettext_lazy("Matching")
    moodle_type = "matching"

    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        pairs = data.get("pairs") or []
        if len(full_pairs({"pairs": pairs})) < 2 or any(not p["right"] for p in pairs):
            return [("pairs", _("a matching question needs at least two full pairs"))]
        return []

    def present(self, data: dict, rng: random.Random) -> dict:
        lefts = [p["id"] for p in full_pairs(data)]
        rights = [p["id"] for p in data["pairs"]]
        return {"lefts": tokens(lefts, rng), "rights": tokens(rights, rng)}

    def sheet_entry(self, data: dict, presented: dict, answer: dict, rich: Rich) -> dict:
        lefts = {p["id"]: rich(p["left"]) for p in data["pairs"]}
        rights = {p["id"]: p["right"] for p in data["pairs"]}
        right_tokens = {i: t for t, i in shown(presented, "rights", data)}
        pairs = answer.get("pairs") or {}
        return {
            "lefts": [
                (token, lefts[i], right_tokens.get(pairs.get(i), ""))
                for token, i in shown(presented, "lefts", data)
            ],
            "rights": [(token, rights[i]) for token, i in shown(presented, "rights", data)],
        }

    def answer_from_post(self, data: dict, presented: dict, post: Mapping) -> dict | None:
        rights = to_id(presented, "rights", data)
        pairs = {
            left_id: rights.get(post.get(f"pair-{token}"))
            for token, left_id in shown(presented, "lefts", data)
            if post.get(f"pair-{token}")
        }
        return {"pairs": pairs}

    def is_well_formed(self, data: dict, answer: dict) -> bool:
        lefts = {p["id"] for p in full_pairs(data)}
        rights = {p["id"] for p in data["pairs"]}
        pairs = answer.get("pairs")
        return isinstance(pairs, dict) and set(pairs) <= lefts and set(pairs.values()) <= rights

    def score(self, data: dict, answer: dict) -> Decimal:
        pairs = answer.get("pairs") or {}
        lefts = full_pairs(data)
        right = sum(pairs.get(p["id"]) == p["id"] for p in lefts)
        return Decimal(right) / Decimal(len(lefts))

    def key_answer(self, data: dict) -> dict:
        return {"pairs": {p["id"]: p["id"] for p in full_pairs(data)}}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        ids = [p["id"] for p in full_pairs(data)]
        return {"pairs": {i: ids[(n + 1) % len(ids)] for n, i in enumerate(ids)}}

    def csv_cell(self, data: dict) -> str:
        return SEP.join(f"{p['left']} = {p['right']}" for p in data["pairs"])

    def csv_data(self, cell: str) -> dict:
        pairs = [part.partition("=") for part in csv_parts(cell)]
        return {
            "pairs": [
                {"id": f"p{n}", "left": left.strip(), "right": right.strip()}
                for n, (left, _sep, right) in enumerate(pairs, 1)
            ]
        }

    def moodle_data(self, q: ET.Element, texts: MoodleTexts) -> dict:
        return {
            "pairs": [
                {"id": f"p{n}", "left": texts.rich(s), "right": xml_text(s.find("answer"))}
                for n, s in enumerate(q.findall("subquestion"), 1)
            ]
        }

    def moodle_write(self, q: ET.Element, data: dict, writer: MoodleWriter) -> None:
        for pair in data["pairs"]:
            sub = writer.rich(q, "subquestion", pair["left"])
            xml_sub(sub, "answer", pair["right"])

    def demo_data(self, raw: dict) -> dict:
        return {
            "pairs": [
                {"id": f"p{n}", "left": left, "right": right}
                for n, (left, right) in enumerate(raw["pairs"], 1)
            ]
        }


class Ordering(QuestionKind):
    qtype = "ordering"
    label = gettext_lazy("Ordering")
    moodle_type = "ordering"

    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        items = data.get("items") or []
        if len(items) < 2 or any(not i["text"] for i in items):
            return [("items", _("an ordering question needs at least two items"))]
        return []

    def present(self, data: dict, rng: random.Random) -> dict:
        return {"items": tokens([i["id"] for i in data["items"]], rng)}

    def sheet_entry(self, data: dict, presented: dict, answer: dict, rich: Rich) -> dict:
        texts = {i["id"]: rich(i["text"]) for i in data["items"]}
        items = shown(presented, "items", data)
        saved = answer.get("order") or [i for _t, i in items]
        return {
            "items": [(token, texts[i], saved.index(i) + 1) for token, i in items],
            "places": list(range(1, len(items) + 1)),
        }

    def answer_from_post(self, data: dict, presented: dict, post: Mapping) -> dict | None:
        places = []
        for token, item_id in shown(presented, "items", data):
            try:
                places.append((int(post.get(f"place-{token}", "")), item_id))
            except ValueError:
                return None
        return {"order": [item_id for _place, item_id in sorted(places)]}

    def is_well_formed(self, data: dict, answer: dict) -> bool:
        order = answer.get("order")
        return isinstance(order, list) and sorted(order) == sorted(i["id"] for i in data["items"])

    def score(self, data: dict, answer: dict) -> Decimal:
        order = list(answer.get("order") or [])
        placed = sum(
            i < len(order) and order[i] == item["id"] for i, item in enumerate(data["items"])
        )
        return Decimal(placed) / Decimal(len(data["items"]))

    def key_answer(self, data: dict) -> dict:
        return {"order": [i["id"] for i in data["items"]]}

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        return {"order": [i["id"] for i in reversed(data["items"])]}

    def csv_cell(self, data: dict) -> str:
        return SEP.join(i["text"] for i in data["items"])

    def csv_data(self, cell: str) -> dict:
        return {"items": [{"id": f"i{n}", "text": t} for n, t in enumerate(csv_parts(cell), 1)]}

    def moodle_data(self, q: ET.Element, texts: MoodleTexts) -> dict:
        return {
            "items": [
                {"id": f"i{n}", "text": texts.rich(a)} for n, a in enumerate(q.findall("answer"), 1)
            ]
        }

    def moodle_write(self, q: ET.Element, data: dict, writer: MoodleWriter) -> None:
        for position in data["items"]:
            writer.answer(q, 1, position["text"], rich=True)

    def demo_data(self, raw: dict) -> dict:
        return {"items": [{"id": f"i{n}", "text": t} for n, t in enumerate(raw["items"], 1)]}
