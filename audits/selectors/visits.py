"""Reads of visits, scoped with `scope_for(user)`:

- the network scope (LP managers, admins) sees every visit, planned ones included;
- an auditor (own scope) sees the visits assigned to them, nobody else's;
- a regional manager sees the *published* visits of the region's stores, a store's
  people those of their store: never a planned visit, a draft or a submitted one, so a
  store cannot know a shopper is coming;
- the hotline sees none.

Who the auditor is stays with the network scope and the auditor: everyone else reads
the visit's pseudonym (`shows_auditor`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from audits.choices import AppealStatus, VisitStatus
from audits.models import ChecklistQuestion, Visit, VisitAnswer
from portal.org.choices import Role
from portal.org.models import User
from portal.org.scoping import ScopeLevel, scope_for

STORE_SIDE = (ScopeLevel.REGION, ScopeLevel.STORE)


def visits_visible_to(*, user: User | AnonymousUser) -> QuerySet[Visit]:
    scope = scope_for(user)
    visits = Visit.objects.filter(scope.q(store_field="store", owner_field="auditor"))
    if scope.level in STORE_SIDE:
        visits = visits.filter(status=VisitStatus.PUBLISHED)
    return visits


def visit_get_visible(*, user: User | AnonymousUser, pk: int) -> Visit:
    """The visit, or 404 outside the user's sight (never says it exists)."""
    return get_object_or_404(
        visits_visible_to(user=user).select_related(
            "store__region", "checklist", "version", "auditor"
        ),
        pk=pk,
    )


def shows_auditor(user: User | AnonymousUser) -> bool:
    """Whether the user may know who the auditors are (the network scope)."""
    return scope_for(user).level is ScopeLevel.NETWORK


def visit_list(
    *, user: User, status: str = "", store_code: str = "", region_code: str = ""
) -> QuerySet[Visit]:
    # Not the checklist's sections: reading that StreamField (some 18 KB of JSON) again
    # for each of the fifty rows took half the list's time, and no list shows it.
    visits = (
        visits_visible_to(user=user)
        .select_related("store__region", "auditor", "checklist")
        .defer("checklist__sections")
    )
    if status:
        visits = visits.filter(status=status)
    if store_code:
        visits = visits.filter(store__code=store_code)
    if region_code:
        visits = visits.filter(store__region__code=region_code)
    return visits.order_by("-due_on", "-pk")


@dataclass
class QuestionRow:
    """One question of a filed visit, with its answer, photos, flags, appeals, actions."""

    question: ChecklistQuestion
    answer: VisitAnswer | None
    failed: bool
    photos: list
    flags: list[str]
    repeated: bool
    appeals: list
    actions: list


@dataclass
class SectionRow:
    title: str
    score: Decimal | None
    passed: bool
    rows: list[QuestionRow]


def visit_sections(*, visit: Visit) -> list[SectionRow]:
    """The visit's questions by section with everything about each (six queries)."""
    if visit.version_id is None:
        return []
    answers = {a.question_id: a for a in visit.answers.all()}
    photos: dict[int | None, list] = {}
    for photo in visit.photos.all():
        photos.setdefault(photo.question_id, []).append(photo)
    appeals: dict[int, list] = {}
    for appeal in visit.appeals.select_related("created_by", "decided_by"):
        appeals.setdefault(appeal.question_id, []).append(appeal)
    actions: dict[int | None, list] = {}
    for action in visit.actions.select_related("owner"):
        actions.setdefault(action.question_id, []).append(action)
    failed = set(visit.result.get("failed", []))
    flags: dict[str, list[str]] = {}
    for flag in visit.result.get("flags", []):
        flags.setdefault(flag["question"], []).append(flag["reason"])
    repeated = repeated_findings(visit=visit)
    scores = visit.result.get("sections", [])
    sections: list[SectionRow] = []
    rows_by_section: dict[int, list[QuestionRow]] = {}
    for question in visit.version.questions.select_related("sop_page").order_by(
        "section__position", "position"
    ):
        rows_by_section.setdefault(question.section_id, []).append(
            QuestionRow(
                question=question,
                answer=answers.get(question.pk),
                failed=question.key in failed,
                photos=photos.get(question.pk, []),
                flags=flags.get(question.key, []),
                repeated=question.key in repeated,
                appeals=appeals.get(question.pk, []),
                actions=actions.get(question.pk, []),
            )
        )
    for position, section in enumerate(visit.version.sections.order_by("position")):
        score = scores[position] if position < len(scores) else {}
        sections.append(
            SectionRow(
                title=section.title,
                score=Decimal(score["score"]) if score.get("score") else None,
                passed=score.get("passed", True),
                rows=rows_by_section.get(section.pk, []),
            )
        )
    return sections


