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
`{"rights": [...]}`): they read as token == id. What each type presents, reads and
renders is its kind's (`training.kinds`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from django.utils.html import escape

from training.kinds import kind
from training.kinds.base import TOKEN_BITS, Rich, shown

__all__ = ["TOKEN_BITS", "answer_from_post", "present", "sheet_entry", "shown"]


def present(qtype: str, data: dict, rng: random.Random) -> dict:
    """The presented (frozen) form of one question for one attempt."""
    return kind(qtype).present(data, rng)


def answer_from_post(qtype: str, data: dict, presented: dict, post: Mapping) -> dict | None:
    """The answer (in authoring ids) for one question from its posted fields, or None when
    left blank. Unknown tokens map to None and make the answer ill-formed, never a guess."""
    return kind(qtype).answer_from_post(data, presented, post)


def sheet_entry(
    qtype: str, data: dict, presented: dict, answer: dict | None, rich: Rich = escape
) -> dict:
    """What the attempt page renders of one question: its kind's template, tokens, texts
    (through `rich`: see `training.rich.question_rich`) and the saved answer expressed in
    tokens (so a reload shows it), never an authoring id."""
    question_kind = kind(qtype)
    return {
        "template": question_kind.template,
        **question_kind.sheet_entry(data, presented, answer or {}, rich),
    }
