"""A learner who reads only the attempt page's HTML learns nothing of the key.

A "cheater" reads each question form of the page (the ids, values, names and order of
its options, pairs and items) and answers by a rule: the first option shown, the lowest
id, a matching right with the same id as its left, the items in the order shown or by
id... Over many attempts (a fixed seed), no such rule scores better than chance. The
bank is authored the way most banks are: the right answer first, ids in key order.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from django.urls import reverse

from portal.org.tests.factories import person
from training.models import Exam, ExamDraw, QuestionCategory
from training.moodle import QuestionData
from training.presentation import answer_from_post
from training.scoring import score
from training.services.attempts import attempt_start, attempt_submit
from training.services.bank import questions_import
from training.tests.factories import SAMPLE

pytestmark = pytest.mark.django_db

ATTEMPTS = 120
SEED = 20261202

KEY_FIRST_BANK = [
    QuestionData(
        "single",
        "single",
        "Срок",
        "Когда бонусы доступны?",
        "",
        {
            "options": [
                {"id": "o1", "text": "Через 14 дней", "fraction": 1.0, "feedback": ""},
                {"id": "o2", "text": "Сразу", "fraction": 0.0, "feedback": ""},
                {"id": "o3", "text": "Через месяц", "fraction": 0.0, "feedback": ""},
            ]
        },
    ),
    QuestionData(
        "multi",
        "multi",
        "Регистрация",
        "Что нужно для регистрации?",
        "",
        {
            "options": [
                {"id": "o1", "text": "Телефон", "fraction": 0.5, "feedback": ""},
                {"id": "o2", "text": "Согласие", "fraction": 0.5, "feedback": ""},
                {"id": "o3", "text": "Паспорт", "fraction": -1.0, "feedback": ""},
                {"id": "o4", "text": "Визитка", "fraction": 0.0, "feedback": ""},
            ]
        },
    ),
    # The sample bank's matching question is authored this way already.
    replace(next(q for q in SAMPLE if q.qtype == "matching"), category="matching"),
    QuestionData(
        "ordering",
        "ordering",
        "Шаги",
        "Расставьте шаги по порядку.",
        "",
        {
            "items": [
                {"id": "i1", "text": "Предложить"},
                {"id": "i2", "text": "Спросить телефон"},
                {"id": "i3", "text": "Ввести код"},
                {"id": "i4", "text": "Выдать карту"},
            ]
        },
    ),
]

# Expected score of a blind guess: one of 3 options; a random pair of 4 options (1, 0.5,
# 0.5, 0, 0, 0 over the six pairs); a random matching or order (one fixed point expected).
CHANCE = {
    "single": Decimal(1) / 3,
    "multi": Decimal(1) / 3,
    "matching": Decimal(1) / 3,
    "ordering": Decimal(1) / 4,
}
MARGIN = Decimal("0.15")  # about three standard deviations at 120 attempts


class _PageReader(HTMLParser):
    """Every question form of the page: its type and its fields in document order."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("data-testid") == "question":
            self.forms.append({"qtype": attrs["data-qtype"], "inputs": [], "selects": []})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("type") in ("radio", "checkbox"):
            self.forms[-1]["inputs"].append((attrs["name"], attrs["value"]))
        elif tag == "select":
            self._select = [attrs["name"], []]
            self.forms[-1]["selects"].append(self._select)
        elif tag == "option" and self._select is not None and attrs.get("value"):
            self._select[1].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def _cheats(form: dict) -> dict[str, dict]:
    """Each rule's form fields for one question, from what the page shows."""
    qtype = form["qtype"]
    if qtype in ("single", "multi"):
        name = form["inputs"][0][0]
        values = [value for _name, value in form["inputs"]]
        take = 1 if qtype == "single" else 2
        return {
            "first shown": {name: values[:take]},
            "last shown": {name: values[-take:]},
            "lowest ids": {name: sorted(values)[:take]},
            "highest ids": {name: sorted(values)[-take:]},
        }
    if qtype == "matching":
        lefts = [name.removeprefix("pair-") for name, _values in form["selects"]]
        rights = form["selects"][0][1]
        return {
            "same id": {f"pair-{left}": [left] for left in lefts if left in rights},
            "in the order shown": {
                f"pair-{left}": [r] for left, r in zip(lefts, rights, strict=True)
            },
            "by sorted ids": {
                f"pair-{left}": [r] for left, r in zip(sorted(lefts), sorted(rights), strict=True)
            },
            "reversed": {
                f"pair-{left}": [r] for left, r in zip(lefts, reversed(rights), strict=True)
            },
        }
    names = [name for name, _values in form["selects"]]
    return {
        "in the order shown": {n: [str(p)] for p, n in enumerate(names, 1)},
        "reversed": {n: [str(p)] for p, n in enumerate(reversed(names), 1)},
        "by sorted ids": {n: [str(p)] for p, n in enumerate(sorted(names), 1)},
    }


