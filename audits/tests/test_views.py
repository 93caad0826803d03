"""The checklist pages: thin views over the selectors, rules and services."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.choices import ChecklistEventKind, ChecklistStatus
from audits.tests.factories import checklist
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


def test_the_list_shows_an_auditor_the_published_checklists_only(client, world):
    lp = world.people[Role.LP_MANAGER]
    checklist(author=lp, title="Черновик")
    checklist(author=lp, title="Опубликован", published=True)
    client.force_login(world.people[Role.AUDITOR])

    page = client.get(reverse("audits:checklists")).content.decode()

    assert "Опубликован" in page and "Черновик" not in page


def test_the_list_costs_the_same_queries_for_two_checklists_or_twelve(
    client, world, django_assert_num_queries
):
    lp = world.people[Role.LP_MANAGER]
    client.force_login(lp)
    for n in range(2):
        checklist(author=lp, title=f"Чек-лист {n}")
    client.get(reverse("audits:checklists"))  # the session's clocks start
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("audits:checklists"))
    for n in range(2, 12):
        checklist(author=lp, title=f"Чек-лист {n}")

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("audits:checklists"))

    assert response.content.decode().count("/audits/checklists/") >= 12


def test_an_lp_manager_publishes_a_draft_from_its_page(client, world):
    lp = world.people[Role.LP_MANAGER]
    draft = checklist(author=lp, title="Черновик")
    client.force_login(lp)
    url = reverse("audits:checklist_detail", args=[draft.pk])

    before = client.get(url).content.decode()
    response = client.post(reverse("audits:checklist_publish", args=[draft.pk]))
    after = client.get(url).content.decode()

    draft.refresh_from_db()
    assert 'data-testid="checklist-publish"' in before
    assert response.status_code == 302 and response["Location"] == url
    assert draft.status == ChecklistStatus.PUBLISHED
    assert 'data-testid="checklist-publish"' not in after
    assert draft.events.filter(kind=ChecklistEventKind.PUBLISHED, actor=lp).exists()


def test_an_auditor_cannot_publish_and_never_learns_a_draft_exists(client, world):
    lp, auditor = world.people[Role.LP_MANAGER], world.people[Role.AUDITOR]
    draft = checklist(author=lp, title="Черновик")
    published = checklist(author=lp, title="Опубликован", published=True)
    client.force_login(auditor)

    hidden = client.get(reverse("audits:checklist_detail", args=[draft.pk]))
    refused = client.post(reverse("audits:checklist_publish", args=[published.pk]))
    shown = client.get(reverse("audits:checklist_detail", args=[published.pk]))

    assert (hidden.status_code, refused.status_code, shown.status_code) == (404, 403, 200)
    assert 'data-testid="checklist-publish"' not in shown.content.decode()
