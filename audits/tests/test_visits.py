"""Visits: planned (launch, plan, assignment), filled in, submitted, checked against the POS."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from PIL import Image

from audits.choices import ReceiptCheck, VisitEventKind, VisitReason, VisitStatus
from audits.models import Checklist, Visit, VisitAnswer, VisitPhoto, VisitPlan
from audits.scoring import visit_score
from audits.selectors import checklist_spec
from audits.services import checklist_publish, filing, planning
from audits.services.filing import AnswerInput, answers_save, photo_add, visit_submit
from audits.services.planning import launch_visits_schedule
from audits.tests.factories import (
    answer_everything,
    checklist,
    jpeg_upload,
    png_bomb,
    published_checklist,
    question,
    question_keys,
    receipts_load,
    section,
    visit_assigned,
    visit_details,
    visit_filed_yesterday,
    visit_planned,
    visit_submitted,
    yesterday_at,
)
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import StoreFactory, person

pytestmark = pytest.mark.django_db
OFFERED, PHONE = "Кассир предложил карту лояльности", "Кассир спросил номер телефона"
POLITE, HOW, WAIT = "Вежливость кассира", "Как кассир предложил вступить", "Ожидание в очереди, мин"


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


# Planning


def test_each_launched_store_gets_one_visit_two_days_after_its_launch_once(world):
    Store.objects.filter(pk=world.store_b1.pk).update(is_active=False)
    checklist(author=_lp(world))  # a draft: nothing to file against
    assert launch_visits_schedule() == 0 and not Visit.objects.exists()
    published_checklist(author=_lp(world))

    assert launch_visits_schedule() == 2
    assert launch_visits_schedule() == 0

    visits = Visit.objects.order_by("store__code")
    assert [(v.store.code, v.reason, v.status, v.not_before, v.due_on) for v in visits] == [
        (code, VisitReason.LAUNCH, VisitStatus.PLANNED, date(2025, 3, 3), date(2025, 3, 5))
        for code in ("A1", "A2")  # the stores launched on 1 March 2025
    ]
    assert all(v.events.get().kind == VisitEventKind.SCHEDULED for v in visits)


def test_a_moved_launch_date_moves_a_visit_not_started_and_a_cleared_one_cancels_it(world):
    published_checklist(author=_lp(world))
    launch_visits_schedule()
    started = Visit.objects.get(store=world.store_b1)
    auditor = world.people[Role.AUDITOR]
    answer_everything(planning.visit_assign(actor=_lp(world), visit=started, auditor=auditor))
    Store.objects.filter(pk=world.store_a1.pk).update(lp_launch_date=date(2025, 4, 10))
    Store.objects.filter(pk=world.store_a2.pk).update(lp_launch_date=None)
    Store.objects.filter(pk=world.store_b1.pk).update(lp_launch_date=date(2025, 5, 1))

    assert launch_visits_schedule() == 2
    assert launch_visits_schedule() == 0

    moved = Visit.objects.get(store=world.store_a1)
    assert (moved.not_before, moved.due_on) == (date(2025, 4, 12), date(2025, 4, 14))
    assert moved.events.get(kind=VisitEventKind.RESCHEDULED).payload == {
        "window": [["2025-03-03", "2025-03-05"], ["2025-04-12", "2025-04-14"]]
    }
    cancelled = Visit.objects.get(store=world.store_a2)
    assert cancelled.status == VisitStatus.CANCELLED
    assert cancelled.events.get(kind=VisitEventKind.CANCELLED).payload == {
        "status": ["planned", "cancelled"]
    }
    started.refresh_from_db()  # being filled in: stays where it was
    assert (started.status, started.not_before) == (VisitStatus.DRAFT, date(2025, 3, 3))
    assert not started.events.filter(kind=VisitEventKind.RESCHEDULED).exists()


def test_a_plan_spreads_its_visits_over_the_month_in_every_open_store_of_the_region(world):
    StoreFactory(code="A3", region=world.region_a, is_active=False)
    lp = _lp(world)
    made, month = published_checklist(author=lp), date(2026, 2, 17)

    plan = planning.plan_create(
        actor=lp, checklist=made, month=month, region=world.region_a, visits_per_store=2
    )

    visits = plan.visits.order_by("store__code", "not_before")
    assert [(v.store.code, v.not_before.day, v.due_on.day) for v in visits] == [
        ("A1", 1, 14),
        ("A1", 15, 28),
        ("A2", 1, 14),
        ("A2", 15, 28),  # fmt: skip
    ]
    assert {(v.reason, v.status, v.auditor, v.due_on.month) for v in visits} == {
        (VisitReason.PLAN, VisitStatus.PLANNED, None, 2)
    }
    assert plan.month == date(2026, 2, 1)
    with pytest.raises(ValidationError, match="already planned"):
        planning.plan_create(actor=lp, checklist=made, month=month, region=world.region_a)
    with pytest.raises(ValidationError, match="Publish the checklist"):
        planning.plan_create(actor=lp, checklist=checklist(author=lp), month=month)
    assert VisitPlan.objects.count() == 1 and Visit.objects.count() == 4


def test_an_auditor_is_assigned_but_never_twice_in_a_row_to_a_store(world):
    lp, auditor, other = _lp(world), world.people[Role.AUDITOR], person(Role.AUDITOR)
    first = visit_assigned(world)
    later = visit_planned(world.store_a1, first.checklist, first=8, last=14)

    with pytest.raises(ValidationError, match="not an active auditor"):
        planning.visit_assign(actor=lp, visit=later, auditor=world.people[Role.STORE_MANAGER])
    with pytest.raises(ValidationError, match="before or after this one"):
        planning.visit_assign(actor=lp, visit=later, auditor=auditor)
    assigned = planning.visit_assign(actor=lp, visit=later, auditor=other)
    # Nor the store's visit before one of theirs, assigned afterwards.
    earlier = visit_planned(world.store_a1, first.checklist, first=-9, last=-8)
    with pytest.raises(ValidationError, match="before or after this one"):
        planning.visit_assign(actor=lp, visit=earlier, auditor=auditor)

    assert (first.status, first.auditor) == (VisitStatus.ASSIGNED, auditor)
    assert first.events.get(kind=VisitEventKind.ASSIGNED).payload == {"auditor": [None, auditor.pk]}
    assert (assigned.status, assigned.auditor) == (VisitStatus.ASSIGNED, other)
    assert assigned.events.filter(kind=VisitEventKind.ASSIGNED).count() == 1


def test_visits_go_to_the_least_busy_auditor_who_was_not_there_last(world):
    x, y = world.people[Role.AUDITOR], person(Role.AUDITOR)
    made = visit_assigned(world, store=world.store_b1, auditor=x).checklist  # x holds one
    stores = (world.store_a1, world.store_a2, world.store_b1)
    visits = [visit_planned(store, made, last=20) for store in stores]

    done = planning.visits_assign_evenly(actor=_lp(world), visits=visits, auditors=[x, y])

    assert [v.auditor for v in done] == [y, x, y]  # at B1: y, as x made its previous visit


# Filling in


def test_the_first_answers_start_the_visit_on_the_latest_version(world):
    visit = visit_assigned(world)
    version = visit.checklist.versions.get()
    keys = dict(version.questions.values_list("text", "key"))
    items = [AnswerInput(keys[PHONE], "no", comment="Не спросил"), AnswerInput(keys[POLITE], "3")]

    written = answers_save(auditor=visit.auditor, visit=visit, items=items)

    visit.refresh_from_db()
    assert (written, visit.status, visit.version) == (2, VisitStatus.DRAFT, version)
    assert visit.events.get(kind=VisitEventKind.STARTED).payload == {"version": 1}
    assert set(visit.answers.values_list("question__text", "value", "comment")) == {
        (PHONE, "no", "Не спросил"),
        (POLITE, "3", ""),
    }


@pytest.mark.parametrize(
    ("text", "value", "na", "named"),
    [
        (OFFERED, "maybe", False, f"«{OFFERED}»: answer yes or no."),
        (WAIT, "", True, f"«{WAIT}» cannot be answered N/A."),
        (HOW, "Иначе", False, f"«{HOW}»: choose one of the options."),
        (None, "yes", False, "Question no-such-key is not in this checklist."),
    ],
)
def test_a_batch_with_one_bad_answer_is_refused_naming_it_and_nothing_is_written(
    world, text, value, na, named
):
    visit = visit_assigned(world)
    keys = dict(visit.checklist.versions.get().questions.values_list("text", "key"))
    items = [AnswerInput(keys[PHONE], "yes"), AnswerInput(keys.get(text, "no-such-key"), value, na)]

    with pytest.raises(ValidationError) as refused:
        answers_save(auditor=visit.auditor, visit=visit, items=items)

    assert refused.value.messages == [named]
    visit.refresh_from_db()
    assert (visit.status, visit.version) == (VisitStatus.ASSIGNED, None)
    assert not VisitAnswer.objects.exists()
    assert not visit.events.filter(kind=VisitEventKind.STARTED).exists()


def test_an_answer_kept_offline_never_overwrites_a_newer_one(world):
    visit = filing.visit_start(auditor=world.people[Role.AUDITOR], visit=visit_assigned(world))
    key, now = question_keys(visit)[PHONE], timezone.now()

    def save(*items):
        return answers_save(auditor=visit.auditor, visit=visit, items=items)

    assert save(AnswerInput(key, "yes", at=now - timedelta(minutes=1))) == 1
    assert save(AnswerInput(key, "no", at=now - timedelta(minutes=10))) == 0  # arrived late
    assert VisitAnswer.objects.get().value == "yes"
    # The newest of a batch wins, and replaces an older stored answer.
    older = AnswerInput(key, "yes", at=now - timedelta(seconds=30))
    assert save(AnswerInput(key, "no", at=now), older) == 1
    assert VisitAnswer.objects.values_list("value", "answered_at").get() == ("no", now)


def test_answers_parse_reads_a_phones_batch():
    first, second = filing.answers_parse(
        [
            {"question": "k1", "value": " yes ", "comment": " ok ", "at": "2026-01-10T10:00:00"},
            {"question": "k2", "na": True},
        ]
    )

    at = timezone.make_aware(datetime(2026, 1, 10, 10, 0))
    assert (first, second) == (
        AnswerInput("k1", "yes", False, "ok", at),
        AnswerInput("k2", na=True),
    )


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ({"question": "k1"}, "Send a list of answers."),
        ([{"question": "k1"}, "yes"], "Answer 2: no question."),
        ([{"value": "yes"}], "Answer 1: no question."),
        ([{"question": "k"}, {"question": "k", "value": 3}], "Answer 2: the answer must be text."),
        ([{"question": "k1", "at": "yesterday"}], "Answer 1: «at» is not a time."),
        ([{"question": "k1", "at": "2026-02-30T10:00:00"}], "Answer 1: «at» is not a time."),
        ([{"question": "k1", "na": "false"}], "Answer 1: «na» must be true or false."),
        ([{"question": "k1"}] * 201, "At most 200 answers at a time."),
    ],
)
def test_answers_parse_refuses_a_malformed_batch_naming_the_item(items, message):
    with pytest.raises(ValidationError) as refused:
        filing.answers_parse(items)

    assert refused.value.messages == [message]


def test_a_visit_is_changed_by_its_auditor_only_and_only_until_submitted(world, media):
    visit = visit_assigned(world)
    submitted = visit_submitted(world, store=world.store_a2)
    key, auditor = question_keys(submitted)[PHONE], submitted.auditor

    with pytest.raises(ValidationError):
        answers_save(auditor=person(Role.AUDITOR), visit=visit, items=[])
    for change in (
        lambda: answers_save(auditor=auditor, visit=submitted, items=[AnswerInput(key, "no")]),
        lambda: visit_details(submitted, receipt_number="R-2"),
        lambda: photo_add(auditor=auditor, visit=submitted, upload=jpeg_upload()),
    ):
        with pytest.raises(ValidationError, match="can no longer be changed"):
            change()

    submitted.refresh_from_db()
    assert (submitted.status, submitted.receipt_number) == (VisitStatus.SUBMITTED, "R-1")
    assert submitted.answers.get(question__key=key).value == "yes"
    assert not VisitPhoto.objects.exists() and not list(media.rglob("*.*"))


# Photos


def test_a_photo_is_stored_as_a_jpeg_without_its_exif_and_gps(world, media):
    visit = visit_assigned(world)

    photo = photo_add(auditor=visit.auditor, visit=visit, upload=jpeg_upload((4000, 3000)))

    with Image.open(photo.file.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (2560, 1920))
        assert 0x8825 not in stored.getexif() and not stored.getexif()
    assert (photo.width, photo.height, photo.size) == (2560, 1920, photo.file.size)
    assert photo.file.path.startswith(str(media / "audits" / "visits" / str(visit.pk)))
    assert (photo.question, photo.uploaded_by) == (None, visit.auditor)


@pytest.mark.parametrize(
    ("upload", "problem"),
    [
        (lambda: SimpleUploadedFile("notes.jpg", b"not a photo"), "notes.jpg is not a photo"),
        (lambda: SimpleUploadedFile("big.jpg", b"\xff" * (10 * 2**20 + 1)), "at most 10 MB"),
        (png_bomb, "bomb.png has more than 40 megapixels"),
    ],
    ids=["text", "oversized", "image-bomb"],
)
def test_what_is_not_a_sane_photo_is_refused_and_nothing_is_stored(world, media, upload, problem):
    visit = visit_assigned(world)

    with pytest.raises(ValidationError, match=problem):
        photo_add(auditor=visit.auditor, visit=visit, upload=upload())

    assert not VisitPhoto.objects.exists()
    assert not [path for path in media.rglob("*") if path.is_file()]


# Submission

SHELF, SHELF_PHOTO = "Ценники на месте", "Фото витрины"
EVIDENCE = [
    section(
        "Витрина",
        question(SHELF, photo_when_failed=True),
        question(POLITE, "scale"),
        question(SHELF_PHOTO, "photo"),
    )
]


def test_submission_is_refused_naming_everything_missing_until_it_is_given(world, media):
    visit = visit_assigned(world, sections=EVIDENCE)
    answer_everything(visit, {SHELF: "no", POLITE: "", SHELF_PHOTO: ""})

    with pytest.raises(ValidationError) as refused:
        visit_submit(auditor=visit.auditor, visit=visit)

    assert refused.value.messages == [
        f"«{POLITE}» is not answered.",
        f"«{SHELF}» failed: a photo is required.",
        f"«{SHELF_PHOTO}»: add the photo.",
        "Give the times you entered and left the store.",
        "Give your purchase as the proof of the visit: the receipt number, or its time and amount.",
    ]
    visit.refresh_from_db()
    assert (visit.status, visit.score, visit.submitted_at) == (VisitStatus.DRAFT, None, None)
    keys = question_keys(visit)
    for text in (SHELF, SHELF_PHOTO):
        photo_add(auditor=visit.auditor, visit=visit, upload=jpeg_upload(), question_key=keys[text])
    answers_save(auditor=visit.auditor, visit=visit, items=[AnswerInput(keys[POLITE], "2")])
    visit_details(visit)

    assert visit_submit(auditor=visit.auditor, visit=visit).status == VisitStatus.SUBMITTED


def test_a_submitted_visit_keeps_exactly_the_score_the_engine_gives(world):
    visit = visit_assigned(world)
    answers = answer_everything(visit, {PHONE: "no", POLITE: "1"})
    visit_details(visit)

    submitted = visit_submit(auditor=visit.auditor, visit=visit)

    expected = visit_score(checklist_spec(version=submitted.version), answers)
    stored = Visit.objects.get(pk=visit.pk)
    # 2 + 0 + 0.25 + 1 + 1 of 6 points; the phone question is critical to the visit.
    assert (stored.score, stored.passed) == (expected.score, expected.passed)
    assert (expected.score, expected.passed) == (Decimal("70.8"), False)
    assert stored.result == {**filing.result_of(expected), "flags": []}
    assert (stored.status, stored.submitted_at is not None) == (VisitStatus.SUBMITTED, True)
    assert stored.events.get(kind=VisitEventKind.SUBMITTED).payload == {
        "status": ["draft", "submitted"],
        "score": "70.8",
        "passed": False,
    }
    # What the service returns is the visit as stored, its receipt looked up.
    assert (submitted.receipt_check, submitted.result) == (ReceiptCheck.NOT_LOADED, stored.result)


# The receipt in the POS data


def _pos(visit: Visit) -> tuple:
    return (visit.receipt_check, visit.pos_receipt, visit.pos_identified)


@pytest.mark.parametrize(
    ("number", "at", "amount", "found"),
    [
        ("{day}-0", None, None, (ReceiptCheck.FOUND, "{day}-0", True, "number")),
        ("{day}-1", (10, 0), None, (ReceiptCheck.FOUND, "{day}-1", False, "number")),
        ("", (10, 2), Decimal("1000.00"), (ReceiptCheck.FOUND, "{day}-2", False, "amount")),
        ("NO-SUCH", (10, 0), Decimal("777.00"), (ReceiptCheck.NOT_FOUND, "", None, "")),
    ],
    ids=["number-with-card", "number-without-card", "amount-near-its-time", "not-found"],
)
def test_the_receipt_is_looked_up_in_the_stores_pos_data(
    world, django_capture_on_commit_callbacks, number, at, amount, found
):
    day = timezone.localdate() - timedelta(days=1)
    receipts_load(django_capture_on_commit_callbacks, world.store_a1, day, receipts=3)
    stamp = f"{day:%y%m%d}"

    visit = visit_filed_yesterday(
        world, number=number.format(day=stamp), at=at and yesterday_at(*at), amount=amount
    )

    status, receipt, identified, by = found
    assert _pos(visit) == (status, receipt.format(day=stamp), identified)
    event = visit.events.get(kind=VisitEventKind.RECEIPT_CHECKED)
    assert (event.payload["receipt_check"], event.payload["by"]) == (["pending", status], by)


@pytest.mark.parametrize("with_time", [True, False], ids=["number-and-time", "number-only"])
def test_a_receipt_of_a_day_not_loaded_is_found_by_the_nightly_recheck(
    world, django_capture_on_commit_callbacks, with_time
):
    day = timezone.localdate() - timedelta(days=1)
    number = f"{day:%y%m%d}-0"
    visit = visit_filed_yesterday(
        world, number=number, at=yesterday_at(10, 0) if with_time else None
    )
    assert visit.receipt_check == ReceiptCheck.NOT_LOADED
    assert filing.visits_receipt_recheck() == 0

    receipts_load(django_capture_on_commit_callbacks, world.store_a1, day)

    assert filing.visits_receipt_recheck() == 1
    assert filing.visits_receipt_recheck() == 0
    visit.refresh_from_db()
    assert _pos(visit) == (ReceiptCheck.FOUND, number, True)


SCAN = "Кассир отсканировал карту"
TILL = [section("Касса", question(SCAN, pos_fact="identified"), question("Кассир поздоровался"))]


@pytest.mark.parametrize(("said", "flagged"), [("yes", True), ("no", False)])
def test_an_answer_the_receipt_contradicts_is_flagged(
    world, django_capture_on_commit_callbacks, said, flagged
):
    day = timezone.localdate() - timedelta(days=1)
    receipts_load(django_capture_on_commit_callbacks, world.store_a1, day, identified=1)

    visit = visit_filed_yesterday(
        world, number=f"{day:%y%m%d}-1", sections=TILL, answers={SCAN: said}
    )

    assert (visit.receipt_check, visit.pos_identified) == (ReceiptCheck.FOUND, False)
    flagged_keys = [flag["question"] for flag in visit.result["flags"]]
    assert flagged_keys == ([question_keys(visit)[SCAN]] if flagged else [])


def test_a_template_edit_after_filing_changes_no_stored_score(world):
    filed = visit_submitted(world, {PHONE: "no"})
    fields = ("version", "score", "passed", "result", "status")
    before = Visit.objects.values(*fields).get(pk=filed.pk)
    edited = Checklist.objects.get(pk=filed.checklist_id)
    data = edited.sections.raw_data
    data[0]["value"]["questions"][0]["value"]["weight"] = "10"
    data[0]["value"]["questions"][1]["value"]["critical"] = ""  # the phone: no longer critical
    edited.sections = data
    edited.save()
    checklist_publish(actor=_lp(world), checklist=edited)

    assert Visit.objects.values(*fields).get(pk=filed.pk) == before
    assert (filed.version.number, before["passed"]) == (1, False)
    assert set(filed.answers.values_list("question__version", flat=True)) == {filed.version_id}
    again = visit_submitted(world, {PHONE: "no"}, store=world.store_a2)
    assert (again.version.number, again.passed) == (2, True)
    assert again.score == Decimal("92.9") != filed.score  # 13 of 14 points
