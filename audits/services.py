"""Writes of the audits app: `<entity>_<verb>(*, actor, ...)`, atomic, with an event row.

Services trust their caller for permissions (the view asked the rule); they guarantee
the data's own rules (a title, one publication) and leave one `ChecklistEvent` per
change, written in the same transaction through `event_record`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.choices import ChecklistEventKind, ChecklistStatus
from audits.models import Checklist, ChecklistEvent
from portal.events.services import event_record
from portal.org.models import User


@transaction.atomic
def checklist_create(*, actor: User, title: str, description: str = "") -> Checklist:
    """A new draft checklist written by `actor`; records `created`."""
    title = title.strip()
    if not title:
        raise ValidationError(_("A checklist needs a title."))
    checklist = Checklist.objects.create(title=title, description=description, created_by=actor)
    event_record(
        ChecklistEvent,
        checklist=checklist,
        kind=ChecklistEventKind.CREATED,
        actor=actor,
        payload={"title": title},
    )
    return checklist


@transaction.atomic
def checklist_publish(*, actor: User, checklist: Checklist) -> Checklist:
    """Publish a draft (auditors see it from now on); records `published`. Idempotent:
    a published checklist stays as it is and records nothing (the row is locked, so two
    LP managers publishing at once record one event)."""
    locked = Checklist.objects.select_for_update().get(pk=checklist.pk)
    if locked.is_published:
        return locked
    locked.status, locked.published_at = ChecklistStatus.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at"])
    event_record(
        ChecklistEvent,
        checklist=locked,
        kind=ChecklistEventKind.PUBLISHED,
        actor=actor,
        payload={"status": [ChecklistStatus.DRAFT, ChecklistStatus.PUBLISHED]},
    )
    return locked
