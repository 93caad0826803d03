"""How an answer scores: the question's kind decides (`training.kinds`).

A question's `data` holds its key; a learner's answer is what the browser may send. The
shapes per type are documented on each kind (`training/kinds/*.py`); these functions are
the stable entry points services, demos and tests call.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from training.kinds import KINDS, kind
from training.kinds.base import ZERO, normalise_text

__all__ = ["answer_is_well_formed", "key_answer", "normalise_text", "score"]


def score(qtype: str, data: dict, answer: dict | None) -> Decimal:
    """The fraction (0..1) of the question's marks this answer earns."""
    return kind(qtype).score(data, answer) if answer else ZERO


def answer_is_well_formed(qtype: str, data: dict, answer: Any) -> bool:
    """What the browser sent names only this question's options, pairs or items."""
    if not isinstance(answer, dict) or qtype not in KINDS:
        return False
    return kind(qtype).is_well_formed(data, answer)


def key_answer(qtype: str, data: dict) -> dict:
    """The answer that earns the full marks (for demos, benchmarks and tests)."""
    return kind(qtype).key_answer(data)
