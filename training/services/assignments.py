"""Who must take which exam: by rule, when a certificate expires or is withdrawn, when an
SOP changes.

`assignments_sync` is the daily beat task body; it is idempotent (one open assignment per
person and exam, one SOP-change assignment per person and SOP version).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from portal.org.models import User
from portal.sop.models import SopVersion
from training.models import (
    Assignment,
    AssignmentRule,
    Certificate,
    Exam,
    ExamDraw,
    QuestionCategory,
)
from training.models.exams import AssignmentReason

SOP_CHANGE_DAYS = 14
DELTA_QUESTIONS_PER_TOPIC = 3


@dataclass
class AssignmentReport:
    by_rule: int = 0
    expired: int = 0
    revoked: int = 0
    sop_changed: int = 0


def _rule_people(rules: list[AssignmentRule]) -> list[tuple[AssignmentRule, User]]:
    """(rule, person) for every active person each rule applies to: one query for all
    rules (their roles), matched here by store or region."""
    people = (
        User.objects.filter(is_active=True, role__in={r.role for r in rules})
        .only(
            "pk",
            "role",
            "store_id",
            "store__region_id",
            "region_id",
            "position_since",
            "hire_date",
            "date_joined",
        )
        .select_related("store")
    )
    matched = []
    for person in people:
        region_ids = {person.region_id, person.store.region_id if person.store else None}
        for rule in rules:
            if rule.role != person.role:
                continue
            if rule.store_id and rule.store_id != person.store_id:
                continue
            if rule.region_id and not rule.store_id and rule.region_id not in region_ids:
                continue
            matched.append((rule, person))
    return matched


def _delta_code(exam: Exam, category: QuestionCategory) -> str:
    return f"{exam.code}-delta-{category.code}"[:50]


def delta_exams_for(pairs: set[tuple[Exam, QuestionCategory]]) -> dict[tuple[int, int], Exam]:
    """{(exam id, topic id): the short retest of that one topic of the exam}, created once
    (one query for those that exist, two bulk inserts for those that do not)."""
    wanted = {_delta_code(exam, category): (exam, category) for exam, category in pairs}
    found = {e.code: e for e in Exam.objects.filter(code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    created = Exam.objects.bulk_create(
        Exam(
            code=code,
            title=f"{wanted[code][0].title}: {wanted[code][1].name}",
            delta_of=wanted[code][0],
            pass_mark=wanted[code][0].pass_mark,
            time_limit_minutes=10,
            attempts_limit=0,
            cooloff_hours=0,
            validity_months=wanted[code][0].validity_months,
        )
        for code in missing
    )
    ExamDraw.objects.bulk_create(
        ExamDraw(exam=delta, category=wanted[delta.code][1], count=DELTA_QUESTIONS_PER_TOPIC)
        for delta in created
    )
    found.update((e.code, e) for e in created)
    return {(exam.pk, category.pk): found[code] for code, (exam, category) in wanted.items()}


@transaction.atomic
def assignments_sync(*, today: date | None = None) -> AssignmentReport:
    """Assign every exam to whoever must take it and has neither a valid certificate nor
    an open assignment: by rule (reason "rule"), after a certificate expired or was
    withdrawn, and after a material SOP change (a delta retest). Its queries do not
    depend on the number of people, rules, exams or SOP versions."""
    today = today or timezone.localdate()
    report = AssignmentReport()
    open_pairs = set(
        Assignment.objects.filter(completed_at__isnull=True).values_list("person_id", "exam_id")
    )
    # (person, exam): "valid" if any certificate is, else the state of the latest one.
    held: dict[tuple[int, int], str] = {}
    for person_id, exam_id, revoked_at, expires_on in Certificate.objects.order_by(
        "issued_at"
    ).values_list("person_id", "exam_id", "revoked_at", "expires_on"):
        state = "revoked" if revoked_at else "valid" if expires_on >= today else "expired"
        if held.get((person_id, exam_id)) != "valid":
            held[(person_id, exam_id)] = state
    rules = list(AssignmentRule.objects.select_related("exam").filter(exam__is_active=True))
    new = []
    for rule, person in _rule_people(rules):
        key = (person.pk, rule.exam_id)
        if held.get(key) == "valid" or key in open_pairs:
            continue
        reason = {
            "revoked": AssignmentReason.REVOKED,
            "expired": AssignmentReason.EXPIRED,
        }.get(held.get(key), AssignmentReason.RULE)
        start = person.started_on if reason == AssignmentReason.RULE else today
        new.append(
            Assignment(
                person=person,
                exam=rule.exam,
                reason=reason,
                due_on=start + timedelta(days=rule.within_days),
            )
        )
        open_pairs.add(key)
        report.by_rule += reason == AssignmentReason.RULE
        report.expired += reason == AssignmentReason.EXPIRED
        report.revoked += reason == AssignmentReason.REVOKED
    new += _sop_change_assignments(today=today, open_pairs=open_pairs, report=report)
    Assignment.objects.bulk_create(new)
    return report


def _sop_change_assignments(*, today: date, open_pairs: set, report: AssignmentReport) -> list:
    """People holding a certificate issued before a material SOP revision retest its topic
    (five reads and at most two bulk inserts whatever the number of exams, topics,
    revisions and holders)."""
    draws = list(
        ExamDraw.objects.filter(
            exam__delta_of__isnull=True, exam__is_active=True, category__sop_page__isnull=False
        ).select_related("exam", "category")
    )
    if not draws:
        return []
    done = set(
        Assignment.objects.filter(sop_version__isnull=False).values_list(
            "person_id", "sop_version_id"
        )
    )
    # Material revisions after each page's first publication (that one the exam was built on).
    versions_of: dict[int, list[SopVersion]] = defaultdict(list)
    for version in SopVersion.objects.filter(
        page_id__in={d.category.sop_page_id for d in draws}
    ).order_by("page_id", "revision_id"):
        versions_of[version.page_id].append(version)
    changes = [
        (draw, version)
        for draw in draws
        for version in versions_of[draw.category.sop_page_id][1:]
        if version.kind == "material"
    ]
    if not changes:
        return []
    holders: dict[int, list[tuple[int, object]]] = defaultdict(list)  # exam: (person, issued)
    for person_id, exam_id, issued_at in Certificate.objects.filter(
        exam__in={draw.exam_id for draw, _version in changes},
        revoked_at__isnull=True,
        expires_on__gte=today,
        issued_at__lt=max(version.published_at for _draw, version in changes),
        person__is_active=True,
    ).values_list("person_id", "exam_id", "issued_at"):
        holders[exam_id].append((person_id, issued_at))
    retests = []
    for draw, version in changes:
        for person_id in sorted(
            {p for p, issued in holders[draw.exam_id] if issued < version.published_at}
        ):
            if (person_id, version.pk) not in done:
                retests.append((draw, version, person_id))
    deltas = delta_exams_for({(draw.exam, draw.category) for draw, _v, _p in retests})
    new = []
    for draw, version, person_id in retests:
        delta = deltas[(draw.exam_id, draw.category_id)]
        if (person_id, delta.pk) in open_pairs:
            continue
        new.append(
            Assignment(
                person_id=person_id,
                exam=delta,
                reason=AssignmentReason.SOP_CHANGED,
                due_on=timezone.localdate(version.published_at) + timedelta(days=SOP_CHANGE_DAYS),
                sop_version=version,
            )
        )
        open_pairs.add((person_id, delta.pk))
        done.add((person_id, version.pk))
        report.sop_changed += 1
    return new


@transaction.atomic
def refresher_assign(*, people: list[User], sop_page_ids: set[int], due_on: date) -> int:
    """A short retest of each exam topic that covers one of these SOP pages (the topic's
    delta exam), for those of `people` who take that exam at all (its rules' roles) and
    hold no open assignment of it. Returns the assignments made."""
    draws = list(
        ExamDraw.objects.filter(
            exam__delta_of__isnull=True,
            exam__is_active=True,
            category__sop_page_id__in=sop_page_ids,
        ).select_related("exam", "category")
    )
    if not draws or not people:
        return 0
    roles: dict[int, set[str]] = defaultdict(set)
    for exam_id, role in AssignmentRule.objects.filter(
        exam__in={d.exam_id for d in draws}
    ).values_list("exam_id", "role"):
        roles[exam_id].add(role)
    deltas = delta_exams_for({(d.exam, d.category) for d in draws})
    open_pairs = set(
        Assignment.objects.filter(
            completed_at__isnull=True, person__in=people, exam__in=list(deltas.values())
        ).values_list("person_id", "exam_id")
    )
    new = []
    for draw in draws:
        delta = deltas[(draw.exam_id, draw.category_id)]
        for person in people:
            if not person.is_active or person.role not in roles[draw.exam_id]:
                continue
            if (person.pk, delta.pk) in open_pairs:
                continue
            open_pairs.add((person.pk, delta.pk))
            new.append(
                Assignment(person=person, exam=delta, reason=AssignmentReason.AUDIT, due_on=due_on)
            )
    Assignment.objects.bulk_create(new)
    return len(new)
