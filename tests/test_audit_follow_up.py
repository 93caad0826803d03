"""The closed loop, across rooms (audits, the SOP library, training: so here, not in an
app): a published visit whose failed question checks an SOP asks the store's staff to
read that SOP again and to retest its exam topic; confirming the page answers it."""

from __future__ import annotations

import pytest

from audits.choices import VisitEventKind
from audits.services.loop import visit_follow_up
from audits.services.review import visit_publish
from audits.tests.factories import question, section, visit_submitted
from portal.notify.models import Notification
from portal.org.choices import Role
from portal.sop.models import RereadRequest
from portal.sop.selectors import reading_context
from portal.sop.services import acknowledgement_record
from portal.sop.tests.factories import publish_sop
from training.models import Assignment, AssignmentRule, QuestionCategory
from training.models.exams import AssignmentReason
from training.tests.factories import sample_exam

pytestmark = pytest.mark.django_db
OFFER = "Кассир предложил карту"


@pytest.fixture
def linked(world):
    """An SOP page, an exam topic built on it, the exam for sellers, and a checklist whose
    «offer the card» question checks the page."""
    page = publish_sop(title="Предложение карты на кассе")
    exam = sample_exam()
    topic = QuestionCategory.objects.order_by("pk").first()
    topic.sop_page = page
    topic.save(update_fields=["sop_page"])
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF, within_days=30)
    sections = [
        section(
            "Касса",
            question(OFFER, sop_page=page.pk),
            question("Вежливость кассира", "scale"),
        )
    ]
    return page, exam, topic, sections


def test_a_failed_sop_question_asks_the_staff_to_reread_and_retest(world, linked):
    page, exam, topic, sections = linked
    visit = visit_submitted(world, {OFFER: "no"}, sections=sections)

    visit = visit_publish(actor=world.people[Role.LP_MANAGER], visit=visit, announce=False)

    sellers = {world.people[Role.STORE_STAFF], world.colleague_a1}
    asked = RereadRequest.objects.filter(page=page)
    # Everyone of A1 in the page's audience (sellers and the manager), nobody else.
    assert {r.person for r in asked} == sellers | {world.people[Role.STORE_MANAGER]}
    assert all(visit.number in r.reason for r in asked)
    notified = Notification.objects.filter(key__startswith="sop.reread.")
    assert {n.recipient for n in notified} == {r.person for r in asked}
    retests = Assignment.objects.filter(reason=AssignmentReason.AUDIT)
    # The retest is the topic's short exam, for those who take the exam (sellers only).
    assert {a.person for a in retests} == sellers
    assert {(a.exam.delta_of_id, a.exam.title) for a in retests} == {
        (exam.pk, f"{exam.title}: {topic.name}")
    }
    event = visit.events.get(kind=VisitEventKind.FOLLOWED_UP)
    assert event.payload == {"pages": [page.pk], "reread": 3, "retests": 2}

    # Asked again (the nightly pass, a correction): nobody is asked twice.
    assert visit_follow_up(visit=visit) == {"reread": 0, "retests": 0}


def test_confirming_the_page_again_answers_the_request(world, linked):
    page, _exam, _topic, sections = linked
    seller = world.people[Role.STORE_STAFF]
    acknowledgement_record(person=seller, page=page, revision_id=page.live_revision_id)
    assert reading_context(page=page, user=seller)["reread"] is None
    visit = visit_submitted(world, {OFFER: "no"}, sections=sections)
    visit_publish(actor=world.people[Role.LP_MANAGER], visit=visit, announce=False)
    assert reading_context(page=page, user=seller)["reread"] is not None

    # The same revision, confirmed before: confirming it again answers the request.
    acknowledgement_record(person=seller, page=page, revision_id=page.live_revision_id)

    request = RereadRequest.objects.get(person=seller, page=page)
    assert request.answered_at is not None
    assert reading_context(page=page, user=seller)["reread"] is None


def test_a_passed_question_or_one_without_an_sop_asks_nobody(world, linked):
    _page, _exam, _topic, sections = linked
    visit = visit_submitted(world, {"Вежливость кассира": "0"}, sections=sections)

    visit_publish(actor=world.people[Role.LP_MANAGER], visit=visit, announce=False)

    assert not RereadRequest.objects.exists()
    assert not Assignment.objects.filter(reason=AssignmentReason.AUDIT).exists()
    assert not visit.events.filter(kind=VisitEventKind.FOLLOWED_UP).exists()
