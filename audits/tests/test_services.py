"""Checklist writes: atomic, one event row per change, publication once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override

from audits.choices import ChecklistEventKind, ChecklistStatus, QuestionKind
from audits.models import Checklist, ChecklistEvent, ChecklistVersion
from audits.selectors import checklist_spec
from audits.services import checklist_create, checklist_publish
from audits.tests.factories import checkout_sections, question, section
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


def _draft(world, **kwargs):
    return checklist_create(
        actor=world.people[Role.LP_MANAGER],
        title="Регистрация участника",
        sections=kwargs.pop("sections", checkout_sections()),
        **kwargs,
    )


def test_publishing_freezes_version_1_and_records_who_published_it(world):
    admin = world.people[Role.ADMIN]
    draft = _draft(world)

    published = checklist_publish(actor=admin, checklist=draft)

    assert published.status == ChecklistStatus.PUBLISHED and published.published_at
    event = draft.events.get(kind=ChecklistEventKind.PUBLISHED)
    assert (event.actor, event.payload) == (
        admin,
        {"status": ["draft", "published"], "version": 1},
    )
    version = ChecklistVersion.objects.get(checklist=draft)
    assert (version.number, version.pass_mark, version.published_by) == (1, 80, admin)
    assert [s.title for s in version.sections.all()] == ["Карта на кассе", "Скрипт"]
    questions = list(version.questions.all())
    assert [q.text for q in questions][:2] == [
        "Кассир предложил карту лояльности",
        "Кассир спросил номер телефона",
    ]
    assert len(questions) == 6 and all(len(q.key) == 36 for q in questions)  # block ids
    choice = next(q for q in questions if q.kind == QuestionKind.CHOICE)
    assert choice.options[1] == ["После вопроса", "0.5"]


def test_publishing_unchanged_makes_no_version_and_records_nothing_more(world):
    lp = world.people[Role.LP_MANAGER]
    draft = _draft(world)
    first = checklist_publish(actor=lp, checklist=draft)

    again = checklist_publish(actor=lp, checklist=draft)

    assert again.published_at == first.published_at
    assert draft.versions.count() == 1
    assert draft.events.filter(kind=ChecklistEventKind.PUBLISHED).count() == 1


def test_an_edit_after_publishing_makes_the_next_version_and_leaves_the_first_as_it_was(world):
    lp = world.people[Role.LP_MANAGER]
    draft = _draft(world)
    checklist_publish(actor=lp, checklist=draft)
    v1 = ChecklistVersion.objects.get(checklist=draft)
    spec_before = checklist_spec(version=v1)
    keys = list(v1.questions.values_list("key", flat=True))

    edited = Checklist.objects.get(pk=draft.pk)
    data = edited.sections.raw_data
    data[0]["value"]["questions"][0]["value"]["text"] = "Кассир сам предложил карту"
    data[0]["value"]["questions"][0]["value"]["weight"] = "3"
    edited.sections = data
    edited.pass_mark = 85
    edited.save()
    checklist_publish(actor=lp, checklist=edited)

    v1.refresh_from_db()
    v2 = draft.versions.get(number=2)
    assert checklist_spec(version=v1) == spec_before  # what visits filed on v1 are scored by
    assert (v2.pass_mark, v2.questions.get(key=keys[0]).text) == (85, "Кассир сам предложил карту")
    assert list(v2.questions.values_list("key", flat=True)) == keys  # the same questions
    assert draft.events.filter(kind=ChecklistEventKind.PUBLISHED).count() == 2


@override("en")
def test_a_checklist_that_cannot_be_scored_is_refused_naming_each_problem(world):
    lp = world.people[Role.LP_MANAGER]
    empty = _draft(world, sections=[])
    broken = _draft(
        world,
        sections=[
            section("Пустой"),
            section(
                "Касса",
                question("Как предложил", "choice", options=[{"label": "Сам", "share": "1"}]),
                question("Ожидание", "numeric", low="10", high="5"),
                question("Фото витрины", "photo", critical="visit"),
            ),
        ],
    )

    with pytest.raises(ValidationError) as no_sections:
        checklist_publish(actor=lp, checklist=empty)
    with pytest.raises(ValidationError) as problems:
        checklist_publish(actor=lp, checklist=broken)

    assert no_sections.value.messages == ["Add at least one section with its questions."]
    assert problems.value.messages == [
        "Section «Пустой» has no questions.",
        "«Как предложил»: a choice needs at least two options.",
        "«Ожидание»: give the range of numbers that passes («from» not above «up to»).",
        "«Фото витрины»: only a question that scores can be critical.",
    ]
    assert not ChecklistVersion.objects.exists()
    assert not ChecklistEvent.objects.filter(kind=ChecklistEventKind.PUBLISHED).exists()
