"""The scoring entry points beyond `test_scoring.py`: the key answer of every question type
earns the full marks, and an answer with nothing in it earns none. No database: these run
under `make mutation` (mutmut on `training/scoring.py`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from training.scoring import answer_is_well_formed, key_answer, score
from training.tests.factories import SAMPLE

BY_TYPE = {item.qtype: item.data for item in SAMPLE}


@pytest.mark.parametrize(
    ("qtype", "expected"),
    [
        ("single", {"option": "o2"}),
        ("multi", {"options": ["o1", "o2"]}),
        ("truefalse", {"value": False}),
        ("numeric", {"value": "3"}),
        ("shorttext", {"value": "8 800 555 35 35"}),
        ("matching", {"pairs": {"p1": "p1", "p2": "p2", "p3": "p3"}}),
        ("ordering", {"order": ["i1", "i2", "i3"]}),
    ],
)
def test_the_key_answer_is_well_formed_and_earns_the_full_marks(qtype, expected):
    # Given a question of this type from the sample bank
    data = BY_TYPE[qtype]

    # When the demo (or a benchmark) asks for its key answer
    answer = key_answer(qtype, data)

    # Then it names exactly the right options, fits the question and scores 1
    assert answer == expected
    assert answer_is_well_formed(qtype, data, answer) is True
    assert score(qtype, data, answer) == Decimal(1)


@pytest.mark.parametrize("qtype", sorted(BY_TYPE))
def test_an_empty_answer_earns_nothing(qtype):
    # Given any question, when the browser sent an answer with nothing in it
    # Then it scores zero without asking the question's kind
    assert score(qtype, BY_TYPE[qtype], {}) == Decimal(0)


def test_a_key_answer_for_an_unknown_type_is_refused():
    # Given a type no kind declares, when its key answer is asked for: an error, not a guess
    with pytest.raises(ValueError, match="unknown question type essay"):
        key_answer("essay", {})
