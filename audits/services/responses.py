"""The store's answer to a published report: acknowledge it, appeal an item (an LP manager
decides; an accepted appeal rescores the visit with history), open corrective actions
with an owner, a due date and a photo of the result, verified by someone else."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.choices import ActionStatus, AppealStatus, QuestionKind, VisitEventKind, VisitStatus
from audits.models import Appeal, CorrectiveAction, Visit, VisitEvent
from audits.services.review import _locked, answer_correct
from portal.events.services import event_record
from portal.files.images import image_clean
from portal.notify.services import Message, notify_many
from portal.org.models import User

APPEAL_DAYS = 14  # a report can be appealed for two weeks after its publication
REMINDER_STEPS = (0, 3, 7)  # days overdue at which an action's owner is reminded


@transaction.atomic
def visit_acknowledge(*, actor: User, visit: Visit) -> Visit:
    visit = _locked(visit, VisitStatus.PUBLISHED)
    if visit.acknowledged_at is None:
        visit.acknowledged_at = timezone.now()
        visit.save(update_fields=["acknowledged_at"])
        event_record(VisitEvent, visit=visit, kind=VisitEventKind.ACKNOWLEDGED, actor=actor)
    return visit


def appeal_open_until(visit: Visit) -> date | None:
    if visit.published_at is None:
        return None
    return timezone.localtime(visit.published_at).date() + timedelta(days=APPEAL_DAYS)


@transaction.atomic
def appeal_create(*, actor: User, visit: Visit, key: str, comment: str) -> Appeal:
    """Dispute one answer of a published report, saying why (once at a time per item,
    within the appeal window)."""
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Say why the answer is wrong."))
    visit = _locked(visit, VisitStatus.PUBLISHED)
    until = appeal_open_until(visit)
    if until is not None and timezone.localdate() > until:
        raise ValidationError(
            _("Appeals were open until %(day)s.") % {"day": until.strftime("%d.%m.%Y")}
        )
    question = visit.version.questions.filter(key=key).first()
    if question is None:
        raise ValidationError(_("Question %(key)s is not in this checklist.") % {"key": key})
    if visit.appeals.filter(question=question, status=AppealStatus.OPEN).exists():
        raise ValidationError(
            _("«%(q)s» is already appealed and waits for a decision.") % {"q": question.text}
        )
    appeal = Appeal.objects.create(
        visit=visit, question=question, comment=comment, created_by=actor
    )
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.APPEALED,
        actor=actor,
        payload={"appeal": appeal.pk, "question": key},
        reason=comment,
    )
    return appeal


def _proposed(kind: str, value: str) -> str:
    """An appeal of a yes/no answer, accepted without a value, turns «no» into «yes»."""
    if value or kind != QuestionKind.YES_NO:
        return value
    return "yes"


@transaction.atomic
def appeal_decide(
    *,
    actor: User,
    appeal: Appeal,
    accept: bool,
    decision: str,
    value: str = "",
    na: bool = False,
) -> Appeal:
    """Accept (the answer becomes `value`, or N/A; a yes/no answer becomes «yes» by
    default, and the visit is rescored from scratch) or reject, with the decision's words.
    Whoever filed the appeal or made the visit does not decide it."""
    decision = decision.strip()
    if not decision:
        raise ValidationError(_("Give the decision's reason."))
    appeal = Appeal.objects.select_for_update().select_related("question").get(pk=appeal.pk)
    if appeal.status != AppealStatus.OPEN:
        raise ValidationError(_("This appeal has been decided."))
    visit = _locked(appeal.visit, VisitStatus.PUBLISHED)
    if actor.pk in (appeal.created_by_id, visit.auditor_id):
        raise ValidationError(_("Nobody decides an appeal of their own visit or their own appeal."))
    if accept:
        answer_correct(
            visit=visit,
            key=appeal.question.key,
            value=_proposed(appeal.question.kind, value) if not na else "",
            na=na,
            actor=actor,
            kind=VisitEventKind.APPEAL_ACCEPTED,
            reason=decision,
        )
    else:
        event_record(
            VisitEvent,
            visit=visit,
            kind=VisitEventKind.APPEAL_REJECTED,
            actor=actor,
            payload={"appeal": appeal.pk, "question": appeal.question.key},
            reason=decision,
        )
    appeal.status = AppealStatus.ACCEPTED if accept else AppealStatus.REJECTED
    appeal.decided_by, appeal.decided_at, appeal.decision = actor, timezone.now(), decision
    appeal.save(update_fields=["status", "decided_by", "decided_at", "decision"])
    return appeal


def _action_event(action: CorrectiveAction, kind: str, actor: User, reason: str = "") -> None:
    event_record(
        VisitEvent,
        visit=action.visit,
        kind=kind,
        actor=actor,
        payload={"action": action.pk, "title": action.title, "status": action.status},
        reason=reason,
    )


@transaction.atomic
def action_create(
    *, actor: User, visit: Visit, title: str, owner: User, due_on: date, key: str = ""
) -> CorrectiveAction:
    """A corrective action for a published report, owned by a person of the store."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Say what will be done."))
    visit = _locked(visit, VisitStatus.PUBLISHED)
    if owner.store_id != visit.store_id or not owner.is_active:
        raise ValidationError(_("The owner must work in the visited store."))
    if due_on < timezone.localdate():
        raise ValidationError(_("The due date is in the past."))
    question = visit.version.questions.filter(key=key).first() if key else None
    if key and question is None:
        raise ValidationError(_("Question %(key)s is not in this checklist.") % {"key": key})
    action = CorrectiveAction.objects.create(
        visit=visit, question=question, title=title, owner=owner, due_on=due_on, created_by=actor
    )
    _action_event(action, VisitEventKind.ACTION_OPENED, actor)
    return action


