"""How an attempt shows a question: opaque per-attempt tokens in a shuffled order.

The page never carries an authoring id (`o2`, `p1`, `i3`): each option, each side of a
matching pair and each ordering item gets a random token when the attempt starts, stored
in `AttemptQuestion.presented` as `[token, authoring id]` pairs in the order shown. The
page posts tokens; `answer_from_post` maps them back to authoring ids through that
mapping, so what is saved (and scored, reviewed, analysed) is in authoring ids.

    single/multi: {"options": [[token, id], ...]}
    matching:     {"lefts": [[token, id], ...], "rights": [[token, id], ...]}
    ordering:     {"items": [[token, id], ...]}

Attempts started before tokens existed stored bare ids (`{"options": ["o2", ...]}`,
`{"rights": [...]}`): they read as token == id.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

TOKEN_BITS = 40


def _tokens(ids: list[str], rng: random.Random) -> list[list[str]]:
    """`[token, id]` pairs for `ids` in a shuffled order; tokens unique within the list."""
    ids = list(ids)
    rng.shuffle(ids)
    tokens: set[str] = set()
    pairs = []
    for authoring_id in ids:
        token = ""
        while not token or token in tokens:
            token = f"{rng.getrandbits(TOKEN_BITS):010x}"
        tokens.add(token)
        pairs.append([token, authoring_id])
    return pairs


def present(qtype: str, data: dict, rng: random.Random) -> dict:
    """The presented (frozen) form of one question for one attempt."""
    if qtype in ("single", "multi"):
        return {"options": _tokens([o["id"] for o in data["options"]], rng)}
    if qtype == "matching":
        ids = [p["id"] for p in data["pairs"]]
        return {"lefts": _tokens(ids, rng), "rights": _tokens(ids, rng)}
    if qtype == "ordering":
        return {"items": _tokens([i["id"] for i in data["items"]], rng)}
    return {}


def shown(presented: dict, part: str, data: dict | None = None) -> list[tuple[str, str]]:
    """`(token, authoring id)` in the order shown. Legacy attempts kept bare ids (and
    matching showed its lefts in authoring order): those read as token == id."""
    entries = presented.get(part)
    if entries is None and part == "lefts" and data is not None:
        entries = [p["id"] for p in data["pairs"]]
    return [(e, e) if isinstance(e, str) else (e[0], e[1]) for e in entries or []]


def _to_id(presented: dict, part: str, data: dict) -> dict[str, str]:
    return dict(shown(presented, part, data))


def answer_from_post(qtype: str, data: dict, presented: dict, post: Mapping) -> dict | None:
    """The answer (in authoring ids) for one question from its posted fields, or None when
    left blank. Unknown tokens map to None and make the answer ill-formed, never a guess."""
    if qtype == "single":
        token = post.get("option")
        return {"option": _to_id(presented, "options", data).get(token)} if token else None
    if qtype == "multi":
        to_id = _to_id(presented, "options", data)
        return {"options": [to_id.get(token) for token in post.getlist("options")]}
    if qtype == "truefalse":
        value = post.get("value")
        return {"value": value == "true"} if value in ("true", "false") else None
    if qtype in ("numeric", "shorttext"):
        value = post.get("value", "").strip()
        return {"value": value} if value else None
    if qtype == "matching":
        rights = _to_id(presented, "rights", data)
        pairs = {
            left_id: rights.get(post.get(f"pair-{token}"))
            for token, left_id in shown(presented, "lefts", data)
            if post.get(f"pair-{token}")
        }
        return {"pairs": pairs}
    if qtype == "ordering":
        places = []
        for token, item_id in shown(presented, "items", data):
            try:
                places.append((int(post.get(f"place-{token}", "")), item_id))
            except ValueError:
                return None
        return {"order": [item_id for _place, item_id in sorted(places)]}
    return None


def sheet_entry(qtype: str, data: dict, presented: dict, answer: dict | None) -> dict:
    """What the attempt page renders of one question: tokens, texts and the saved answer
    expressed in tokens (so a reload shows it), never an authoring id."""
    answer = answer or {}
    if qtype in ("single", "multi"):
        texts = {o["id"]: o["text"] for o in data["options"]}
        options = shown(presented, "options", data)
        to_token = {i: t for t, i in options}
        chosen = [answer.get("option")] if qtype == "single" else answer.get("options") or []
        return {
            "options": [(token, texts[i]) for token, i in options],
            "chosen": {to_token[i] for i in chosen if i in to_token},
        }
    if qtype == "matching":
        lefts = {p["id"]: p["left"] for p in data["pairs"]}
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
    if qtype == "ordering":
        texts = {i["id"]: i["text"] for i in data["items"]}
        items = shown(presented, "items", data)
        saved = answer.get("order") or [i for _t, i in items]
        return {
            "items": [(token, texts[i], saved.index(i) + 1) for token, i in items],
            "places": list(range(1, len(items) + 1)),
        }
    if qtype == "numeric":
        return {"unit": data.get("unit", "")}
    return {}
