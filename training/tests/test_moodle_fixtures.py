"""Moodle's own question-format fixtures (training/tests/fixtures/moodle/, see its README):
each imports, renders in an attempt as Moodle shows it, and exports back with the same
questions, answers, fractions and files."""

from __future__ import annotations

import base64
import html
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import nh3
import pytest
from django.urls import reverse

from portal.org.tests.factories import person
from training.models import Exam, ExamDraw, Question, QuestionCategory
from training.moodle import MoodleRejected, category_path, read_moodle
from training.services.attempts import attempt_start
from training.services.bank import questions_export_moodle, questions_import_moodle

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "moodle"
SUPPORTED = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "ordering"}


def _visible(text: str) -> str:
    """What a reader sees of a text: no tags, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(nh3.clean(text or "", tags=set())).split())


def _files(element: ET.Element) -> dict[str, bytes]:
    files = {f.get("name"): base64.b64decode(f.text or "") for f in element.iter("file")}
    picture = element.findtext("image", "").strip()
    if picture and element.find("image_base64") is not None:
        files[picture] = base64.b64decode(element.findtext("image_base64", ""))
    return files


def moodle_view(content: bytes) -> list[dict]:
    """The supported questions of a Moodle file as a reader of both files would compare
    them (independent of training.moodle): category path, type, name, visible texts,
    answers with fractions, files by name and content."""
    questions, category = [], ""
    for q in ET.fromstring(content).iter("question"):
        kind = q.get("type")
        if kind == "category":
            category = category_path(q.findtext("category/text", ""))
            continue
        if kind not in SUPPORTED:
            continue
        single = (q.findtext("single") or "true").strip().lower() in ("true", "1")
        questions.append(
            {
                "category": category,
                "type": f"{kind}:{single}" if kind == "multichoice" else kind,
                "name": q.findtext("name/text", "").strip(),
                "text": _visible(q.findtext("questiontext/text", "")),
                "feedback": _visible(q.findtext("generalfeedback/text", "")),
                "answers": sorted(
                    (
                        _visible(a.findtext("text", "")),
                        Decimal(a.get("fraction", "0")).normalize(),
                        _visible(a.findtext("feedback/text", "")),
                    )
                    for a in q.findall("answer")
                ),
                "subquestions": sorted(
                    (_visible(s.findtext("text", "")), s.findtext("answer/text", "").strip())
                    for s in q.findall("subquestion")
                ),
                "files": _files(q),
            }
        )
    return sorted(questions, key=lambda item: (item["category"], item["name"]))


def _types(content: bytes) -> list[str]:
    return [q.get("type") for q in ET.fromstring(content).iter("question")]


FILES = sorted(FIXTURES.glob("*.xml"))


@pytest.mark.parametrize("fixture", FILES, ids=lambda path: path.stem)
def test_a_moodle_fixture_imports_renders_and_exports_back(fixture, client):
    content = fixture.read_bytes()
    expected = moodle_view(content)
    unsupported = [t for t in _types(content) if t not in SUPPORTED | {"category"}]

    report = questions_import_moodle(actor=None, content=content, skip_unsupported=True)

    # imported: every supported question; listed: every other one, by name and type
    assert report.questions == len(expected) == Question.objects.count()
    assert len(report.skipped) == len(unsupported)
    for note in report.skipped:
        assert note.name and note.name in str(note)
    if not expected:
        return

    # renders in an attempt as Moodle shows it: HTML as HTML, files served to the learner
    exam = Exam.objects.create(code="moodle", title="Moodle", pass_mark=50)
    for category in QuestionCategory.objects.filter(questions__isnull=False).distinct():
        ExamDraw.objects.create(exam=exam, category=category, count=10)
    learner = person("store_staff")
    attempt = attempt_start(person=learner, exam=exam)
    client.force_login(learner)
    page = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()
    assert "&lt;p&gt;" not in page and "&lt;img" not in page
    assert "@@PLUGINFILE@@" not in page
    for question in Question.objects.all():
        assert _visible(question.text) in _visible(page)
        for name in question.extra.get("files", {}):
            url = reverse("training:question_file", args=[question.pk, name])
            if name in question.text:
                assert f'src="{url}"' in page or f'href="{url}"' in page
            served = client.get(url)
            assert served.status_code == 200, name
            assert b"".join(served.streaming_content) == _files_of(expected, question)[name]

    # exports back: the same questions, answers, fractions and files
    exported = questions_export_moodle()
    assert moodle_view(exported) == expected
    again = questions_import_moodle(actor=None, content=exported)
    assert again.unchanged == len(expected)


def _files_of(expected: list[dict], question: Question) -> dict[str, bytes]:
    return next(item["files"] for item in expected if item["name"] == question.name)


def test_unsupported_types_refuse_the_file_naming_each_question_in_moodle_terms():
    content = (FIXTURES / "nested_categories_with_questions.xml").read_bytes()
    with pytest.raises(MoodleRejected) as caught:
        questions_import_moodle(actor=None, content=content)
    (error,) = caught.value.errors
    assert (error.number, error.name, error.moodle_type) == (4, "Kappa Essay Question", "essay")
    assert "«Kappa Essay Question» (Эссе)" in str(error)
    cloze = read_moodle((FIXTURES / "multianswer.xml").read_bytes(), skip_unsupported=True)
    assert "«cloze with images» (Вложенные ответы (Cloze))" in str(cloze.skipped[0])
    assert not Question.objects.exists()


def test_category_paths_stay_a_tree():
    content = (FIXTURES / "nested_categories_with_questions.xml").read_bytes()
    questions_import_moodle(actor=None, content=content, skip_unsupported=True)
    lambda_ = QuestionCategory.objects.get(name="Lambda")
    assert [lambda_.parent.name, lambda_.parent.parent.name] == ["Kappa", "Iota"]
    assert lambda_.description == "This is Lambda category for test"
    assert re.search(r"\$course\$/Iota/Kappa/Lambda", questions_export_moodle().decode())


def test_the_bank_page_imports_the_supported_questions_and_lists_the_others(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import translation

    from portal.org.choices import Role

    client.force_login(person(Role.LP_MANAGER))
    content = (FIXTURES / "categories_reverse_order.xml").read_bytes()
    with translation.override("ru"):
        refused = client.post(
            reverse("training:bank"), {"file": SimpleUploadedFile("bank.xml", content)}
        ).content.decode()
        taken = client.post(
            reverse("training:bank"),
            {"file": SimpleUploadedFile("bank.xml", content), "skip_unsupported": "on"},
        ).content.decode()

    assert 'data-testid="bank-errors"' in refused and "«Tau Question» (Эссе)" in refused
    assert 'data-testid="bank-skipped"' in taken and "«Tau Question» (Эссе)" in taken
    assert list(Question.objects.values_list("name", flat=True)) == ["Sigma Question"]
