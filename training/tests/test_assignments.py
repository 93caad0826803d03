"""Who is assigned an exam: new hires by rule, expired certificates, and — after a material
SOP revision — exactly the people who held the affected certification, on a short retest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from portal.sop.choices import ChangeKind
from portal.sop.tests.factories import publish_sop, revise
from training.models import Assignment, AssignmentRule, Certificate, QuestionCategory
from training.models.exams import AssignmentReason
from training.services.assignments import assignments_sync
from training.services.attempts import answers_save, attempt_start, attempt_submit
from training.tests.factories import right_answer, sample_exam

pytestmark = pytest.mark.django_db


def _pass(learner, exam):
    attempt = attempt_start(person=learner, exam=exam)
    for item in attempt.questions.select_related("question"):
        answers_save(
            person=learner, attempt=attempt, answers={item.position: right_answer(item.question)}
        )
    return attempt_submit(person=learner, attempt=attempt)


def test_new_hires_are_assigned_within_the_rule_and_only_once(world):
    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role="store_staff", within_days=14)
    certified = world.colleague_a1
    _pass(certified, exam)

    first = assignments_sync()
    again = assignments_sync()

    assigned = set(Assignment.objects.values_list("person_id", flat=True))
    staff = {world.people["store_staff"].pk, world.staff_a2.pk, world.staff_b1.pk}
    assert assigned == staff  # certified colleague and non-sellers are not assigned
    assert (first.by_rule, again.by_rule) == (3, 0)
    seller = Assignment.objects.get(person=world.people["store_staff"])
    assert seller.due_on == world.people["store_staff"].started_on + timedelta(days=14)


def test_expired_certificates_put_the_person_back_on_the_list(world):
    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role="store_staff", store=world.store_a1)
    learner = world.people["store_staff"]
    _pass(learner, exam)
    Certificate.objects.filter(person=learner).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )

    report = assignments_sync()

    assert report.expired == 1
    assert Assignment.objects.get(person=learner, completed_at=None).reason == (
        AssignmentReason.EXPIRED
    )


def test_a_material_sop_revision_retests_exactly_the_certified(world):
    exam = sample_exam(attempts_limit=0, cooloff_hours=0)
    page = publish_sop(title="Регистрация", text=["Старое правило."])
    topic = QuestionCategory.objects.get(name="Регистрация")
    topic.sop_page = page
    topic.save()
    holders = [world.people["store_staff"], world.staff_b1]
    for holder in holders:
        _pass(holder, exam)
    never_passed = world.staff_a2
    attempt_start(person=never_passed, exam=exam)

    revise(page, kind=ChangeKind.MINOR, text=["Старое правило!"])
    assert assignments_sync().sop_changed == 0  # a minor change retests no one
    revise(page, kind=ChangeKind.MATERIAL, text=["Новое правило."], summary="Новое")
    report = assignments_sync()
    again = assignments_sync()

    retests = Assignment.objects.filter(reason=AssignmentReason.SOP_CHANGED)
    assert set(retests.values_list("person_id", flat=True)) == {h.pk for h in holders}
    assert (report.sop_changed, again.sop_changed) == (2, 0)
    delta = retests.first().exam
    assert delta.delta_of == exam
    assert list(delta.draws.values_list("category__name", flat=True)) == ["Регистрация"]

    _pass(holders[0], delta)
    assert not Assignment.objects.filter(person=holders[0], completed_at=None).exists()
    assert Certificate.objects.filter(person=holders[0]).count() == 1  # the retest renews none


def test_reminders_before_due_when_overdue_and_before_expiry_once_each(
    world, django_capture_on_commit_callbacks
):
    from django.core import mail

    from training.services.reminders import training_reminders_send

    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role="store_staff", store=world.store_a1)
    certified = world.colleague_a1
    _pass(certified, exam)
    assignments_sync()
    seller = world.people["store_staff"]
    assignment = Assignment.objects.get(person=seller, completed_at=None)
    Certificate.objects.filter(person=certified).update(
        expires_on=assignment.due_on + timedelta(days=10)
    )

    with django_capture_on_commit_callbacks(execute=True):
        soon = training_reminders_send(today=assignment.due_on - timedelta(days=2))
        late = training_reminders_send(today=assignment.due_on + timedelta(days=1))
        again = training_reminders_send(today=assignment.due_on + timedelta(days=2))

    assert (soon.due_soon, late.overdue) == (1, 1)
    assert soon.expires_soon + late.expires_soon == 1
    assert vars(again) == {"due_soon": 0, "overdue": 0, "expires_soon": 0, "notifications": 0}
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {seller.email, certified.email}
    assert seller.notifications.count() == 2  # due soon, then overdue: in the inbox too


def test_an_overdue_assignment_first_seen_late_is_reminded_once_as_overdue(world):
    from training.services.reminders import training_reminders_send

    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role="store_staff", store=world.store_a1)
    assignments_sync()
    seller = world.people["store_staff"]
    assignment = Assignment.objects.get(person=seller, completed_at=None)

    report = training_reminders_send(today=assignment.due_on + timedelta(days=5))

    assert (report.due_soon, report.overdue) == (0, 2)  # the seller and their colleague
    assert list(seller.notifications.values_list("step", flat=True)) == [1]


def _sync_queries() -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report = assignments_sync()
    return len(queries.captured_queries), report


def test_the_sync_costs_the_same_queries_whatever_the_people_and_exams(world):
    """Given a rule, two certified sellers and a material SOP change; when the chain has
    more sellers, a second exam with a regional rule, more holders and another change;
    then the sync assigns more and creates more retests in the same number of queries."""
    from portal.org.choices import Role
    from portal.org.tests.factories import person

    exam = sample_exam(attempts_limit=0, cooloff_hours=0)
    AssignmentRule.objects.create(exam=exam, role="store_staff")
    page = publish_sop(title="Регистрация", text=["Старое правило."])
    QuestionCategory.objects.filter(name="Регистрация").update(sop_page=page)
    for holder in (world.people["store_staff"], world.staff_b1):
        _pass(holder, exam)
    revise(page, kind=ChangeKind.MATERIAL, text=["Новое правило."], summary="Новое")
    small, first = _sync_queries()

    for _n in range(5):
        person(Role.STORE_STAFF, store=world.store_a2)
    other = sample_exam(code="lp-exam-2", attempts_limit=0, cooloff_hours=0)
    AssignmentRule.objects.create(exam=other, role="store_staff", region=world.region_a)
    for holder in (world.colleague_a1, world.staff_a2):
        _pass(holder, other)
    revise(page, kind=ChangeKind.MATERIAL, text=["Правило ещё новее."], summary="Ещё")
    large, second = _sync_queries()

    assert (first.by_rule, first.sop_changed) == (2, 2)
    assert (second.by_rule, second.sop_changed) == (5 + 6, 2)  # 5 new × 1 exam, 6 × the other
    assert large == small


def test_a_withdrawn_certificate_puts_the_person_back_on_the_list(world):
    from training.services.certificates import certificate_revoke

    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role="store_staff", store=world.store_a1)
    learner = world.people["store_staff"]
    _pass(learner, exam)
    assert assignments_sync().by_rule == 1  # the colleague, not the certified seller

    certificate_revoke(
        Certificate.objects.get(person=learner), actor=world.people["lp_manager"], reason="Обман"
    )
    report = assignments_sync()

    assert (report.revoked, report.by_rule, report.expired) == (1, 0, 0)
    assignment = Assignment.objects.get(person=learner, completed_at=None)
    assert assignment.reason == AssignmentReason.REVOKED
    assert assignment.due_on == timezone.localdate() + timedelta(days=14)


def test_withdrawing_assigns_the_exam_again_after_commit(world, django_capture_on_commit_callbacks):
    from training.services.certificates import certificate_revoke

    exam = sample_exam()
    AssignmentRule.objects.create(exam=exam, role="store_staff", store=world.store_a1)
    learner = world.people["store_staff"]
    _pass(learner, exam)

    with django_capture_on_commit_callbacks(execute=True):
        certificate_revoke(
            Certificate.objects.get(person=learner), actor=world.people["admin"], reason="Ошибка"
        )

    assignment = Assignment.objects.get(person=learner, completed_at=None)
    assert assignment.reason == AssignmentReason.REVOKED
