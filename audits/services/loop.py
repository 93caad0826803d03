"""What follows a published visit: its store's and region's managers are told (inbox, and
the report as a PDF by e-mail through Celery), and the closed loop: a failed question that
checks an SOP asks the store's staff to read that SOP again and to retest its exam topic
(through the SOP library's and training's services)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audits.choices import VisitEventKind
from audits.models import Visit, VisitEvent
from portal.events.services import event_record
from portal.notify.services import Message, notify_many
from portal.org.choices import Role
from portal.org.models import User
from portal.org.selectors import store_people
from portal.sop.models import ReadablePage
from portal.sop.services import reread_request
from training.services.assignments import refresher_assign

FOLLOW_UP_DAYS = 7  # to read again and retest


def report_recipients(visit: Visit) -> QuerySet[User]:
    """The store's managers and its region's managers (active)."""
    return User.objects.filter(
        Q(role=Role.STORE_MANAGER, store_id=visit.store_id)
        | Q(role=Role.REGIONAL_MANAGER, region_id=visit.store.region_id),
        is_active=True,
    ).order_by("pk")


def visit_published_effects(*, visit: Visit) -> None:
    """Tell the managers (inside the caller's transaction) and send the PDF after commit."""
    title = _("Mystery-shopper report for %(store)s: %(score)s%%, %(result)s") % {
        "store": visit.store.name,
        "score": visit.score if visit.score is not None else "—",
        "result": _("passed") if visit.passed else _("failed"),
    }
    notify_many(
        Message(
            recipient=person,
            key=f"audits.visit.{visit.pk}.published",
            title=title,
            url=visit.get_absolute_url(),
        )
        for person in report_recipients(visit)
    )
    from audits.tasks import visit_report_mail

    pk = visit.pk
    transaction.on_commit(lambda: visit_report_mail.delay(pk))


def visit_follow_up(*, visit: Visit) -> dict[str, int]:
    """The closed loop of a published visit: for each failed question linked to an SOP
    page, the store's staff are asked to read that page again, and those who take the
    exam covering it retest its topic, both within a week. Records `followed_up` when it
    asked anyone. Idempotent (nobody is asked twice while a request is open)."""
    failed = set(visit.result.get("failed", []))
    page_ids = set(
        visit.version.questions.filter(key__in=failed, sop_page__isnull=False).values_list(
            "sop_page_id", flat=True
        )
    )
    if not page_ids:
        return {"reread": 0, "retests": 0}
    people = list(store_people(store=visit.store).filter(is_active=True))
    due = visit.published_at.date() + timedelta(days=FOLLOW_UP_DAYS)
    reason = _("A mystery shopper found this rule broken in your store (%(number)s).") % {
        "number": visit.number
    }
    reread = sum(
        reread_request(people=people, page=page, reason=reason, due_on=due)
        for page in ReadablePage.objects.live().filter(pk__in=page_ids).specific()
    )
    retests = refresher_assign(people=people, sop_page_ids=page_ids, due_on=due)
    if reread or retests:
        event_record(
            VisitEvent,
            visit=visit,
            kind=VisitEventKind.FOLLOWED_UP,
            actor=None,
            payload={"pages": sorted(page_ids), "reread": reread, "retests": retests},
        )
    return {"reread": reread, "retests": retests}