@transaction.atomic
def action_done(*, actor: User, action: CorrectiveAction, comment: str, photo) -> CorrectiveAction:
    """Mark an action done with what was done and a photo of the result (required)."""
    action = CorrectiveAction.objects.select_for_update().select_related("visit").get(pk=action.pk)
    if action.status != ActionStatus.OPEN:
        raise ValidationError(_("This action is not open."))
    if photo is None:
        raise ValidationError(_("Add a photo of the result."))
    clean = image_clean(photo)
    action.photo.save(
        f"{action.pk}-{timezone.now():%Y%m%d%H%M%S}.jpg", ContentFile(clean.content), save=False
    )
    action.status, action.done_at, action.done_by = ActionStatus.DONE, timezone.now(), actor
    action.done_comment = comment.strip()
    action.save(update_fields=["photo", "status", "done_at", "done_by", "done_comment"])
    _action_event(action, VisitEventKind.ACTION_DONE, actor, action.done_comment)
    return action


@transaction.atomic
def action_verify(
    *, actor: User, action: CorrectiveAction, accept: bool, comment: str = ""
) -> CorrectiveAction:
    """Accept a done action (verified) or send it back (open again, with the reason);
    never by whoever marked it done."""
    action = CorrectiveAction.objects.select_for_update().select_related("visit").get(pk=action.pk)
    if action.status != ActionStatus.DONE:
        raise ValidationError(_("Only a done action can be verified."))
    if actor.pk == action.done_by_id:
        raise ValidationError(_("Someone else verifies what you did."))
    if not accept and not comment.strip():
        raise ValidationError(_("Say why the action is sent back."))
    if accept:
        action.status, action.verified_by, action.verified_at = (
            ActionStatus.VERIFIED,
            actor,
            timezone.now(),
        )
        kind = VisitEventKind.ACTION_VERIFIED
    else:
        action.status = ActionStatus.OPEN
        kind = VisitEventKind.ACTION_REOPENED
    action.save(update_fields=["status", "verified_by", "verified_at"])
    _action_event(action, kind, actor, comment.strip())
    return action


def actions_remind(*, today: date | None = None) -> int:
    """Daily: remind each overdue action's owner (on the due day, then 3 and 7 days
    late; once per step); returns the reminders recorded."""
    today = today or timezone.localdate()
    messages = []
    for action in CorrectiveAction.objects.filter(
        status=ActionStatus.OPEN, due_on__lte=today
    ).select_related("owner", "visit__store"):
        late = (today - action.due_on).days
        step = max((i for i, day in enumerate(REMINDER_STEPS) if late >= day), default=0)
        messages.append(
            Message(
                recipient=action.owner,
                key=f"audits.action.{action.pk}",
                step=step,
                title=_("Corrective action due %(day)s: %(title)s")
                % {"day": action.due_on.strftime("%d.%m.%Y"), "title": action.title},
                url=action.visit.get_absolute_url(),
            )
        )
    return len(notify_many(messages))
