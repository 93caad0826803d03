"""A material revision goes live only after a second person approves it.

The submitter (and anyone who wrote the revision) cannot approve it; publishing directly
from the CMS is refused, except a minor fix when SOP_MINOR_FIX_DIRECT_PUBLISH is on.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse

from portal.org.choices import Role
from portal.org.services import person_access_sync
from portal.org.tests.factories import person
from portal.sop.choices import ChangeKind
from portal.sop.models import SopPage
from portal.sop.services import sop_editorial_setup
from portal.sop.tests.factories import publish_sop
from portal.sop.tests.test_cms import _edit_data

pytestmark = pytest.mark.django_db


def _second_lp_manager(world):
    other = person(Role.LP_MANAGER, email="second-lp@example.com")
    person_access_sync(person=other)
    return other


def _submitted(page, author):
    page = SopPage.objects.get(pk=page.pk)
    page.change_kind = ChangeKind.MATERIAL
    page.change_summary = "Новый порядок"
    page.save_revision(user=author)
    return page.get_workflow().start(page, author)


def test_the_submitter_is_offered_no_approval_and_cannot_approve(world):
    sop_editorial_setup()
    author = world.people[Role.LP_MANAGER]
    page = publish_sop()
    state = _submitted(page, author)
    task_state = state.current_task_state
    task = task_state.task.specific

    assert task.get_actions(page, author) == []
    assert not task.get_task_states_user_can_moderate(author).filter(pk=task_state.pk).exists()
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, author, "approve")
    assert page.versions.count() == 1


def test_a_second_lp_manager_approves_and_the_revision_goes_live(world):
    sop_editorial_setup()
    author, reviewer = world.people[Role.LP_MANAGER], _second_lp_manager(world)
    page = publish_sop()
    state = _submitted(page, author)
    task_state = state.current_task_state
    task = task_state.task.specific

    assert [name for name, _label, _modal in task.get_actions(page, reviewer)][:2] == [
        "reject",
        "approve",
    ]
    task.on_action(task_state, reviewer, "approve")

    assert page.versions.count() == 2
    assert page.versions.order_by("-revision_id").first().kind == ChangeKind.MATERIAL


def test_the_submitter_cannot_approve_through_the_cms(world, client):
    sop_editorial_setup()
    author = world.people[Role.LP_MANAGER]
    page = publish_sop()
    state = _submitted(page, author)
    client.force_login(author)

    client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", state.current_task_state.pk],
        )
    )

    state.refresh_from_db()
    assert page.versions.count() == 1
    assert state.status == state.STATUS_IN_PROGRESS


@pytest.mark.parametrize("role", [Role.LP_MANAGER, Role.ADMIN])
def test_publishing_a_material_change_directly_is_refused(world, client, role):
    sop_editorial_setup()
    page = publish_sop()
    client.force_login(world.people[role])

    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        _edit_data(page, change_kind=ChangeKind.MATERIAL, change_summary="Новый порядок"),
    )

    page.refresh_from_db()
    assert page.versions.count() == 1
    assert page.has_unpublished_changes  # kept as a draft, to be submitted for review


def test_the_publish_button_is_not_offered_for_library_pages(world, client):
    sop_editorial_setup()
    page = publish_sop()
    client.force_login(world.people[Role.LP_MANAGER])

    body = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()

    assert 'name="action-publish"' not in body
    assert 'name="action-submit"' in body


def test_a_minor_fix_is_refused_directly_unless_the_chain_allows_it(world, client):
    sop_editorial_setup()
    page = publish_sop()
    client.force_login(world.people[Role.LP_MANAGER])
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    client.post(url, _edit_data(page, change_kind=ChangeKind.MINOR))
    refused = page.versions.count()
    with override_settings(SOP_MINOR_FIX_DIRECT_PUBLISH=True):
        client.post(url, _edit_data(page, change_kind=ChangeKind.MINOR))
        material = _edit_data(page, change_kind=ChangeKind.MATERIAL, change_summary="Иначе")
        client.post(url, material)

    assert refused == 1
    kinds = list(page.versions.order_by("revision_id").values_list("kind", flat=True))
    assert kinds == [ChangeKind.MATERIAL, ChangeKind.MINOR]


def test_a_new_library_page_cannot_be_published_without_review(world, client):
    sop_editorial_setup()
    index = publish_sop().get_parent()
    client.force_login(world.people[Role.LP_MANAGER])
    data = _edit_data(
        publish_sop(), slug="new-sop", title="Новый регламент", change_kind=ChangeKind.MATERIAL
    )

    response = client.post(
        reverse("wagtailadmin_pages:add", args=["sop", "soppage", index.pk]), data
    )

    assert response.status_code == 302, response.context["form"].errors
    created = SopPage.objects.get(slug="new-sop")
    assert not created.live
    assert not created.versions.exists()
