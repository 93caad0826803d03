"""What follows a published visit: its store's and region's managers are told (inbox, and
the report as a PDF by e-mail through Celery)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from audits.models import Visit
from portal.notify.services import Message, notify_many
from portal.org.choices import Role
from portal.org.models import User


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
