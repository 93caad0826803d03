"""The checklist pages: thin views over the selectors, rules and services."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.choices import ChecklistEventKind, ChecklistStatus
from audits.models import Checklist
from audits.services import checklist_publish
from audits.tests.factories import checklist, checkout_sections
from audits.wagtail_hooks import ChecklistCreateAction
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


def test_the_page_shows_the_published_version_and_offers_a_new_one_after_an_edit(client, world):
    lp = world.people[Role.LP_MANAGER]
    made = checklist(author=lp, title="Касса", published=True)
    client.force_login(lp)
    url = reverse("audits:checklist_detail", args=[made.pk])

    published = client.get(url).content.decode()
    edited = Checklist.objects.get(pk=made.pk)
    edited.pass_mark = 90
    edited.save()
    after_edit = client.get(url).content.decode()
    client.post(reverse("audits:checklist_publish", args=[made.pk]))
    republished = client.get(url).content.decode()

    assert published.count('data-testid="checklist-question"') == 6
    assert 'data-testid="checklist-publish"' not in published  # nothing new to publish
    assert 'data-testid="checklist-edit"' in published
    assert 'data-testid="checklist-publish"' in after_edit
    assert 'data-testid="checklist-version">2<' in republished


def test_a_checklist_that_cannot_be_scored_comes_back_with_its_problems(client, world):
    lp = world.people[Role.LP_MANAGER]
    empty = checklist(author=lp, title="Пустой", sections=[])
    client.force_login(lp)

    response = client.post(reverse("audits:checklist_publish", args=[empty.pk]), follow=True)

    empty.refresh_from_db()
    assert empty.status == ChecklistStatus.DRAFT
    assert len(list(response.context["messages"])) == 1


def test_a_checklist_made_in_the_cms_says_who_wrote_it_and_publishes(client, world):
    lp = world.people[Role.LP_MANAGER]
    client.force_login(lp)
    assert client.get(reverse("wagtailsnippets_audits_checklist:add")).status_code == 200

    made = ChecklistCreateAction(
        Checklist(title="Из CMS", sections=checkout_sections()), user=lp
    ).execute()

    assert made.created_by == lp
    assert made.events.get().kind == ChecklistEventKind.CREATED
    assert checklist_publish(actor=lp, checklist=made).status == ChecklistStatus.PUBLISHED


def test_the_lp_manager_plans_a_month_for_a_region_and_one_visit_to_a_store(client, world):
    from audits.models import Visit, VisitPlan
    from audits.tests.factories import published_checklist

    lp = world.people[Role.LP_MANAGER]
    made = published_checklist(author=lp)
    client.force_login(lp)

    month = client.post(
        reverse("audits:plans"),
        {
            "checklist": made.pk,
            "region": world.region_a.pk,
            "month": "2027-01",
            "visits_per_store": 1,
        },
    )
    one = client.post(
        reverse("audits:plans"),
        {
            "single": "1",
            "one-checklist": made.pk,
            "one-store": "B1",
            "one-not_before": "2027-02-01",
            "one-due_on": "2027-02-05",
        },
    )
    unknown = client.post(
        reverse("audits:plans"),
        {
            "single": "1",
            "one-store": "ZZ9",
            "one-checklist": made.pk,
            "one-not_before": "2027-02-01",
            "one-due_on": "2027-02-05",
        },
    )

    assert (month.status_code, one.status_code) == (302, 302)
    assert VisitPlan.objects.get().visits.count() == 2  # A1 and A2
    single = Visit.objects.get(store=world.store_b1)
    window = (str(single.not_before), str(single.due_on), single.plan)
    assert window == ("2027-02-01", "2027-02-05", None)
    assert unknown.status_code == 200
    assert "ZZ9" in unknown.content.decode()
