"""The role is the truth: superuser and staff status follow it on every path that changes it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.org import services
from portal.org.choices import OrgEventKind, Role
from portal.org.models import OrgEvent, User
from portal.org.tests.factories import person

HEADER = (
    "personnel_number;last_name;first_name;middle_name;email;role;store_code;region_code;"
    "hire_date;is_active\n"
)


def _import_person(role: str) -> User:
    row = f"900001;Соколова;Ирина;Олеговна;i.sokolova@example.ru;{role};;;2022-02-01;1\n"
    services.org_people_import(actor=None, content=(HEADER + row).encode(), filename="hr.csv")
    return User.objects.get(personnel_number="900001")


@pytest.mark.django_db
def test_hr_import_that_demotes_an_admin_takes_superuser_and_staff_status_away():
    admin = _import_person(Role.ADMIN)
    assert (admin.is_superuser, admin.is_staff) == (True, True)

    demoted = _import_person(Role.LP_MANAGER)

    assert (demoted.is_superuser, demoted.is_staff) == (False, False)
    assert list(demoted.groups.values_list("name", flat=True)) == [Role.LP_MANAGER]
    event = OrgEvent.objects.filter(person=demoted, kind=OrgEventKind.PERSON_UPDATED).first()
    assert event.payload["role"] == [Role.ADMIN, Role.LP_MANAGER]
    assert event.payload["is_superuser"] == [True, False]


@pytest.mark.django_db
def test_a_superuser_flag_set_outside_the_role_is_removed_by_the_next_sync():
    seller = person(Role.STORE_STAFF, is_superuser=True, is_staff=True)

    services.person_access_sync(person=seller)

    seller.refresh_from_db()
    assert (seller.is_superuser, seller.is_staff) == (False, False)


def _admin_change_data(person: User, **changes) -> dict:
    data = {
        "email": person.email,
        "personnel_number": person.personnel_number,
        "last_name": person.last_name,
        "first_name": person.first_name,
        "middle_name": person.middle_name,
        "hire_date": "2024-05-01",
        "role": person.role,
        "store": person.store_id or "",
        "region": person.region_id or "",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-05-01",
        "date_joined_1": "10:00:00",
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_admin_form_that_demotes_an_admin_takes_superuser_status_away(client, world):
    other_admin = person(Role.ADMIN)
    services.person_access_sync(person=other_admin)
    assert other_admin.is_superuser
    client.force_login(world.people[Role.ADMIN])

    response = client.post(
        reverse("admin:org_user_change", args=[other_admin.pk]),
        # What the old form sent back: the flags as they were, ticked.
        _admin_change_data(
            other_admin, role=Role.CALL_CENTER_SUPERVISOR, is_superuser="on", is_staff="on"
        ),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    other_admin.refresh_from_db()
    assert other_admin.role == Role.CALL_CENTER_SUPERVISOR
    assert (other_admin.is_superuser, other_admin.is_staff) == (False, False)


@pytest.mark.django_db
def test_admin_form_does_not_offer_the_superuser_flag(client, world):
    seller = world.colleague_a1
    client.force_login(world.people[Role.ADMIN])
    url = reverse("admin:org_user_change", args=[seller.pk])

    form = client.get(url).content.decode()
    client.post(url, _admin_change_data(seller, is_superuser="on", is_staff="on"))

    assert 'name="is_superuser"' not in form
    assert 'name="is_staff"' not in form
    seller.refresh_from_db()
    assert (seller.is_superuser, seller.is_staff) == (False, False)


@pytest.mark.django_db
def test_wagtail_user_form_cannot_make_anyone_a_superuser(client, world):
    seller = world.colleague_a1
    client.force_login(world.people[Role.ADMIN])

    response = client.post(
        reverse("wagtailusers_users:edit", args=[seller.pk]),
        {
            "email": seller.email,
            "first_name": seller.first_name,
            "last_name": seller.last_name,
            "is_active": "on",
            "is_superuser": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    seller.refresh_from_db()
    assert seller.is_superuser is False
