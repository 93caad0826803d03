"""A filed visit reviewed, published, corrected and appealed; what the store does about it
(corrective actions, their reminders); and who sees which visits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone, translation
from PIL import Image

from audits.choices import (
    ActionStatus,
    AppealStatus,
    ReceiptCheck,
    VisitEventKind,
    VisitReason,
    VisitStatus,
)
from audits.models import Appeal, CorrectiveAction, Visit
from audits.scoring import Answer, visit_score
from audits.selectors import checklist_spec
from audits.selectors.visits import visit_get_visible, visits_visible_to
from audits.services.filing import AnswerInput, answers_save, stored_answers, visit_submit
from audits.services.planning import recheck_schedule
from audits.services.responses import (
    action_create,
    action_done,
    action_verify,
    actions_remind,
    appeal_create,
    appeal_decide,
)
from audits.services.review import visit_correct, visit_publish, visit_return
from audits.tests.factories import (
    answer_everything,
    jpeg_upload,
    question,
    question_keys,
    receipts_load,
    section,
    visit_assigned,
    visit_filed_yesterday,
    visit_planned,
    visit_published,
    visit_submitted,
)
from portal.notify.models import Notification
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db
PHONE, POLITE = "Кассир спросил номер телефона", "Вежливость кассира"
FAILED = {PHONE: "no", POLITE: "1"}  # the phone is critical to the visit


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Files stored on disk under tmp_path, so a test sees exactly what was written."""
    settings.MEDIA_ROOT = tmp_path
    backend = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    settings.STORAGES = {**settings.STORAGES, "default": backend}
    return tmp_path


def _lp(world):
    return world.people[Role.LP_MANAGER]


def _manager(world):
    return world.people[Role.STORE_MANAGER]


def _rescored(visit: Visit, **corrections: Answer):
    """The visit's stored answers with `corrections` (by question text), scored anew."""
    keys = question_keys(visit)
    answers = {**stored_answers(visit), **{keys[t]: a for t, a in corrections.items()}}
    return visit_score(checklist_spec(version=visit.version), answers)


# Review


def test_the_lp_manager_publishes_a_visit_and_the_stores_managers_are_told(world):
    visit = visit_submitted(world)

    published = visit_publish(actor=_lp(world), visit=visit, comment=" Хороший визит ")

    assert (published.status, published.published_at is not None) == (VisitStatus.PUBLISHED, True)
    event = published.events.get(kind=VisitEventKind.PUBLISHED)
    assert (event.actor, event.reason) == (_lp(world), "Хороший визит")
    assert event.payload == {"status": ["submitted", "published"], "score": "100.0"}
    told = Notification.objects.filter(key=f"audits.visit.{visit.pk}.published")
    assert {n.recipient for n in told} == {_manager(world), world.people[Role.REGIONAL_MANAGER]}
    assert all("100.0%" in n.title and "passed" in n.title for n in told)
    assert not Visit.objects.filter(reason=VisitReason.RECHECK).exists()  # it passed


def test_a_failed_visit_once_published_gets_one_recheck(world):
    failed = visit_publish(actor=_lp(world), visit=visit_submitted(world, FAILED), announce=False)

    recheck = Visit.objects.get(reason=VisitReason.RECHECK)
    first = timezone.localdate() + timedelta(days=7)
    assert (recheck.recheck_of, recheck.store, recheck.checklist) == (
        failed,
        failed.store,
        failed.checklist,
    )
    assert (recheck.status, recheck.not_before, recheck.due_on) == (
        VisitStatus.PLANNED,
        first,
        first + timedelta(days=14),
    )
    assert recheck_schedule(visit=failed) is None
    assert Visit.objects.filter(reason=VisitReason.RECHECK).count() == 1


def test_nobody_reviews_or_corrects_their_own_visit(world):
    visit = visit_submitted(world)
    own = visit.auditor
    key = question_keys(visit)[PHONE]

    for review in (
        lambda: visit_publish(actor=own, visit=visit),
        lambda: visit_return(actor=own, visit=visit, comment="Исправить"),
    ):
        with pytest.raises(ValidationError, match="Nobody reviews or corrects their own visit"):
            review()
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SUBMITTED
    visit_publish(actor=_lp(world), visit=visit, announce=False)
    with pytest.raises(ValidationError, match="their own visit"):
        visit_correct(actor=own, visit=visit, key=key, value="no", reason="Ошибка")


