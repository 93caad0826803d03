"""Filling a visit in: answers saved as they are given (one at a time, or a batch the
phone kept while offline), photos, the visit's times and the shopper's purchase, then
submission: scored, frozen, and the receipt looked up in the store's POS data."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from audits.choices import (
    PosFact,
    QuestionKind,
    ReceiptCheck,
    VisitEventKind,
    VisitStatus,
)
from audits.models import ChecklistQuestion, Visit, VisitAnswer, VisitEvent, VisitPhoto
from audits.scoring import FAIL_BELOW, Answer, AnswerError, answers_check, fraction, visit_score
from audits.selectors import checklist_latest_version, checklist_spec
from kpi.selectors import receipt_lookup
from portal.events.services import event_record
from portal.files.images import image_clean
from portal.org.models import User

EDITABLE = (VisitStatus.ASSIGNED, VisitStatus.DRAFT, VisitStatus.RETURNED)
CLOCK_SKEW = timedelta(minutes=10)  # a phone's clock a little ahead is not "the future"
MAX_TEXT = 2000
MAX_BATCH = 200
MAX_PHOTOS = 40


@dataclass(frozen=True)
class AnswerInput:
    question: str  # the question's key
    value: str = ""
    na: bool = False
    comment: str = ""
    at: datetime | None = None  # when it was answered, by the phone's clock


def _editable(visit: Visit, auditor: User) -> Visit:
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.auditor_id != auditor.pk:
        raise ValidationError(_("This visit is assigned to another auditor."))
    if locked.status not in EDITABLE:
        raise ValidationError(_("This visit can no longer be changed: it has been submitted."))
    return locked


def _start(visit: Visit, auditor: User) -> None:
    """The first answer starts the visit: it takes the checklist's latest version, which
    it keeps whatever is published later."""
    if visit.status != VisitStatus.ASSIGNED:
        return
    version = checklist_latest_version(checklist=visit.checklist)
    if version is None:
        raise ValidationError(_("The checklist has no published version."))
    visit.version, visit.status = version, VisitStatus.DRAFT
    visit.save(update_fields=["version", "status"])
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.STARTED,
        actor=auditor,
        payload={"version": version.number},
    )


@transaction.atomic
def visit_start(*, auditor: User, visit: Visit) -> Visit:
    visit = _editable(visit, auditor)
    _start(visit, auditor)
    return visit


def answers_parse(items: object) -> list[AnswerInput]:
    """The JSON a phone sends (`[{"question", "value", "na", "comment", "at"}]`) as
    inputs; `ValidationError` naming the item and field for anything else."""
    if not isinstance(items, list):
        raise ValidationError(_("Send a list of answers."))
    if len(items) > MAX_BATCH:
        raise ValidationError(_("At most %(n)s answers at a time.") % {"n": MAX_BATCH})
    parsed = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise ValidationError(_("Answer %(n)s: no question.") % {"n": number})
        value, comment, at = item.get("value", ""), item.get("comment", ""), item.get("at")
        if not isinstance(value, str) or not isinstance(comment, str):
            raise ValidationError(_("Answer %(n)s: the answer must be text.") % {"n": number})
        try:
            when = parse_datetime(at) if isinstance(at, str) else None
        except ValueError:  # well formed, but no such time (30 February)
            when = None
        if at is not None and when is None:
            raise ValidationError(_("Answer %(n)s: «at» is not a time.") % {"n": number})
        na = item.get("na", False)
        if na is not None and not isinstance(na, bool):  # "false" is not False
            raise ValidationError(_("Answer %(n)s: «na» must be true or false.") % {"n": number})
        if when is not None and timezone.is_naive(when):
            when = timezone.make_aware(when)
        parsed.append(
            AnswerInput(
                question=item["question"],
                value=value.strip(),
                na=bool(na),
                comment=comment.strip(),
                at=when,
            )
        )
    return parsed


def _check_answer(question: ChecklistQuestion, spec_question, item: AnswerInput) -> None:
    if len(item.value) > MAX_TEXT or len(item.comment) > MAX_TEXT:
        raise ValidationError(
            _("«%(q)s»: at most %(n)s characters.") % {"q": question.text, "n": MAX_TEXT}
        )
    if item.na and not question.allow_na:
        raise ValidationError(_("«%(q)s» cannot be answered N/A.") % {"q": question.text})
    try:
        fraction(spec_question, Answer(item.value or None, item.na))
    except AnswerError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def answers_save(*, auditor: User, visit: Visit, items: Iterable[AnswerInput]) -> int:
    """Save the answers (all or none: a bad one is named and nothing is written). An
    answer older, by the phone's clock, than the one stored is skipped: a batch kept
    offline never overwrites what was given since. Returns the answers written."""
    visit = _editable(visit, auditor)
    _start(visit, auditor)
    questions = {q.key: q for q in visit.version.questions.all()}
    spec = checklist_spec(version=visit.version).questions()
    now = timezone.now()
    latest: dict[str, AnswerInput] = {}
    for item in items:
        question = questions.get(item.question)
        if question is None:
            raise ValidationError(
                _("Question %(key)s is not in this checklist.") % {"key": item.question}
            )
        _check_answer(question, spec[item.question], item)
        at = min(item.at or now, now + CLOCK_SKEW)
        item = AnswerInput(item.question, item.value, item.na, item.comment, at)
        if item.question not in latest or latest[item.question].at <= at:
            latest[item.question] = item
    stored = {
        a.question.key: a
        for a in visit.answers.select_related("question").filter(question__key__in=list(latest))
    }
    new, changed = [], []
    for key, item in latest.items():
        answer = stored.get(key)
        if answer is not None and answer.answered_at > item.at:
            continue
        if answer is None:
            answer = VisitAnswer(visit=visit, question=questions[key])
            new.append(answer)
        else:
            changed.append(answer)
        answer.value, answer.na, answer.comment = item.value, item.na, item.comment
        answer.answered_at, answer.saved_at = item.at, now
    # A whole batch (the phone back online) in two statements, not one per answer.
    VisitAnswer.objects.bulk_create(new)
    VisitAnswer.objects.bulk_update(
        changed, ["value", "na", "comment", "answered_at", "saved_at"], batch_size=200
    )
    return len(new) + len(changed)


@transaction.atomic
def visit_details_save(
    *,
    auditor: User,
    visit: Visit,
    started_at: datetime | None,
    ended_at: datetime | None,
    observations: str,
    receipt_number: str,
    receipt_at: datetime | None,
    receipt_amount: Decimal | None,
    reimbursement: Decimal | None,
) -> Visit:
    """The visit's times, observations and the shopper's purchase (the proof of the visit
    and what is reimbursed: the purchase amount unless given otherwise)."""
    visit = _editable(visit, auditor)
    _start(visit, auditor)
    visit.started_at, visit.ended_at = started_at, ended_at
    visit.observations = observations.strip()
    visit.receipt_number = receipt_number.strip()
    visit.receipt_at, visit.receipt_amount = receipt_at, receipt_amount
    visit.reimbursement = reimbursement if reimbursement is not None else receipt_amount
    visit.save(
        update_fields=[
            "started_at",
            "ended_at",
            "observations",
            "receipt_number",
            "receipt_at",
            "receipt_amount",
            "reimbursement",
        ]
    )
    return visit


@transaction.atomic
def photo_add(*, auditor: User, visit: Visit, upload, question_key: str = "") -> VisitPhoto:
    """A photo of the visit (of one question, or of the visit as a whole): checked by its
    content, re-encoded without EXIF/GPS, stored privately. Refused with the reason, and
    nothing stored, when it is not a photo, too large or has too many pixels."""
    visit = _editable(visit, auditor)
    _start(visit, auditor)
    question = None
    if question_key:
        question = visit.version.questions.filter(key=question_key).first()
        if question is None:
            raise ValidationError(
                _("Question %(key)s is not in this checklist.") % {"key": question_key}
            )
    if visit.photos.count() >= MAX_PHOTOS:
        raise ValidationError(_("A visit may have at most %(n)s photos.") % {"n": MAX_PHOTOS})
    clean = image_clean(upload)
    photo = VisitPhoto(
        visit=visit,
        question=question,
        width=clean.width,
        height=clean.height,
        size=len(clean.content),
        uploaded_by=auditor,
    )
    photo.file.save(f"{timezone.now():%Y%m%d%H%M%S%f}.jpg", ContentFile(clean.content), save=False)
    photo.save()
    return photo


@transaction.atomic
def photo_delete(*, auditor: User, photo: VisitPhoto) -> None:
    _editable(photo.visit, auditor)
    name = photo.file.name
    storage = photo.file.storage
    photo.delete()
    transaction.on_commit(lambda: storage.delete(name))


def stored_answers(visit: Visit) -> dict[str, Answer]:
    return {
        key: Answer(value or None, na)
        for key, value, na in visit.answers.values_list("question__key", "value", "na")
    }


def _submission_problems(visit: Visit, spec, answers: Mapping[str, Answer]) -> list[str]:
    problems = answers_check(spec, answers)
    photos = set(visit.photos.values_list("question__key", flat=True))
    for question in visit.version.questions.all():
        answer = answers.get(question.key)
        if (
            question.kind == QuestionKind.PHOTO
            and question.key not in photos
            and not (answer and answer.na)
        ):
            problems.append(_("«%(q)s»: add the photo.") % {"q": question.text})
        spec_question = spec.questions()[question.key]
        if question.photo_when_failed and question.key not in photos:
            try:
                share = fraction(spec_question, answer)
            except AnswerError:
                continue
            if share is not None and share < FAIL_BELOW:
                problems.append(_("«%(q)s» failed: a photo is required.") % {"q": question.text})
    now = timezone.now() + CLOCK_SKEW
    if visit.started_at is None or visit.ended_at is None:
        problems.append(_("Give the times you entered and left the store."))
    elif visit.ended_at < visit.started_at:
        problems.append(_("You left the store before you entered it: check the times."))
    elif visit.ended_at > now:
        problems.append(_("The time you left the store is in the future."))
    if not visit.receipt_number and (visit.receipt_at is None or visit.receipt_amount is None):
        problems.append(
            _(
                "Give your purchase as the proof of the visit: the receipt number, "
                "or its time and amount."
            )
        )
    if visit.receipt_amount is not None and visit.receipt_amount <= 0:
        problems.append(_("The purchase amount must be above zero."))
    return problems


def result_of(score) -> dict:
    """The score as the visit stores it (JSON)."""
    return {
        "score": None if score.score is None else str(score.score),
        "passed": score.passed,
        "sections": [
            {
                "title": s.title,
                "score": None if s.score is None else str(s.score),
                "passed": s.passed,
                "critical_failed": s.critical_failed,
            }
            for s in score.sections
        ],
        "failed": score.failed,
        "reasons": score.reasons,
    }


@transaction.atomic
def visit_submit(*, auditor: User, visit: Visit) -> Visit:
    """Score the answers and freeze the visit for review; look its receipt up in the POS
    data. Refused, naming each problem, while anything required is missing."""
    visit = _editable(visit, auditor)
    if visit.version is None:
        raise ValidationError(_("Answer the questions first."))
    spec = checklist_spec(version=visit.version)
    answers = stored_answers(visit)
    problems = _submission_problems(visit, spec, answers)
    if problems:
        raise ValidationError(problems)
    score = visit_score(spec, answers)
    before = visit.status
    visit.score, visit.passed, visit.result = score.score, score.passed, result_of(score)
    visit.status, visit.submitted_at = VisitStatus.SUBMITTED, timezone.now()
    visit.save(update_fields=["score", "passed", "result", "status", "submitted_at"])
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.SUBMITTED,
        actor=auditor,
        payload={"status": [before, visit.status], "score": score.score, "passed": score.passed},
    )
    return visit_receipt_check(visit=visit)  # the visit as stored, its receipt looked up


def pos_flags(visit: Visit) -> list[dict]:
    """Answers the POS data contradicts: the shopper says the cashier identified the
    purchase (or did not) and the receipt found says otherwise."""
    if visit.receipt_check != ReceiptCheck.FOUND or visit.pos_identified is None:
        return []
    flags = []
    for answer in visit.answers.select_related("question").filter(
        question__pos_fact=PosFact.IDENTIFIED, na=False
    ):
        said = answer.value == "yes"
        if answer.value in ("yes", "no") and said != visit.pos_identified:
            flags.append(
                {
                    "question": answer.question.key,
                    "reason": _(
                        "The shopper answered «%(said)s», but the receipt in the POS data "
                        "is %(pos)s."
                    )
                    % {
                        "said": _("yes") if said else _("no"),
                        "pos": _("identified") if visit.pos_identified else _("not identified"),
                    },
                }
            )
    return flags


@transaction.atomic
def visit_receipt_check(*, visit: Visit) -> Visit:
    """Look the visit's receipt up in the store's POS receipts (by number, else by amount
    near its time) and flag the answers the receipt contradicts. Records the outcome when
    it changed; a receipt not yet loaded is looked up again by the nightly task."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    # A receipt given by its number alone was bought during the visit: the day it entered
    # the store says whether that day's receipts are loaded (without a day, a number not
    # loaded yet would be "not found" for good, never looked up again).
    found = receipt_lookup(
        store_id=visit.store_id,
        number=visit.receipt_number,
        at=visit.receipt_at or visit.started_at,
        amount=visit.receipt_amount if visit.receipt_at else None,
    )
    before = (visit.receipt_check, visit.pos_receipt, visit.pos_identified)
    visit.receipt_check = found.status
    visit.pos_receipt = found.receipt_id
    visit.pos_identified = found.identified
    visit.receipt_checked_at = timezone.now()
    visit.result = {**visit.result, "flags": pos_flags(visit)}
    visit.save(
        update_fields=[
            "receipt_check",
            "pos_receipt",
            "pos_identified",
            "receipt_checked_at",
            "result",
        ]
    )
    if before != (visit.receipt_check, visit.pos_receipt, visit.pos_identified):
        event_record(
            VisitEvent,
            visit=visit,
            kind=VisitEventKind.RECEIPT_CHECKED,
            actor=None,
            payload={
                "receipt_check": [before[0], visit.receipt_check],
                "pos_receipt": visit.pos_receipt,
                "identified": visit.pos_identified,
                "by": found.by,
                "flags": len(visit.result["flags"]),
            },
        )
    return visit


def visits_receipt_recheck() -> int:
    """The nightly pass: visits whose receipt was not loaded yet are looked up again."""
    pending = Visit.objects.filter(
        receipt_check__in=(ReceiptCheck.NOT_LOADED, ReceiptCheck.PENDING),
        status__in=(VisitStatus.SUBMITTED, VisitStatus.PUBLISHED),
    ).values_list("pk", flat=True)
    changed = 0
    for pk in list(pending):
        visit = visit_receipt_check(visit=Visit(pk=pk))
        changed += visit.receipt_check not in (ReceiptCheck.NOT_LOADED, ReceiptCheck.PENDING)
    return changed