def _query(fields: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for name, values in fields.items():
        query.setlist(name, values)
    return query


def test_a_cheater_reading_only_the_page_scores_no_better_than_chance(client):
    questions_import(actor=None, items=KEY_FIRST_BANK)
    exam = Exam.objects.create(code="integrity", title="Экзамен", attempts_limit=0, cooloff_hours=0)
    for category in QuestionCategory.objects.all():
        ExamDraw.objects.create(exam=exam, category=category, count=1)
    learner = person("store_staff")
    client.force_login(learner)
    rng = random.Random(SEED)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)

    for _ in range(ATTEMPTS):
        attempt = attempt_start(person=learner, exam=exam, rng=rng)
        html = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()
        reader = _PageReader()
        reader.feed(html)
        items = {i.question.qtype: i for i in attempt.questions.select_related("question")}
        for form in reader.forms:
            item = items[form["qtype"]]
            question = item.question
            for rule, fields in _cheats(form).items():
                # What the server would save had the page posted these fields.
                answer = answer_from_post(
                    question.qtype, question.data, item.presented, _query(fields)
                )
                totals[(question.qtype, rule)] += score(question.qtype, question.data, answer)
        attempt_submit(person=learner, attempt=attempt)

    assert {qtype for qtype, _rule in totals} == set(CHANCE)
    better_than_chance = {
        f"{qtype}: {rule}": round(total / ATTEMPTS, 2)
        for (qtype, rule), total in totals.items()
        if total / ATTEMPTS > CHANCE[qtype] + MARGIN
    }
    assert not better_than_chance, better_than_chance


def test_no_authoring_id_reaches_the_page(client):
    questions_import(actor=None, items=KEY_FIRST_BANK)
    exam = Exam.objects.create(code="integrity", title="Экзамен")
    for category in QuestionCategory.objects.all():
        ExamDraw.objects.create(exam=exam, category=category, count=1)
    learner = person("store_staff")
    client.force_login(learner)
    attempt = attempt_start(person=learner, exam=exam, rng=random.Random(SEED))

    html = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()

    for authoring_id in ("o1", "o2", "o3", "o4", "p1", "p2", "p3", "i1", "i2", "i3", "i4"):
        assert f'"{authoring_id}"' not in html and f"-{authoring_id}" not in html
    assert _every_token_shown_once(html, attempt)


def _every_token_shown_once(html: str, attempt) -> bool:
    """Every token stored for the attempt is on the page, and tokens are all different."""
    tokens = [
        token
        for item in attempt.questions.all()
        for part in item.presented.values()
        for token, _authoring_id in part
    ]
    return len(set(tokens)) == len(tokens) and all(token in html for token in tokens)


def test_an_attempt_started_before_tokens_still_reads_its_answers():
    """Open attempts from before the tokens stored bare ids: those stay their own tokens."""
    single, matching = KEY_FIRST_BANK[0].data, KEY_FIRST_BANK[2].data

    chosen = answer_from_post(
        "single", single, {"options": ["o2", "o1", "o3"]}, _query({"option": ["o1"]})
    )
    paired = answer_from_post(
        "matching",
        matching,
        {"rights": ["p3", "p1", "p2"]},
        _query({"pair-p1": ["p1"], "pair-p2": ["p3"]}),
    )

    assert chosen == {"option": "o1"}
    assert paired == {"pairs": {"p1": "p1", "p2": "p3"}}
