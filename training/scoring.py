"""How an answer scores, per question type: pure functions, the only place that knows keys.

A question's `data` holds its key; a learner's answer is what the browser may send:
- single:     {"option": "o2"}                         data.options[].{id,text,fraction,feedback}
- multi:      {"options": ["o1", "o3"]}                 fractions of chosen options, clamped 0..1
- truefalse:  {"value": true}                           data.answer
- numeric:    {"value": "14"}                           data.answer ± data.tolerance
- shorttext:  {"value": "8 800 555 35 35"}              any of data.answers, normalised
- matching:   {"pairs": {"l1": "r2", ...}}              share of lefts matched to their right
- ordering:   {"order": ["i3", "i1", ...]}              share of items in their place
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

ZERO, ONE = Decimal("0"), Decimal("1")


def normalise_text(value: str) -> str:
    """Lowercase, «ё»→«е», no punctuation, single spaces: how short answers are compared."""
    value = unicodedata.normalize("NFKC", value or "").lower().replace("ё", "е")
    value = re.sub(r"[^\w\s]", " ", value)
    return " ".join(value.split())


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def score(qtype: str, data: dict, answer: dict | None) -> Decimal:
    """The fraction (0..1) of the question's marks this answer earns."""
    if not answer:
        return ZERO
    if qtype in ("single", "multi"):
        fractions = {o["id"]: Decimal(str(o["fraction"])) for o in data["options"]}
        chosen = [answer.get("option")] if qtype == "single" else list(answer.get("options") or [])
        return _clamp(sum((fractions.get(c, ZERO) for c in set(chosen) if c), ZERO))
    if qtype == "truefalse":
        return ONE if answer.get("value") is data["answer"] else ZERO
    if qtype == "numeric":
        given, expected = _decimal(answer.get("value")), _decimal(data["answer"])
        tolerance = _decimal(data.get("tolerance", "0")) or ZERO
        return ONE if given is not None and abs(given - expected) <= tolerance else ZERO
    if qtype == "shorttext":
        given = normalise_text(str(answer.get("value", "")))
        return ONE if given and given in {normalise_text(a) for a in data["answers"]} else ZERO
    if qtype == "matching":
        pairs = answer.get("pairs") or {}
        right = sum(pairs.get(p["id"]) == p["id"] for p in data["pairs"])
        return Decimal(right) / Decimal(len(data["pairs"]))
    if qtype == "ordering":
        order = list(answer.get("order") or [])
        placed = sum(
            i < len(order) and order[i] == item["id"] for i, item in enumerate(data["items"])
        )
        return Decimal(placed) / Decimal(len(data["items"]))
    raise ValueError(f"unknown question type {qtype}")


def answer_is_well_formed(qtype: str, data: dict, answer: Any) -> bool:
    """What the browser sent names only this question's options, pairs or items."""
    if not isinstance(answer, dict):
        return False
    if qtype == "single":
        return answer.get("option") in {o["id"] for o in data["options"]}
    if qtype == "multi":
        chosen = answer.get("options")
        ids = {o["id"] for o in data["options"]}
        return isinstance(chosen, list) and all(c in ids for c in chosen)
    if qtype == "truefalse":
        return isinstance(answer.get("value"), bool)
    if qtype in ("numeric", "shorttext"):
        return isinstance(answer.get("value"), str) and len(answer["value"]) <= 200
    if qtype == "matching":
        ids = {p["id"] for p in data["pairs"]}
        pairs = answer.get("pairs")
        return isinstance(pairs, dict) and set(pairs) <= ids and set(pairs.values()) <= ids
    if qtype == "ordering":
        order = answer.get("order")
        return isinstance(order, list) and sorted(order) == sorted(i["id"] for i in data["items"])
    return False


def key_answer(qtype: str, data: dict) -> dict:
    """The answer that earns the full marks (for demos, benchmarks and tests)."""
    if qtype == "single":
        return {"option": next(o["id"] for o in data["options"] if o["fraction"] == 1)}
    if qtype == "multi":
        return {"options": [o["id"] for o in data["options"] if o["fraction"] > 0]}
    if qtype in ("truefalse", "numeric"):
        return {"value": data["answer"]}
    if qtype == "shorttext":
        return {"value": data["answers"][0]}
    if qtype == "matching":
        return {"pairs": {p["id"]: p["id"] for p in data["pairs"]}}
    return {"order": [i["id"] for i in data["items"]]}
