"""Reads of the audits app, scoped with `portal.org.scoping.scope_for(user)`.

A checklist template belongs to no store: the network scope (LP managers, admins) sees
every checklist, the auditors' own scope the published ones (the templates of their
visits), every other scope none."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from audits.choices import ChecklistStatus
from audits.models import Checklist, ChecklistEvent
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