def repeated_findings(*, visit: Visit) -> set[str]:
    """Keys of the questions this visit failed that the store's previous published visit
    failed too (a finding that came back)."""
    failed = set(visit.result.get("failed", []))
    if not failed or visit.published_at is None and visit.submitted_at is None:
        return set()
    when = visit.submitted_at or visit.published_at
    previous = (
        Visit.objects.filter(
            store_id=visit.store_id, status=VisitStatus.PUBLISHED, submitted_at__lt=when
        )
        .exclude(pk=visit.pk)
        .order_by("-submitted_at")
        .values_list("result", flat=True)
        .first()
    )
    return failed & set((previous or {}).get("failed", []))


def visit_events(*, visit: Visit, shows_actor: bool) -> list:
    """The visit's history; for the store's side, only what happened after publication
    and without the people of the network side's names (the shopper's above all)."""
    events = list(visit.events.select_related("actor"))
    if shows_actor:
        return events
    published = next((e.at for e in events if e.kind == "published"), None)
    return [e for e in events if published is not None and e.at >= published]


def open_appeals(*, user: User) -> QuerySet:
    from audits.models import Appeal

    return (
        Appeal.objects.filter(status=AppealStatus.OPEN, visit__in=visits_visible_to(user=user))
        .select_related("visit__store", "question", "created_by")
        .order_by("created_at")
    )


def review_queue(*, user: User) -> QuerySet[Visit]:
    return visit_list(user=user, status=VisitStatus.SUBMITTED).order_by("submitted_at", "pk")


def auditors_for_assignment(*, user: User) -> QuerySet[User]:
    """The active auditors (the network scope assigns visits)."""
    return User.objects.filter(role=Role.AUDITOR, is_active=True).order_by(
        "last_name", "first_name", "pk"
    )


def visit_plans() -> QuerySet:
    from audits.models import VisitPlan

    return VisitPlan.objects.select_related("checklist", "region", "created_by").annotate(
        visit_count=Count("visits"),
        published=Count("visits", filter=Q(visits__status=VisitStatus.PUBLISHED)),
        unassigned=Count("visits", filter=Q(visits__status=VisitStatus.PLANNED)),
    )[:24]


def auditor_workload() -> list[dict]:
    """Per auditor: visits held and not submitted, submitted, published this far."""
    return list(
        User.objects.filter(role=Role.AUDITOR, is_active=True)
        .annotate(
            open=Count(
                "audit_visits",
                filter=Q(
                    audit_visits__status__in=(
                        VisitStatus.ASSIGNED,
                        VisitStatus.DRAFT,
                        VisitStatus.RETURNED,
                    )
                ),
            ),
            submitted=Count("audit_visits", filter=Q(audit_visits__status=VisitStatus.SUBMITTED)),
            published=Count("audit_visits", filter=Q(audit_visits__status=VisitStatus.PUBLISHED)),
        )
        .order_by("last_name", "first_name", "pk")
        .values("pk", "first_name", "last_name", "open", "submitted", "published")
    )


def appeal_get_visible(*, user: User | AnonymousUser, pk: int):
    from audits.models import Appeal

    return get_object_or_404(
        Appeal.objects.filter(visit__in=visits_visible_to(user=user)).select_related(
            "visit", "question"
        ),
        pk=pk,
    )


def action_get_visible(*, user: User | AnonymousUser, pk: int):
    from audits.models import CorrectiveAction

    return get_object_or_404(
        CorrectiveAction.objects.filter(visit__in=visits_visible_to(user=user)).select_related(
            "visit"
        ),
        pk=pk,
    )
