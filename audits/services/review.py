"""Reviewing a submitted visit (an LP manager approves and publishes it, or returns it to
its auditor with comments) and correcting a published one (a reason, always, and the
history of the answer and the score)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.choices import VisitEventKind, VisitStatus
from audits.facts import audit_facts_refresh
from audits.models import Visit, VisitAnswer, VisitEvent
from audits.scoring import Answer, AnswerError, rescored
from audits.selectors import checklist_spec
from audits.services.filing import pos_flags, result_of, stored_answers
from audits.services.planning import recheck_schedule
from portal.events.services import event_record
from portal.org.models import User


def _locked(visit: Visit, *status: str) -> Visit:
    locked = Visit.objects.select_for_update().get(pk=visit.pk)
    if locked.status not in status:
        raise ValidationError(
            _("The visit is «%(status)s»: it cannot be changed that way now.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _not_own(visit: Visit, actor: User) -> None:
    if visit.auditor_id == actor.pk:
        raise ValidationError(_("Nobody reviews or corrects their own visit."))


@transaction.atomic
def visit_return(*, actor: User, visit: Visit, comment: str) -> Visit:
    """Back to the auditor for correction, with what to correct."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say what the auditor should correct."))
    visit = _locked(visit, VisitStatus.SUBMITTED)
    _not_own(visit, actor)
    visit.status = VisitStatus.RETURNED
    visit.save(update_fields=["status"])
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.RETURNED,
        actor=actor,
        payload={"status": [VisitStatus.SUBMITTED, VisitStatus.RETURNED]},
        reason=comment,
    )
    return visit


@transaction.atomic
def visit_publish(
    *,
    actor: User,
    visit: Visit,
    comment: str = "",
    announce: bool = True,
    follow_up: bool = True,
) -> Visit:
    """Approve and publish: the store sees the report from now on (under the shopper's
    pseudonym), its managers are told, the store's staff are asked to re-read the SOPs
    its failed questions check and to retest their topics (`announce` and `follow_up`
    off: history loaded afterwards, such as the demo's past year), and a failed visit
    gets its re-check."""
    visit = _locked(visit, VisitStatus.SUBMITTED)
    _not_own(visit, actor)
    visit.status, visit.published_at = VisitStatus.PUBLISHED, timezone.now()
    visit.save(update_fields=["status", "published_at"])
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.PUBLISHED,
        actor=actor,
        payload={"status": [VisitStatus.SUBMITTED, VisitStatus.PUBLISHED], "score": visit.score},
        reason=comment.strip(),
    )
    recheck_schedule(visit=visit, actor=actor)
    audit_facts_refresh(visit=visit)
    if follow_up:
        from audits.services.loop import visit_follow_up

        visit_follow_up(visit=visit)
    if announce:
        from audits.services.loop import visit_published_effects

        visit_published_effects(visit=visit)
    return visit


def answer_correct(
    *, visit: Visit, key: str, value: str, na: bool, actor: User, kind: str, reason: str
) -> dict:
    """Change one stored answer and rescore the visit from scratch (the caller holds the
    visit's lock); records `kind` with the answer's and the score's before and after."""
    spec = checklist_spec(version=visit.version)
    question = spec.questions().get(key)
    if question is None:
        raise ValidationError(_("Question %(key)s is not in this checklist.") % {"key": key})
    answers = stored_answers(visit)
    correction = Answer(value.strip() or None, na)
    if question.scored and not na and correction.value is None:
        # An empty answer would leave the question out of the score altogether.
        raise ValidationError(
            _("«%(q)s»: give the corrected answer (or N/A).") % {"q": question.text}
        )
    try:
        score = rescored(spec, answers, {key: correction})
    except AnswerError as error:
        raise ValidationError(str(error)) from None
    answer = VisitAnswer.objects.filter(visit=visit, question__key=key).first()
    if answer is None:
        question_row = visit.version.questions.get(key=key)
        answer = VisitAnswer(visit=visit, question=question_row, answered_at=timezone.now())
    before = {"value": answer.value, "na": answer.na, "score": visit.score, "passed": visit.passed}
    answer.value, answer.na = correction.value or "", correction.na
    answer.saved_at = timezone.now()
    answer.save()
    visit.score, visit.passed = score.score, score.passed
    # The receipt's flags follow the corrected answer (one it contradicted may agree now).
    visit.result = {**result_of(score), "flags": pos_flags(visit)}
    visit.save(update_fields=["score", "passed", "result"])
    audit_facts_refresh(visit=visit)
    recheck_schedule(visit=visit, actor=actor)  # scheduled, or cancelled, as it now stands
    after = {"value": answer.value, "na": answer.na, "score": visit.score, "passed": visit.passed}
    event_record(
        VisitEvent,
        visit=visit,
        kind=kind,
        actor=actor,
        payload={"question": key, "before": before, "after": after},
        reason=reason,
    )
    return after


@transaction.atomic
def visit_correct(
    *, actor: User, visit: Visit, key: str, value: str, na: bool = False, reason: str
) -> Visit:
    """Correct an answer of a published report (an LP manager; never the visit's own
    auditor): the reason is required; the answer's and the score's history stay."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("A correction of a published report needs a reason."))
    visit = _locked(visit, VisitStatus.PUBLISHED)
    _not_own(visit, actor)
    answer_correct(
        visit=visit,
        key=key,
        value=value,
        na=na,
        actor=actor,
        kind=VisitEventKind.CORRECTED,
        reason=reason,
    )
    return visit
