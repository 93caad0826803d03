"""What every question kind provides, and the helpers they share.

A kind is one class per `QuestionType`: it alone knows the shape of its `data` (the key),
of a learner's answer, of the presented (per-attempt, tokenised) form, of its CSV cell and
of its Moodle XML. Everything else (services, selectors, views, templates, the CSV and
Moodle readers) asks the registry in `training.kinds` instead of branching on the type.
"""

from __future__ import annotations

import random
import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils.translation import gettext as _

ZERO, ONE = Decimal("0"), Decimal("1")
TOKEN_BITS = 40
SEP = " | "  # between the parts of a CSV answers cell


def normalise_text(value: str) -> str:
    """Lowercase, «ё»→«е», no punctuation, single spaces: how short answers are compared."""
    value = unicodedata.normalize("NFKC", value or "").lower().replace("ё", "е")
    value = re.sub(r"[^\w\s]", " ", value)
    return " ".join(value.split())


def to_decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        return None


def is_decimal(value: Any) -> bool:
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return True


def clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def csv_parts(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def percent(fraction: float | Decimal) -> str:
    """100 for 1, 33.33333 for 1/3: a fraction as Moodle and the CSV write it."""
    return f"{Decimal(str(fraction)) * 100:g}"


# --- presented (per-attempt) tokens -----------------------------------------------------


def tokens(ids: list[str], rng: random.Random) -> list[list[str]]:
    """`[token, id]` pairs for `ids` in a shuffled order; tokens unique within the list."""
    ids = list(ids)
    rng.shuffle(ids)
    seen: set[str] = set()
    pairs = []
    for authoring_id in ids:
        token = ""
        while not token or token in seen:
            token = f"{rng.getrandbits(TOKEN_BITS):010x}"
        seen.add(token)
        pairs.append([token, authoring_id])
    return pairs


def shown(presented: dict, part: str, data: dict | None = None) -> list[tuple[str, str]]:
    """`(token, authoring id)` in the order shown. Legacy attempts kept bare ids (and
    matching showed its lefts in authoring order): those read as token == id."""
    entries = presented.get(part)
    if entries is None and part == "lefts" and data is not None:
        entries = [p["id"] for p in data["pairs"]]
    return [(e, e) if isinstance(e, str) else (e[0], e[1]) for e in entries or []]


def to_id(presented: dict, part: str, data: dict) -> dict[str, str]:
    return dict(shown(presented, part, data))


# --- Moodle XML primitives ---------------------------------------------------------------


def xml_text(element: ET.Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    node = element.find(path)
    return (node.text or "").strip() if node is not None else ""


def xml_fraction(answer: ET.Element) -> Decimal:
    return Decimal(answer.get("fraction", "0")) / 100


def xml_sub(parent: ET.Element, tag: str, text: str = "", **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    ET.SubElement(node, "text").text = text
    return node


class MoodleTexts(Protocol):
    """How a kind reads the texts of one Moodle question (`training.moodle` provides it):
    rich texts come in the question's format (sanitised HTML or plain), notes are what the
    import reports about this question."""

    def rich(self, element: ET.Element | None) -> str: ...

    def note(self, message: str) -> None: ...


class MoodleWriter(Protocol):
    """How a kind writes the texts of one question (formats, embedded files)."""

    def rich(self, parent: ET.Element, tag: str, text: str) -> ET.Element: ...

    def answer(
        self,
        parent: ET.Element,
        fraction: float | Decimal,
        text: str,
        feedback: str = "",
        *,
        rich: bool = False,
    ) -> ET.Element: ...


Rich = Callable[[str], str]  # a stored text -> what the page shows (see training.rich)


class QuestionKind:
    """One question type. Subclasses set `qtype`, `label`, `moodle_type` and implement the
    methods that raise here; the defaults fit kinds without options (true/false, numeric,
    short text)."""

    qtype: str = ""
    moodle_type: str = ""

    @property
    def template(self) -> str:
        """The attempt page's fragment for this kind (context: `q`, see `sheet_entry`)."""
        return f"training/kinds/{self.qtype}.html"

    # authoring
    def data_errors(self, data: dict) -> list[tuple[str, str]]:
        """Every (field, reason) that keeps this key out of the bank; [] when it is fine."""
        raise NotImplementedError

    # an attempt
    def present(self, data: dict, rng: random.Random) -> dict:
        """The presented (frozen) form of one question for one attempt."""
        return {}

    def sheet_entry(self, data: dict, presented: dict, answer: dict, rich: Rich) -> dict:
        """What the attempt page renders besides the text: tokens, never authoring ids;
        option texts go through `rich` (HTML of a Moodle question is shown as HTML)."""
        return {}

    def answer_from_post(self, data: dict, presented: dict, post: Mapping) -> dict | None:
        """The answer (authoring ids) from the posted fields, or None when left blank."""
        value = post.get("value", "").strip()
        return {"value": value} if value else None

    def is_well_formed(self, data: dict, answer: dict) -> bool:
        """What the browser sent names only this question's options, pairs or items."""
        return isinstance(answer.get("value"), str) and len(answer["value"]) <= 200

    def score(self, data: dict, answer: dict) -> Decimal:
        """The fraction (0..1) of the question's marks a non-empty answer earns."""
        raise NotImplementedError

    def key_answer(self, data: dict) -> dict:
        """The answer that earns the full marks (for demos, benchmarks and tests)."""
        raise NotImplementedError

    def wrong_answer(self, data: dict, rng: random.Random) -> dict:
        """A typical wrong answer (the demo's weaker learners give it)."""
        raise NotImplementedError

    # review and analysis
    def chosen_feedback(self, data: dict, answer: dict) -> str:
        """The feedback written for what the learner chose."""
        return ""

    def distribution(self, data: dict, answers: list[dict]) -> list[tuple[str, int]]:
        """(choice, how many chose it) for the item analysis; [] when it has no choices."""
        return []

    # files
    def csv_cell(self, data: dict) -> str:
        raise NotImplementedError

    def csv_data(self, cell: str) -> dict:
        """The key from a CSV answers cell; ValueError (a message) when it cannot be read."""
        raise NotImplementedError

    # Moodle XML elements of a <question> this kind reads itself (besides name, texts and
    # answers); the others are kept as they came and written back on export.
    moodle_tags: frozenset[str] = frozenset()

    def reads_moodle(self, q: ET.Element) -> bool:
        """Whether this kind takes this Moodle `<question>` (multichoice is two kinds)."""
        return q.get("type") == self.moodle_type

    def moodle_data(self, q: ET.Element, texts: MoodleTexts) -> dict:
        raise NotImplementedError

    def moodle_write(self, q: ET.Element, data: dict, writer: MoodleWriter) -> None:
        raise NotImplementedError

    def demo_data(self, raw: dict) -> dict:
        """The key from the demo bank's plain notation (`training.demo_questions`)."""
        raise NotImplementedError


def unknown(qtype: str) -> str:
    return _("unknown question type «%(t)s»") % {"t": qtype}
