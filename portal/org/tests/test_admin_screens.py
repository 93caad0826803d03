"""Administrators manage regions, stores and people in Django's admin and Wagtail's."""

from __future__ import annotations

import pytest
from django.urls import reverse

ADMIN_SCREENS = [
    "admin:org_user_changelist",
    "admin:org_user_add",
    "admin:org_store_changelist",
    "admin:org_store_add",
    "admin:org_region_changelist",
    "admin:org_orgevent_changelist",
    "wagtailadmin_home",
    "wagtailusers_users:index",
    "wagtailusers_users:add",
    "wagtailusers_groups:index",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ADMIN_SCREENS)
def test_admin_screens_render_for_an_administrator(client, world, url_name):
    client.force_login(world.people["admin"])

    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_a_person_opens_in_both_admins(client, world):
    client.force_login(world.people["admin"])
    person = world.colleague_a1

    django_admin = client.get(reverse("admin:org_user_change", args=[person.pk]))
    wagtail_admin = client.get(reverse("wagtailusers_users:edit", args=[person.pk]))

    assert django_admin.status_code == 200
    assert person.personnel_number.encode() in django_admin.content
    assert wagtail_admin.status_code == 200


@pytest.mark.django_db
def test_events_are_read_only_in_the_admin(client, world):
    client.force_login(world.people["admin"])

    assert client.get(reverse("admin:org_orgevent_add")).status_code == 403


@pytest.mark.django_db
def test_adding_a_person_in_the_admin_syncs_groups_and_logs_an_event(client, world):
    from portal.org.choices import OrgEventKind
    from portal.org.models import OrgEvent, User

    client.force_login(world.people["admin"])
    response = client.post(
        reverse("admin:org_user_add"),
        {
            "email": "new.manager@example.ru",
            "personnel_number": "777001",
            "last_name": "Зайцева",
            "first_name": "Дарья",
            "role": "store_manager",
            "store": world.store_a2.pk,
            "password1": "Kassa-2026-secret",
            "password2": "Kassa-2026-secret",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    person = User.objects.get(personnel_number="777001")
    assert list(person.groups.values_list("name", flat=True)) == ["store_manager"]
    assert OrgEvent.objects.filter(person=person, kind=OrgEventKind.PERSON_CREATED).exists()
