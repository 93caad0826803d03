"""The attempt page: nothing of the key in its source; autosave and submit over HTTP."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.org.tests.factories import person
from training.models import Attempt, Certificate
from training.services.attempts import attempt_start
from training.services.bank import question_save
from training.tests.factories import SAMPLE, right_answer, sample_exam

pytestmark = pytest.mark.django_db


def _form(item, answer) -> dict:
    """The fields the attempt page posts for `answer`: its tokens, never authoring ids."""
    qtype, shown = item.question.qtype, item.presented
    token = {
        part: {i: t for t, i in shown.get(part, [])}
        for part in ("options", "lefts", "rights", "items")
    }
    if qtype == "single":
        return {"option": token["options"][answer["option"]]}
    if qtype == "multi":
        return {"options": [token["options"][o] for o in answer["options"]]}
    if qtype == "truefalse":
        return {"value": "true" if answer["value"] else "false"}
    if qtype in ("numeric", "shorttext"):
        return {"value": answer["value"]}
    if qtype == "matching":
        return {
            f"pair-{token['lefts'][left]}": token["rights"][right]
            for left, right in answer["pairs"].items()
        }
    return {f"place-{token['items'][i]}": str(n) for n, i in enumerate(answer["order"], 1)}


def test_the_attempt_page_carries_no_key(client):
    learner = person("store_staff")
    exam = sample_exam()
    attempt = attempt_start(person=learner, exam=exam)
    client.force_login(learner)

    html = client.get(reverse("training:attempt", args=[attempt.pk])).content.decode()

    for item in SAMPLE:
        assert item.text in html
        if item.general_feedback:
            assert item.general_feedback not in html
        for option in item.data.get("options", []):
            assert option["feedback"] not in html if option["feedback"] else True
        for accepted in item.data.get("answers", []):
            assert accepted not in html
    assert "fraction" not in html


def test_answers_and_submit_over_http(client):
    learner = person("store_staff")
    exam = sample_exam()
    attempt = attempt_start(person=learner, exam=exam)
    client.force_login(learner)

    for item in attempt.questions.select_related("question"):
        response = client.post(
            reverse("training:answer", args=[attempt.pk, item.position]),
            _form(item, right_answer(item.question)),
            HTTP_HX_REQUEST="true",
        )
        assert 'data-testid="saved"' in response.content.decode()
    response = client.post(reverse("training:submit", args=[attempt.pk]), follow=True)

    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100
    assert 'data-passed="true"' in response.content.decode()
    certificate = Certificate.objects.get(attempt=attempt)
    pdf = client.get(reverse("training:certificate", args=[certificate.code]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    client.logout()
    check = client.get(reverse("training:verify", args=[certificate.code])).content.decode()
    assert 'data-valid="true"' in check and learner.last_name in check
    assert client.get(reverse("training:verify", args=["NOPE"])).status_code == 404


def test_attempt_page_query_count_does_not_grow_with_the_bank_or_past_attempts(client):
    learner = person("store_staff")
    exam = sample_exam(attempts_limit=0, cooloff_hours=0)
    attempt = attempt_start(person=learner, exam=exam)
    client.force_login(learner)
    url = reverse("training:attempt", args=[attempt.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)

    for n in range(30):  # a bigger bank and many past attempts of others
        item = SAMPLE[n % len(SAMPLE)]
        question_save(actor=None, item=item, category=exam.draws.first().category)
    for _ in range(5):
        other = person("store_staff")
        attempt_start(person=other, exam=exam)
    with CaptureQueriesContext(connection) as large:
        client.get(url)

    assert len(large) == len(small)
    assert Attempt.objects.count() == 6


def test_after_passing_the_review_shows_feedback_and_the_course_shows_progress(client, world):
    from portal.sop.services import acknowledgement_record
    from portal.sop.tests.factories import publish_sop
    from training.models import Assignment, Course, CourseItem
    from training.models.exams import AssignmentReason

    learner = world.people["store_staff"]
    page = publish_sop(title="Регистрация на кассе")
    course = Course.objects.create(title="Основы")
    CourseItem.objects.create(course=course, page=page, position=1)
    exam = sample_exam(course=course)
    Assignment.objects.create(
        person=learner, exam=exam, reason=AssignmentReason.RULE, due_on="2030-01-01"
    )
    client.force_login(learner)
    assert "0 из 1" in client.get(reverse("training:home")).content.decode()
    acknowledgement_record(person=learner, page=page, revision_id=page.live_revision_id)
    assert "1 из 1" in client.get(reverse("training:home")).content.decode()

    attempt = attempt_start(person=learner, exam=exam)
    for item in attempt.questions.select_related("question"):
        client.post(
            reverse("training:answer", args=[attempt.pk, item.position]),
            _form(item, right_answer(item.question)),
        )
    html = client.post(reverse("training:submit", args=[attempt.pk]), follow=True)
    html = html.content.decode()
    assert "Через 14 дней." in html  # the general feedback of the single-choice question
    assert "Да." in html  # the feedback of the option chosen
