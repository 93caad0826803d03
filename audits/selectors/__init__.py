"""Reads of the audits app, scoped with `portal.org.scoping.scope_for(user)`.

A checklist template belongs to no store: the network scope (LP managers, admins) sees
every checklist, the auditors' own scope the published ones (the templates of their
visits), every other scope none."""

from __future__ import annotations

import json
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from audits.choices import ChecklistStatus
from audits.models import Checklist, ChecklistEvent, ChecklistSection, ChecklistVersion
from audits.scoring import ChecklistSpec, QuestionSpec, SectionSpec
from portal.org.models import User
from portal.org.scoping import ScopeLevel, scope_for


def checklists_visible_to(*, user: User | AnonymousUser) -> QuerySet[Checklist]:
    level = scope_for(user).level
    if level is ScopeLevel.NETWORK:
        return Checklist.objects.all()
    if level is ScopeLevel.OWN:
        return Checklist.objects.filter(status=ChecklistStatus.PUBLISHED)
    return Checklist.objects.none()


def checklist_get_visible(*, user: User | AnonymousUser, pk: int) -> Checklist:
    """The checklist, or 404 when it is outside the user's sight (never says it exists)."""
    return get_object_or_404(checklists_visible_to(user=user).select_related("created_by"), pk=pk)


def checklist_events(*, checklist: Checklist) -> list[ChecklistEvent]:
    return list(checklist.events.select_related("actor"))


def checklist_source(checklist: Checklist) -> list:
    """The sections with every value (block ids included), as JSON keeps them."""
    list(checklist.sections)  # every block read, so none is given back as stored
    return json.loads(json.dumps(checklist.sections.get_prep_value(), cls=DjangoJSONEncoder))


def checklist_latest_version(*, checklist: Checklist) -> ChecklistVersion | None:
    return checklist.versions.order_by("-number").first()


def checklist_spec(*, version: ChecklistVersion) -> ChecklistSpec:
    """The version's sections and questions as the scoring engine takes them (two queries)."""
    by_section: dict[int, list[QuestionSpec]] = {}
    for q in version.questions.order_by("section__position", "position"):
        by_section.setdefault(q.section_id, []).append(
            QuestionSpec(
                key=q.key,
                text=q.text,
                kind=q.kind,
                weight=q.weight,
                critical=q.critical,
                allow_na=q.allow_na,
                options=tuple((label, Decimal(share)) for label, share in q.options),
                low=q.low,
                high=q.high,
            )
        )
    sections = tuple(
        SectionSpec(section.title, section.pass_mark, tuple(by_section.get(section.pk, ())))
        for section in version.sections.order_by("position")
    )
    return ChecklistSpec(version.pass_mark, sections)


def checklist_unpublished(*, checklist: Checklist) -> bool:
    """Never published, or edited in the CMS since its latest version."""
    latest = checklist_latest_version(checklist=checklist)
    return latest is None or (
        latest.source != checklist_source(checklist) or latest.pass_mark != checklist.pass_mark
    )


def version_sections(*, version: ChecklistVersion) -> list[tuple[ChecklistSection, list]]:
    """The version's sections, each with its questions (and the SOP page each checks)."""
    questions: dict[int, list] = {}
    for question in version.questions.select_related("sop_page").order_by("position"):
        questions.setdefault(question.section_id, []).append(question)
    return [(section, questions.get(section.pk, [])) for section in version.sections.all()]
