"""Scoring per question type, including partial credit and normalised short answers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from training.scoring import answer_is_well_formed, normalise_text, score
from training.tests.factories import SAMPLE

BY_TYPE = {item.qtype: item.data for item in SAMPLE}


@pytest.mark.parametrize(
    ("qtype", "answer", "expected"),
    [
        ("single", {"option": "o2"}, "1"),
        ("single", {"option": "o1"}, "0"),
        ("multi", {"options": ["o1", "o2"]}, "1"),
        ("multi", {"options": ["o1"]}, "0.5"),
        ("multi", {"options": ["o1", "o3"]}, "0"),  # a wrong pick costs, never below zero
        ("multi", {"options": ["o1", "o1"]}, "0.5"),  # picking twice counts once
        ("truefalse", {"value": False}, "1"),
        ("truefalse", {"value": True}, "0"),
        ("numeric", {"value": "3"}, "1"),
        ("numeric", {"value": "3,0"}, "1"),
        ("numeric", {"value": "4"}, "0"),
        ("numeric", {"value": "три"}, "0"),
        ("shorttext", {"value": "8-800-555-35-35"}, "1"),
        ("shorttext", {"value": "  88005553535 "}, "1"),
        ("shorttext", {"value": "8 800"}, "0"),
        (
            "matching",
            {"pairs": {"p1": "p1", "p2": "p3", "p3": "p2"}},
            "0.3333333333333333333333333333",
        ),
        ("ordering", {"order": ["i1", "i2", "i3"]}, "1"),
        ("ordering", {"order": ["i2", "i1", "i3"]}, "0.3333333333333333333333333333"),
        ("single", None, "0"),
    ],
)
def test_score(qtype, answer, expected):
    assert score(qtype, BY_TYPE[qtype], answer) == Decimal(expected)


def test_numeric_tolerance():
    assert score("numeric", {"answer": "10", "tolerance": "0.5"}, {"value": "10.4"}) == 1
    assert score("numeric", {"answer": "10", "tolerance": "0.5"}, {"value": "10.6"}) == 0


def test_normalised_text():
    assert normalise_text("  Ёлка,  ЗЕЛЁНАЯ! ") == "елка зеленая"


@pytest.mark.parametrize(
    ("qtype", "answer", "ok"),
    [
        ("single", {"option": "o9"}, False),
        ("multi", {"options": ["o1", "x"]}, False),
        ("truefalse", {"value": "yes"}, False),
        ("ordering", {"order": ["i1", "i2"]}, False),
        ("matching", {"pairs": {"p1": "p9"}}, False),
        ("single", ["o1"], False),
        ("single", {"option": "o1"}, True),
    ],
)
def test_answers_must_fit_the_question(qtype, answer, ok):
    assert answer_is_well_formed(qtype, BY_TYPE[qtype], answer) is ok
