"""Checklist writes: atomic, one event row per change, publication once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audits.choices import ChecklistEventKind, ChecklistStatus
from audits.models import Checklist, ChecklistEvent
from audits.services import checklist_create, checklist_publish
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


def test_a_new_checklist_is_a_draft_and_says_who_wrote_it(world):
    lp = world.people[Role.LP_MANAGER]

    made = checklist_create(actor=lp, title="  Касса: карта лояльности ", description="Чек.")

    assert (made.title, made.status, made.created_by) == (
        "Касса: карта лояльности",
        ChecklistStatus.DRAFT,
        lp,
    )
    [event] = made.events.all()
    assert (event.kind, event.actor, event.payload) == (
        ChecklistEventKind.CREATED,
        lp,
        {"title": "Касса: карта лояльности"},
    )


def test_a_checklist_without_a_title_is_refused_and_nothing_is_written(world):
    with pytest.raises(ValidationError):
        checklist_create(actor=world.people[Role.LP_MANAGER], title="   ")

    assert not Checklist.objects.exists() and not ChecklistEvent.objects.exists()


def test_publishing_records_who_published_it_and_when(world):
    lp, admin = world.people[Role.LP_MANAGER], world.people[Role.ADMIN]
    draft = checklist_create(actor=lp, title="Регистрация участника")

    published = checklist_publish(actor=admin, checklist=draft)

    assert published.status == ChecklistStatus.PUBLISHED and published.published_at
    event = draft.events.get(kind=ChecklistEventKind.PUBLISHED)
    assert (event.actor, event.payload) == (admin, {"status": ["draft", "published"]})


def test_publishing_twice_changes_and_records_nothing_more(world):
    lp = world.people[Role.LP_MANAGER]
    draft = checklist_create(actor=lp, title="Регистрация участника")
    first = checklist_publish(actor=lp, checklist=draft)

    again = checklist_publish(actor=lp, checklist=draft)

    assert again.published_at == first.published_at
    assert draft.events.filter(kind=ChecklistEventKind.PUBLISHED).count() == 1
