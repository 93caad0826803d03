"""Sellers without e-mail: imported without one, activated with a one-time code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal.org.activation import (
    ActivationFailed,
    activation_code_issue,
    activation_complete,
    code_normalise,
)
from portal.org.choices import OrgEventKind, Role
from portal.org.models import ActivationCode, OrgEvent, User
from portal.org.services import org_people_import, org_stores_import
from portal.org.tests.test_import import PEOPLE_HEADER, STORES_CSV

PASSWORD = "Kassa-2026-vesna"


def _import(rows: str):
    org_stores_import(actor=None, content=STORES_CSV.encode(), filename="s.csv")
    return org_people_import(actor=None, content=(PEOPLE_HEADER + rows).encode(), filename="p.csv")


@pytest.mark.django_db
def test_people_import_without_email_column_or_value():
    _import(
        "200001;Смирнова;Ольга;;;store_staff;M001;;2025-01-10;1\n"
        "200002;Козлов;Павел;;;store_staff;M001;;2025-01-11;1\n"
        "200003;Белова;Ирина;;i.belova@example.ru;store_manager;M001;;2024-01-11;1\n"
    )
    assert dict(User.objects.values_list("personnel_number", "email")) == {
        "200001": None,
        "200002": None,
        "200003": "i.belova@example.ru",
    }
    without_column = (
        "personnel_number;last_name;first_name;role;store_code\n"
        "200004;Орлова;Мария;store_staff;M002\n"
    )
    org_people_import(actor=None, content=without_column.encode(), filename="p2.csv")
    assert User.objects.get(personnel_number="200004").email is None
    # Importing the same file again changes nothing (NULL compares equal to no e-mail).
    report = _import("200001;Смирнова;Ольга;;;store_staff;M001;;2025-01-10;1\n")
    assert report.updated == 0


@pytest.mark.django_db
def test_a_bad_email_is_still_named():
    from portal.imports.errors import ImportRejected

    with pytest.raises(ImportRejected) as caught:
        _import("200001;Смирнова;Ольга;;not-an-address;store_staff;M001;;2025-01-10;1\n")
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "email")]


@pytest.mark.django_db
def test_store_manager_issues_for_own_store_only(world):
    manager = world.people[Role.STORE_MANAGER]
    issued = activation_code_issue(actor=manager, person=world.colleague_a1)
    assert len(issued.code) == 8 and issued.record.code_hash != issued.code
    assert issued.record.expires_at - issued.record.issued_at == timedelta(hours=72)
    assert OrgEvent.objects.filter(
        kind=OrgEventKind.ACTIVATION_CODE_ISSUED, person=world.colleague_a1, actor=manager
    ).exists()
    for stranger in (world.staff_a2, world.staff_b1, manager):
        with pytest.raises(PermissionDenied):
            activation_code_issue(actor=manager, person=stranger)
    with pytest.raises(PermissionDenied):
        activation_code_issue(actor=world.people[Role.STORE_STAFF], person=world.colleague_a1)
    # The regional manager of region A may; of region B may not.
    activation_code_issue(actor=world.people[Role.REGIONAL_MANAGER], person=world.staff_a2)
    with pytest.raises(PermissionDenied):
        activation_code_issue(actor=world.manager_b, person=world.staff_a2)


@pytest.mark.django_db
def test_a_code_works_once_and_a_new_one_voids_the_old(world):
    manager, seller = world.people[Role.STORE_MANAGER], world.colleague_a1
    first = activation_code_issue(actor=manager, person=seller)
    second = activation_code_issue(actor=manager, person=seller)
    with pytest.raises(ActivationFailed):
        activation_complete(
            personnel_number=seller.personnel_number, code=first.code, password=PASSWORD
        )
    typed = f" {second.code[:4].lower()}-{second.code[4:]} "  # as people type it
    person = activation_complete(
        personnel_number=seller.personnel_number, code=typed, password=PASSWORD
    )
    assert person == seller and User.objects.get(pk=seller.pk).check_password(PASSWORD)
    assert ActivationCode.objects.get(pk=second.record.pk).used_at is not None
    assert (
        OrgEvent.objects.filter(kind=OrgEventKind.ACTIVATION_CODE_USED, person=seller).count() == 1
    )
    with pytest.raises(ActivationFailed):
        activation_complete(
            personnel_number=seller.personnel_number, code=second.code, password="Other-2026-pass"
        )


@pytest.mark.django_db
def test_wrong_tries_block_the_code_and_expiry_ends_it(world, settings):
    settings.ACTIVATION_CODE_MAX_ATTEMPTS = 3
    manager, seller = world.people[Role.STORE_MANAGER], world.colleague_a1
    issued = activation_code_issue(actor=manager, person=seller)
    wrong = "AAAA" + ("BBBB" if issued.code[4:] != "BBBB" else "CCCC")
    for _try in range(3):
        with pytest.raises(ActivationFailed):
            activation_complete(
                personnel_number=seller.personnel_number, code=wrong, password=PASSWORD
            )
    record = ActivationCode.objects.get(pk=issued.record.pk)
    assert record.failed_attempts == 3 and record.voided_at is not None
    assert OrgEvent.objects.filter(kind=OrgEventKind.ACTIVATION_CODE_BLOCKED).count() == 1
    with pytest.raises(ActivationFailed):  # even the right code, once blocked
        activation_complete(
            personnel_number=seller.personnel_number, code=issued.code, password=PASSWORD
        )
    fresh = activation_code_issue(actor=manager, person=seller)
    ActivationCode.objects.filter(pk=fresh.record.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ActivationFailed):
        activation_complete(
            personnel_number=seller.personnel_number, code=fresh.code, password=PASSWORD
        )
    assert not User.objects.get(pk=seller.pk).has_usable_password() or not User.objects.get(
        pk=seller.pk
    ).check_password(PASSWORD)


def test_code_normalise():
    assert code_normalise(" k7qm-3xhp ") == "K7QM3XHP"


@pytest.mark.django_db
def test_issue_screen_code_qr_and_slip(client, world):
    manager, seller = world.people[Role.STORE_MANAGER], world.colleague_a1
    client.force_login(manager)
    url = reverse("org:person_activation", args=[seller.personnel_number])
    page = client.get(url)
    assert page.status_code == 200 and b'id="activation-code"' not in page.content
    assert client.get(url + "?format=pdf").status_code == 404  # nothing issued in this session
    response = client.post(url, follow=True)
    code = response.context["code"]
    assert code and "<svg" in response.context["qr_svg"]
    assert f"n={seller.personnel_number}" in response.context["activation_url"]
    slip = client.get(url + "?format=pdf")
    assert slip.status_code == 200 and slip["Content-Type"] == "application/pdf"
    # Another manager's session never sees the code.
    client.force_login(world.people[Role.REGIONAL_MANAGER])
    assert client.get(url).context["code"] == ""
    # The person page links the screen for those who may issue.
    client.force_login(manager)
    detail = client.get(reverse("org:person_detail", args=[seller.personnel_number]))
    assert url.encode() in detail.content


@pytest.mark.django_db
def test_activation_page_sets_the_password_and_signs_in(client, world):
    seller = world.colleague_a1
    issued = activation_code_issue(actor=world.people[Role.STORE_MANAGER], person=seller)
    url = reverse("activate")
    page = client.get(url, {"n": seller.personnel_number, "c": "K7QM-3XHP"})
    assert page.context["form"].initial["personnel_number"] == seller.personnel_number
    data = {
        "personnel_number": seller.personnel_number,
        "code": "WRONGCOD",
        "new_password1": PASSWORD,
        "new_password2": PASSWORD,
    }
    wrong = client.post(url, data)
    assert wrong.status_code == 200 and "code" in wrong.context["form"].errors
    weak = client.post(
        url, {**data, "code": issued.code, "new_password1": "1", "new_password2": "1"}
    )
    assert "new_password1" in weak.context["form"].errors
    done = client.post(url, {**data, "code": issued.code})
    assert done.status_code == 302 and done["Location"] == reverse("home:dashboard")
    assert client.get(reverse("home:dashboard")).context["user"] == seller
    client.logout()
    login = client.post(
        reverse("login"), {"username": seller.personnel_number, "password": PASSWORD}
    )
    assert login.status_code == 302


@pytest.mark.django_db
@override_settings(ACTIVATION_RATE_PER_ADDRESS="3/h")
def test_activation_page_is_throttled_per_address(client, world):
    data = {"personnel_number": "x", "code": "y", "new_password1": "a", "new_password2": "a"}
    statuses = [client.post(reverse("activate"), data).status_code for _i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