def test_a_returned_visit_goes_back_to_its_auditor_and_is_submitted_again(world):
    visit = visit_submitted(world)
    key = question_keys(visit)[PHONE]
    with pytest.raises(ValidationError, match="Say what the auditor should correct"):
        visit_return(actor=_lp(world), visit=visit, comment="  ")

    returned = visit_return(actor=_lp(world), visit=visit, comment="Кассир не спрашивал телефон")

    assert returned.status == VisitStatus.RETURNED
    event = returned.events.get(kind=VisitEventKind.RETURNED)
    assert (event.reason, event.payload) == (
        "Кассир не спрашивал телефон",
        {"status": ["submitted", "returned"]},
    )
    assert answers_save(auditor=visit.auditor, visit=visit, items=[AnswerInput(key, "no")]) == 1
    again = visit_submit(auditor=visit.auditor, visit=visit)
    assert (again.status, again.passed, again.version) == (
        VisitStatus.SUBMITTED,
        False,
        visit.version,
    )
    assert again.score == _rescored(again).score
    assert again.events.filter(kind=VisitEventKind.SUBMITTED).count() == 2


def test_a_correction_of_a_published_report_needs_a_reason_and_keeps_the_history(world):
    visit = visit_submitted(world)
    key = question_keys(visit)[PHONE]
    lp = _lp(world)
    with pytest.raises(ValidationError, match="cannot be changed that way"):  # not published
        visit_correct(actor=lp, visit=visit, key=key, value="no", reason="Ошибка")
    visit_publish(actor=lp, visit=visit, announce=False)
    with pytest.raises(ValidationError, match="needs a reason"):
        visit_correct(actor=lp, visit=visit, key=key, value="no", reason=" ")
    with pytest.raises(ValidationError, match="give the corrected answer"):
        visit_correct(actor=lp, visit=visit, key=key, value="", reason="Стереть")
    expected = _rescored(visit, **{PHONE: Answer("no")})

    corrected = visit_correct(actor=lp, visit=visit, key=key, value="no", reason="По видео")

    corrected.refresh_from_db()
    assert (corrected.score, corrected.passed) == (expected.score, False)
    assert corrected.result["reasons"] == expected.reasons
    event = corrected.events.get(kind=VisitEventKind.CORRECTED)
    assert (event.actor, event.reason) == (lp, "По видео")
    assert event.payload == {
        "question": key,
        "before": {"value": "yes", "na": False, "score": "100.0", "passed": True},
        "after": {"value": "no", "na": False, "score": str(expected.score), "passed": False},
    }


TILL = [
    section(
        "Касса",
        question("Кассир отсканировал карту", pos_fact="identified"),
        question("Кассир поздоровался"),
    )
]


def test_a_correction_the_receipt_agrees_with_clears_its_flag(
    world, django_capture_on_commit_callbacks
):
    day = timezone.localdate() - timedelta(days=1)
    receipts_load(django_capture_on_commit_callbacks, world.store_a1, day, identified=0)
    # «Yes», the card was scanned: the receipt has none.
    filed = visit_filed_yesterday(world, number=f"{day:%y%m%d}-0", sections=TILL)
    visit = visit_publish(actor=_lp(world), visit=filed, announce=False)
    key = question_keys(visit)["Кассир отсканировал карту"]
    assert (visit.receipt_check, [f["question"] for f in visit.result["flags"]]) == (
        ReceiptCheck.FOUND,
        [key],
    )

    visit_correct(actor=_lp(world), visit=visit, key=key, value="no", reason="Чек без карты")

    visit.refresh_from_db()
    assert visit.result["flags"] == []


# Appeals


def _appealed(world, text: str = PHONE) -> Appeal:
    visit = visit_published(world, FAILED)
    key = question_keys(visit)[text]
    return appeal_create(actor=_manager(world), visit=visit, key=key, comment="Кассир спросил")


def test_an_appeal_needs_a_reason_and_stays_open_once_per_item(world):
    visit = visit_published(world, FAILED)
    key = question_keys(visit)[PHONE]
    with pytest.raises(ValidationError, match="Say why the answer is wrong"):
        appeal_create(actor=_manager(world), visit=visit, key=key, comment=" ")

    appeal = appeal_create(actor=_manager(world), visit=visit, key=key, comment="Спросил")

    assert (appeal.status, appeal.created_by, appeal.question.key) == (
        AppealStatus.OPEN,
        _manager(world),
        key,
    )
    event = visit.events.get(kind=VisitEventKind.APPEALED)
    assert (event.payload, event.reason) == ({"appeal": appeal.pk, "question": key}, "Спросил")
    with pytest.raises(ValidationError, match="already appealed"):
        appeal_create(actor=_manager(world), visit=visit, key=key, comment="Ещё раз")
    Visit.objects.filter(pk=visit.pk).update(published_at=timezone.now() - timedelta(days=15))
    with pytest.raises(ValidationError, match="Appeals were open until"):
        appeal_create(
            actor=_manager(world), visit=visit, key=question_keys(visit)[POLITE], comment="Поздно"
        )
    assert Appeal.objects.count() == 1


