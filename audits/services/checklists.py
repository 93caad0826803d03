"""Checklists: created (in the CMS or by code), checked, published into frozen versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.choices import ChecklistEventKind, ChecklistStatus, QuestionKind
from audits.models import (
    Checklist,
    ChecklistEvent,
    ChecklistQuestion,
    ChecklistSection,
    ChecklistVersion,
)
from audits.scoring import SCORED
from audits.selectors import checklist_source
from portal.events.services import event_record
from portal.org.models import User


@transaction.atomic
def checklist_create(
    *,
    actor: User,
    title: str,
    description: str = "",
    sections: list | None = None,
    pass_mark: int = 80,
) -> Checklist:
    """A new draft checklist written by `actor` (`sections` as the CMS stores them, for
    code that writes one: the demo, tests); records `created`."""
    title = title.strip()
    if not title:
        raise ValidationError(_("A checklist needs a title."))
    checklist = Checklist(
        title=title,
        description=description,
        created_by=actor,
        pass_mark=pass_mark,
        sections=sections or [],
    )
    list(checklist.sections)  # stored as the CMS stores it: every default, every block id
    checklist.save()
    event_record(
        ChecklistEvent,
        checklist=checklist,
        kind=ChecklistEventKind.CREATED,
        actor=actor,
        payload={"title": title},
    )
    return checklist


def checklist_problems(checklist: Checklist) -> list[str]:
    """What keeps the checklist from being published, each naming its section or question."""
    problems = []
    scored = False
    if not len(checklist.sections):
        problems.append(_("Add at least one section with its questions."))
    for section in checklist.sections:
        questions = section.value["questions"]
        if not len(questions):
            problems.append(_("Section «%(s)s» has no questions.") % {"s": section.value["title"]})
        for question in questions:
            text, kind = question["text"], question["kind"]
            is_scored = kind in SCORED and (question["weight"] or 0) > 0
            scored = scored or is_scored
            if kind == QuestionKind.CHOICE and len(question["options"]) < 2:
                problems.append(_("«%(q)s»: a choice needs at least two options.") % {"q": text})
            low, high = question["low"], question["high"]
            if kind == QuestionKind.NUMERIC and (
                (low is None and high is None) or (None not in (low, high) and low > high)
            ):
                problems.append(
                    _("«%(q)s»: give the range of numbers that passes («from» not above «up to»).")
                    % {"q": text}
                )
            if question["critical"] and not is_scored:
                problems.append(
                    _("«%(q)s»: only a question that scores can be critical.") % {"q": text}
                )
    if len(checklist.sections) and not scored:
        problems.append(
            _("No question scores points: add a yes/no, scale, choice or number question.")
        )
    return problems


def _freeze(*, checklist: Checklist, actor: User, number: int, source: list) -> ChecklistVersion:
    version = ChecklistVersion.objects.create(
        checklist=checklist,
        number=number,
        pass_mark=checklist.pass_mark,
        published_by=actor,
        source=source,
    )
    rows = []
    for position, block in enumerate(checklist.sections):
        section = ChecklistSection.objects.create(
            version=version,
            position=position,
            title=block.value["title"],
            pass_mark=block.value["pass_mark"],
        )
        for order, item in enumerate(block.value["questions"].bound_blocks):
            question = item.value
            page = question["sop_page"]
            rows.append(
                ChecklistQuestion(
                    version=version,
                    section=section,
                    position=order,
                    key=item.id,
                    text=question["text"],
                    guidance=question["guidance"] or "",
                    kind=question["kind"],
                    weight=question["weight"],
                    critical=question["critical"] or "",
                    allow_na=bool(question["allow_na"]),
                    photo_when_failed=bool(question["photo_when_failed"]),
                    options=[[o["label"], str(o["share"])] for o in question["options"]],
                    low=question["low"],
                    high=question["high"],
                    sop_page_id=page.pk if page else None,
                    sop_step=question["sop_step"] or "",
                    pos_fact=question.get("pos_fact") or "",
                )
            )
    ChecklistQuestion.objects.bulk_create(rows)
    return version


@transaction.atomic
def checklist_publish(*, actor: User, checklist: Checklist) -> Checklist:
    """Freeze the checklist as it is into its next version (auditors file against it from
    now on); records `published` with the version's number. Idempotent: unchanged since
    its last version, it stays as it is and records nothing (the row is locked, so two LP
    managers publishing at once make one version). Refuses, naming every problem, a
    checklist that cannot be filled in or scored."""
    locked = Checklist.objects.select_for_update().get(pk=checklist.pk)
    problems = checklist_problems(locked)
    if problems:
        raise ValidationError(problems)
    source = checklist_source(locked)
    latest = locked.versions.order_by("-number").first()
    if latest is not None and latest.source == source and latest.pass_mark == locked.pass_mark:
        return locked
    number = latest.number + 1 if latest else 1
    _freeze(checklist=locked, actor=actor, number=number, source=source)
    before = locked.status
    locked.status, locked.published_at = ChecklistStatus.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at"])
    event_record(
        ChecklistEvent,
        checklist=locked,
        kind=ChecklistEventKind.PUBLISHED,
        actor=actor,
        payload={"status": [before, ChecklistStatus.PUBLISHED], "version": number},
    )
    return locked
