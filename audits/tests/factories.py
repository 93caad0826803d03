"""Factories of the audits app: checklists made through the real services."""

from __future__ import annotations

from audits.models import Checklist
from audits.services import checklist_create, checklist_publish
from portal.org.models import User


def checklist(*, author: User, title: str = "Касса: карта лояльности", published: bool = False):
    made: Checklist = checklist_create(actor=author, title=title, description="Что проверить.")
    return checklist_publish(actor=author, checklist=made) if published else made