def test_an_accepted_appeal_corrects_the_answer_and_rescores_from_scratch(world):
    appeal = _appealed(world)
    visit = appeal.visit
    before = (visit.score, visit.passed)
    expected = _rescored(visit, **{PHONE: Answer("yes")})

    decided = appeal_decide(actor=_lp(world), appeal=appeal, accept=True, decision="Видно на видео")

    visit.refresh_from_db()
    assert (decided.status, decided.decided_by, decided.decision) == (
        AppealStatus.ACCEPTED,
        _lp(world),
        "Видно на видео",
    )
    assert visit.answers.get(question=appeal.question).value == "yes"  # «no» → «yes»
    assert (visit.score, visit.passed) == (expected.score, expected.passed)
    assert (before[1], visit.passed, visit.score > before[0]) == (False, True, True)
    event = visit.events.get(kind=VisitEventKind.APPEAL_ACCEPTED)
    assert (event.payload["before"]["score"], event.payload["after"]["score"]) == (
        str(before[0]),
        str(expected.score),
    )
    assert (event.payload["before"]["value"], event.payload["after"]["value"]) == ("no", "yes")


def test_a_rejected_appeal_leaves_the_score_and_is_decided_once(world):
    appeal = _appealed(world)
    score = appeal.visit.score

    appeal_decide(actor=_lp(world), appeal=appeal, accept=False, decision="На видео не спросил")

    visit = Visit.objects.get(pk=appeal.visit_id)
    assert (visit.score, visit.answers.get(question=appeal.question).value) == (score, "no")
    assert visit.events.get(kind=VisitEventKind.APPEAL_REJECTED).reason == "На видео не спросил"
    assert Appeal.objects.get().status == AppealStatus.REJECTED
    with pytest.raises(ValidationError, match="has been decided"):
        appeal_decide(actor=_lp(world), appeal=appeal, accept=True, decision="Передумали")


def test_nobody_decides_their_own_appeal_or_an_appeal_of_their_own_visit(world):
    appeal = _appealed(world)

    for actor in (appeal.created_by, appeal.visit.auditor):
        with pytest.raises(ValidationError, match="Nobody decides an appeal"):
            appeal_decide(actor=actor, appeal=appeal, accept=True, decision="Принято")

    assert Appeal.objects.get().status == AppealStatus.OPEN


def test_an_appeal_of_a_scale_answer_is_accepted_with_the_corrected_value(world):
    appeal = _appealed(world, POLITE)
    visit = appeal.visit

    with pytest.raises(ValidationError, match="give the corrected answer"):
        appeal_decide(actor=_lp(world), appeal=appeal, accept=True, decision="Вежлив")
    appeal_decide(actor=_lp(world), appeal=appeal, accept=True, decision="Вежлив", value="3")

    visit.refresh_from_db()
    assert visit.answers.get(question=appeal.question).value == "3"
    assert visit.score == _rescored(visit).score == _rescored(visit, **{POLITE: Answer("3")}).score


# Corrective actions


def _action(world, *, due_in: int = 3, owner=None, visit=None) -> CorrectiveAction:
    visit = visit or visit_published(world, FAILED)
    return action_create(
        actor=_manager(world),
        visit=visit,
        title=" Провести инструктаж кассиров ",
        owner=owner or world.colleague_a1,
        due_on=timezone.localdate() + timedelta(days=due_in),
        key=question_keys(visit)[PHONE],
    )


def test_a_corrective_action_is_owned_by_someone_of_the_store_and_due_from_today(world):
    visit = visit_published(world, FAILED)
    today = timezone.localdate()

    def create(owner, due_on, title="Инструктаж"):
        return action_create(
            actor=_manager(world), visit=visit, title=title, owner=owner, due_on=due_on
        )

    with pytest.raises(ValidationError, match="must work in the visited store"):
        create(world.staff_a2, today)
    with pytest.raises(ValidationError, match="due date is in the past"):
        create(world.colleague_a1, today - timedelta(days=1))
    with pytest.raises(ValidationError, match="Say what will be done"):
        create(world.colleague_a1, today, title=" ")
    action = create(world.colleague_a1, today)

    assert (action.status, action.owner, action.created_by) == (
        ActionStatus.OPEN,
        world.colleague_a1,
        _manager(world),
    )
    assert visit.events.get(kind=VisitEventKind.ACTION_OPENED).payload == {
        "action": action.pk,
        "title": "Инструктаж",
        "status": "open",
    }
    assert CorrectiveAction.objects.count() == 1


