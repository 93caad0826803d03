"""Who may start an exam (its rules or an assignment), retakes, and the cost of a save."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.org.choices import Role
from training.models import Assignment, AssignmentRule, Attempt, Exam
from training.models.exams import AssignmentReason
from training.services.attempts import AttemptRefused, attempt_start, attempt_submit
from training.tests.factories import right_answer, sample_exam
from training.tests.test_views import _form

pytestmark = pytest.mark.django_db


def _begin(client, user, exam):
    client.force_login(user)
    return client.post(reverse("training:begin", args=[exam.code]))


def test_an_auditor_cannot_certify_as_a_seller(world, client):
    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF)

    response = _begin(client, world.people[Role.AUDITOR], exam)

    assert response.status_code == 403
    assert "Этот экзамен вам не назначен" in response.content.decode()
    assert not Attempt.objects.exists()


def test_a_seller_of_the_rule_starts_the_exam(world, client):
    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF)

    response = _begin(client, world.people[Role.STORE_STAFF], exam)

    attempt = Attempt.objects.get(person=world.people[Role.STORE_STAFF])
    assert response.status_code == 302
    assert response["Location"] == reverse("training:attempt", args=[attempt.pk])


def test_a_rule_for_one_region_does_not_open_the_exam_elsewhere(world, client):
    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF, region=world.region_b)

    outside = _begin(client, world.staff_a2, exam)
    inside = _begin(client, world.staff_b1, exam)

    assert (outside.status_code, inside.status_code) == (403, 302)
    assert list(Attempt.objects.values_list("person", flat=True)) == [world.staff_b1.pk]


def test_a_rule_for_one_store_opens_the_exam_only_there(world, client):
    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF, store=world.store_a2)

    assert _begin(client, world.colleague_a1, exam).status_code == 403
    assert _begin(client, world.staff_a2, exam).status_code == 302


def test_an_open_assignment_opens_the_exam_without_a_rule(world, client):
    exam = sample_exam()
    manager = world.people[Role.STORE_MANAGER]
    Assignment.objects.create(
        person=manager, exam=exam, reason=AssignmentReason.RULE, due_on="2030-01-01"
    )

    assert _begin(client, manager, exam).status_code == 302
    assert _begin(client, world.people[Role.REGIONAL_MANAGER], exam).status_code == 403


def test_a_superuser_is_not_addressed_by_every_exam(world, client):
    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF)
    admin = world.people[Role.ADMIN]
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])

    assert _begin(client, admin, exam).status_code == 403


def test_unlimited_attempts_still_wait_for_the_pause(world):
    exam = sample_exam(attempts_limit=0, cooloff_hours=2)
    learner = world.people[Role.STORE_STAFF]
    start = timezone.now() - timedelta(hours=5)
    first = attempt_start(person=learner, exam=exam, now=start)
    attempt_submit(person=learner, attempt=first, now=start + timedelta(minutes=10))

    with pytest.raises(AttemptRefused):
        attempt_start(person=learner, exam=exam, now=start + timedelta(hours=2))
    second = attempt_start(person=learner, exam=exam, now=start + timedelta(hours=2, minutes=11))

    assert second.number == 2


def test_the_cms_explains_unlimited_attempts_and_warns_on_a_certifying_exam(world, client):
    from training.tests.test_cms import _edit_data

    exam = sample_exam()
    client.force_login(world.people[Role.LP_MANAGER])
    url = reverse("wagtailsnippets_training_exam:edit", args=[exam.pk])
    page = client.get(url).content.decode()
    data = _edit_data(client, url)
    data["attempts_limit"] = "0"

    response = client.post(url, data)

    assert "0 означает без ограничения" in page
    assert response.status_code == 302
    assert Exam.objects.get(pk=exam.pk).attempts_limit == 0
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("без ограничения числа попыток" in w for w in warnings), warnings


def test_a_delta_retest_with_unlimited_attempts_saves_without_a_warning(world, client):
    from training.tests.test_cms import _edit_data

    main = sample_exam()
    delta = Exam.objects.create(code="delta", title="Дельта", delta_of=main, attempts_limit=0)
    client.force_login(world.people[Role.LP_MANAGER])
    url = reverse("wagtailsnippets_training_exam:edit", args=[delta.pk])

    response = client.post(url, _edit_data(client, url))

    assert response.status_code == 302
    assert not [m for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_answer_save_costs_at_most_six_queries_and_no_session_write(client):
    """Real transactions (no test savepoints), as in production: session, user, the
    question with its attempt, the lock, the update, the event row. Django also logs the
    transaction's BEGIN and COMMIT among the queries: those are not statements (and the
    benchmark's X-Query-Count does not count them either)."""
    from django.db import connection

    from portal.org.tests.factories import person

    learner = person(Role.STORE_STAFF)
    exam = sample_exam()
    attempt = attempt_start(person=learner, exam=exam)
    client.force_login(learner)
    items = list(attempt.questions.select_related("question"))
    url = lambda item: reverse("training:answer", args=[attempt.pk, item.position])  # noqa: E731
    client.post(url(items[0]), _form(items[0], right_answer(items[0].question)))

    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            url(items[1]), _form(items[1], right_answer(items[1].question)), HTTP_HX_REQUEST="true"
        )

    statements = [q["sql"] for q in queries if q["sql"] not in ("BEGIN", "COMMIT")]
    assert 'data-testid="saved"' in response.content.decode()
    assert len(statements) <= 6, "\n".join(statements)
    assert not [sql for sql in statements if "django_session" in sql and "UPDATE" in sql]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_the_database_cannot_take_says_so_and_is_no_500(client):
    """A busy database (SQLite's «database is locked», here a PostgreSQL lock timeout on
    the attempt another connection holds) answers an error state, never «Saved»."""
    from django.db import connection

    from portal.org.tests.factories import person

    if connection.vendor != "postgresql":
        pytest.skip("holds a row lock from a second connection")
    learner = person(Role.STORE_STAFF)
    attempt = attempt_start(person=learner, exam=sample_exam())
    item = attempt.questions.select_related("question").first()
    client.force_login(learner)
    other = connection.copy()
    try:
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT 1 FROM training_attempt WHERE id = %s FOR UPDATE", [attempt.pk])
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        response = client.post(
            reverse("training:answer", args=[attempt.pk, item.position]),
            _form(item, right_answer(item.question)),
            HTTP_HX_REQUEST="true",
        )
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")

    body = response.content.decode()
    assert response.status_code == 503
    assert 'data-testid="save-error"' in body and "Сохранено" not in body
    item.refresh_from_db()
    assert item.answer is None
