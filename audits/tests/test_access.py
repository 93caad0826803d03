"""Who sees which checklist (selectors, 404) and who may do what with it (rules, 403)."""

from __future__ import annotations

import contextlib

import pytest
from django.http import Http404

from audits.selectors import checklist_get_visible, checklists_visible_to
from audits.tests.factories import checklist
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklists(world):
    lp = world.people[Role.LP_MANAGER]
    return (
        checklist(author=lp, title="Черновик"),
        checklist(author=lp, title="Опубликован", published=True),
    )


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        (Role.LP_MANAGER, {"Черновик", "Опубликован"}),
        (Role.ADMIN, {"Черновик", "Опубликован"}),
        (Role.AUDITOR, {"Опубликован"}),
        (Role.STORE_MANAGER, set()),
        (Role.REGIONAL_MANAGER, set()),
        (Role.CALL_CENTER_SUPERVISOR, set()),
    ],
)
def test_the_list_and_the_detail_agree_on_what_a_role_sees(world, checklists, role, seen):
    user = world.people[role]

    listed = {c.title for c in checklists_visible_to(user=user)}
    opened = set()
    for item in checklists:
        with contextlib.suppress(Http404):
            opened.add(checklist_get_visible(user=user, pk=item.pk).title)

    assert listed == opened == seen


def test_only_content_owners_publish_and_only_drafts(world, checklists):
    draft, published = checklists
    lp, auditor = world.people[Role.LP_MANAGER], world.people[Role.AUDITOR]

    assert lp.has_perm("audits.publish_checklist", draft)
    assert not lp.has_perm("audits.publish_checklist", published)
    assert not auditor.has_perm("audits.publish_checklist", draft)
    assert auditor.has_perm("audits.open_checklist", published)
    assert not world.people[Role.STORE_MANAGER].has_perm("audits.open_checklists")
