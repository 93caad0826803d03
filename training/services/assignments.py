"""Who must take which exam: by rule, when a certificate expires, when an SOP changes.

`assignments_sync` is the daily beat task body; it is idempotent (one open assignment per
person and exam, one SOP-change assignment per person and SOP version).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portal.org.models import User
from portal.sop.models import SopVersion
from training.models import Assignment, AssignmentRule, Certificate, Exam, ExamDraw
from training.models.exams import AssignmentReason

SOP_CHANGE_DAYS = 14
DELTA_QUESTIONS_PER_TOPIC = 3


@dataclass
class AssignmentReport:
    by_rule: int = 0
    expired: int = 0
    sop_changed: int = 0


def _people_for(rule: AssignmentRule):
    people = User.objects.filter(is_active=True, role=rule.role).select_related("store")
    if rule.store_id:
        people = people.filter(store_id=rule.store_id)
    elif rule.region_id:
        people = people.filter(Q(store__region_id=rule.region_id) | Q(region_id=rule.region_id))
    return people


def delta_exam_for(*, exam: Exam, category) -> Exam:
    """The short retest of one changed topic of `exam` (created once)."""
    code = f"{exam.code}-delta-{category.code}"[:50]
    delta, created = Exam.objects.get_or_create(
        code=code,
        defaults={
            "title": f"{exam.title}: {category.name}",
            "delta_of": exam,
            "pass_mark": exam.pass_mark,
            "time_limit_minutes": 10,
            "attempts_limit": 0,
            "cooloff_hours": 0,
            "validity_months": exam.validity_months,
        },
    )
    if created:
        ExamDraw.objects.create(exam=delta, category=category, count=DELTA_QUESTIONS_PER_TOPIC)
    return delta


@transaction.atomic
def assignments_sync(*, today: date | None = None) -> AssignmentReport:
    today = today or timezone.localdate()
    report = AssignmentReport()
    open_pairs = set(
        Assignment.objects.filter(completed_at__isnull=True).values_list("person_id", "exam_id")
    )
    valid = set(
        Certificate.objects.filter(revoked_at__isnull=True, expires_on__gte=today).values_list(
            "person_id", "exam_id"
        )
    )
    ever = set(Certificate.objects.values_list("person_id", "exam_id"))
    new = []
    for rule in AssignmentRule.objects.select_related("exam").filter(exam__is_active=True):
        for person in _people_for(rule):
            key = (person.pk, rule.exam_id)
            if key in valid or key in open_pairs:
                continue
            expired = key in ever
            due = (today if expired else person.started_on) + timedelta(days=rule.within_days)
            new.append(
                Assignment(
                    person=person,
                    exam=rule.exam,
                    reason=AssignmentReason.EXPIRED if expired else AssignmentReason.RULE,
                    due_on=due,
                )
            )
            open_pairs.add(key)
            report.expired += expired
            report.by_rule += not expired
    new += _sop_change_assignments(today=today, open_pairs=open_pairs, report=report)
    Assignment.objects.bulk_create(new)
    return report


def _sop_change_assignments(*, today: date, open_pairs: set, report: AssignmentReport) -> list:
    """People holding a certificate issued before a material SOP revision retest its topic."""
    new = []
    draws = ExamDraw.objects.filter(
        exam__delta_of__isnull=True, exam__is_active=True, category__sop_page__isnull=False
    ).select_related("exam", "category")
    done = set(
        Assignment.objects.filter(sop_version__isnull=False).values_list(
            "person_id", "sop_version_id"
        )
    )
    for draw in draws:
        # Material revisions after the first publication (that one the exam was built on).
        versions = list(
            SopVersion.objects.filter(page_id=draw.category.sop_page_id).order_by("revision_id")
        )[1:]
        versions = [v for v in versions if v.kind == "material"]
        for version in versions:
            holders = Certificate.objects.filter(
                exam=draw.exam,
                revoked_at__isnull=True,
                expires_on__gte=today,
                issued_at__lt=version.published_at,
                person__is_active=True,
            ).values_list("person_id", flat=True)
            delta = None
            for person_id in set(holders):
                if (person_id, version.pk) in done:
                    continue
                delta = delta or delta_exam_for(exam=draw.exam, category=draw.category)
                if (person_id, delta.pk) in open_pairs:
                    continue
                new.append(
                    Assignment(
                        person_id=person_id,
                        exam=delta,
                        reason=AssignmentReason.SOP_CHANGED,
                        due_on=timezone.localdate(version.published_at)
                        + timedelta(days=SOP_CHANGE_DAYS),
                        sop_version=version,
                    )
                )
                open_pairs.add((person_id, delta.pk))
                done.add((person_id, version.pk))
                report.sop_changed += 1
    return new