def test_an_action_is_done_with_a_photo_and_verified_by_someone_else(world, media):
    action = _action(world)
    owner, manager = world.colleague_a1, _manager(world)
    with pytest.raises(ValidationError, match="Add a photo"):
        action_done(actor=owner, action=action, comment="Провели", photo=None)

    done = action_done(actor=owner, action=action, comment=" Провели ", photo=jpeg_upload())

    assert (done.status, done.done_by, done.done_comment) == (ActionStatus.DONE, owner, "Провели")
    with Image.open(done.photo.path) as photo:
        assert photo.format == "JPEG" and not photo.getexif()
    with pytest.raises(ValidationError, match="Someone else verifies"):
        action_verify(actor=owner, action=action, accept=True)
    with pytest.raises(ValidationError, match="Say why"):
        action_verify(actor=manager, action=action, accept=False)
    reopened = action_verify(actor=manager, action=action, accept=False, comment="Нет фото стойки")
    assert (reopened.status, reopened.verified_by) == (ActionStatus.OPEN, None)
    action_done(actor=owner, action=action, comment="Переделали", photo=jpeg_upload())
    verified = action_verify(actor=manager, action=action, accept=True)

    assert (verified.status, verified.verified_by) == (ActionStatus.VERIFIED, manager)
    kinds = list(action.visit.events.filter(kind__startswith="action").values_list("kind", "actor"))
    assert kinds == [
        (VisitEventKind.ACTION_OPENED, manager.pk),
        (VisitEventKind.ACTION_DONE, owner.pk),
        (VisitEventKind.ACTION_REOPENED, manager.pk),
        (VisitEventKind.ACTION_DONE, owner.pk),
        (VisitEventKind.ACTION_VERIFIED, manager.pk),
    ]


def test_an_overdue_action_reminds_its_owner_once_per_step(world, media):
    action = _action(world, due_in=0)
    due = action.due_on
    finished = _action(world, due_in=0, owner=world.people[Role.STORE_STAFF], visit=action.visit)
    action_done(actor=finished.owner, action=finished, comment="Готово", photo=jpeg_upload())

    assert actions_remind(today=due - timedelta(days=1)) == 0
    assert actions_remind(today=due) == 1  # due today
    assert actions_remind(today=due) == 0  # the same day again
    assert actions_remind(today=due + timedelta(days=1)) == 0  # still the first step
    assert actions_remind(today=due + timedelta(days=3)) == 1
    assert actions_remind(today=due + timedelta(days=8)) == 1  # a week late: the last step

    reminders = Notification.objects.filter(key__startswith="audits.action.")
    assert [(n.recipient, n.key, n.step) for n in reminders.order_by("step")] == [
        (world.colleague_a1, f"audits.action.{action.pk}", step) for step in (0, 1, 2)
    ]
    assert "Провести инструктаж кассиров" in reminders.first().title


# Who sees which visits


def test_stores_see_their_published_visits_auditors_their_own_and_hq_all(world):
    x, y = world.people[Role.AUDITOR], person(Role.AUDITOR)
    published_a1 = visit_published(world)
    submitted_a1 = visit_submitted(world, auditor=y)
    draft_a1 = visit_assigned(world, auditor=x)
    answer_everything(draft_a1)
    assigned_a1 = visit_assigned(world, auditor=y)
    planned_a1 = visit_planned(world.store_a1, draft_a1.checklist)
    published_a2 = visit_published(world, store=world.store_a2)
    published_b1 = visit_published(world, store=world.store_b1)

    def sees(user) -> set:
        return set(visits_visible_to(user=user))

    for store_side in (_manager(world), world.colleague_a1):
        assert sees(store_side) == {published_a1}
    assert sees(world.people[Role.REGIONAL_MANAGER]) == {published_a1, published_a2}
    assert sees(world.manager_b) == {published_b1}
    assert sees(world.staff_a2) == {published_a2}
    assert sees(x) == {published_a1, draft_a1, published_a2, published_b1}
    assert sees(y) == {submitted_a1, assigned_a1}
    assert sees(person(Role.AUDITOR)) == set()
    assert sees(world.people[Role.CALL_CENTER_AGENT]) == set()
    assert sees(world.people[Role.CALL_CENTER_SUPERVISOR]) == set()
    assert sees(_lp(world)) == set(Visit.objects.all())
    assert len(sees(_lp(world))) == 7 and planned_a1 in sees(_lp(world))
    with pytest.raises(Http404):
        visit_get_visible(user=_manager(world), pk=submitted_a1.pk)
