"""The second factor: who needs it, enrolment at the next login, verified sessions, reset."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.org.choices import OrgEventKind, Role
from portal.org.models import OrgEvent
from portal.org.second_factor import services
from portal.org.tests.factories import PASSWORD, person

LOGIN_URL = "/accounts/login/"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _password_login(client, user):
    return client.post(LOGIN_URL, {"username": user.email, "password": PASSWORD}, follow=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.LP_MANAGER, Role.REGIONAL_MANAGER, Role.CALL_CENTER_SUPERVISOR]
)
def test_a_second_factor_role_is_sent_to_enrolment_after_the_password(client, role):
    user = person(role)

    _password_login(client, user)
    dashboard = client.get("/")
    verify = client.get(dashboard["Location"])

    assert dashboard.status_code == 302
    assert dashboard["Location"].startswith(reverse("second_factor_verify"))
    assert verify.status_code == 302
    assert verify["Location"].startswith(reverse("second_factor_enrol"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STORE_STAFF, Role.AUDITOR, Role.CALL_CENTER_AGENT])
def test_other_roles_log_in_with_the_password_alone(client, role):
    user = person(role)

    _password_login(client, user)

    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_superuser_of_any_role_needs_the_second_factor():
    assert services.second_factor_required(person(Role.STORE_STAFF, is_superuser=True))


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_and_secret_and_ends_with_recovery_codes(client):
    lp = person(Role.LP_MANAGER)
    _password_login(client, lp)

    page = client.get(reverse("second_factor_enrol")).content.decode()
    secret = re.search(r'data-testid="second-factor-secret">(\w+)<', page).group(1)
    confirmed = client.post(
        reverse("second_factor_enrol") + "?next=/sop/",
        {"code": services.totp_code_now(secret)},
    )
    codes_page = client.get(confirmed["Location"]).content.decode()

    assert "<svg" in page
    assert confirmed.status_code == 302
    assert confirmed["Location"].startswith(reverse("second_factor_recovery_codes"))
    codes = re.findall(r'<li class="col">(\w+)</li>', codes_page)
    assert len(codes) == 10
    assert client.get("/sop/").status_code == 200
    assert OrgEvent.objects.filter(person=lp, kind=OrgEventKind.SECOND_FACTOR_ENROLLED).exists()


@pytest.mark.django_db
def test_an_enrolled_person_is_verified_by_an_app_code(client):
    lp = person(Role.LP_MANAGER)
    services.second_factor_enrol_with_secret(person=lp, secret=SECRET)
    _password_login(client, lp)

    enrol_again = client.get(reverse("second_factor_enrol"))
    accepted = client.post(
        reverse("second_factor_verify") + "?next=/kpi/",
        {"code": services.totp_code_now(SECRET, steps_ahead=1)},
    )

    assert enrol_again["Location"].startswith(reverse("second_factor_verify"))
    assert accepted.status_code == 302 and accepted["Location"] == "/kpi/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_wrong_code_is_refused_and_the_session_stays_held(client):
    lp = person(Role.LP_MANAGER)
    services.second_factor_enrol_with_secret(person=lp, secret=SECRET)
    _password_login(client, lp)

    refused = client.post(reverse("second_factor_verify"), {"code": "123456"})

    assert refused.status_code == 200 and refused.context["form"].errors
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_recovery_code_works_once_and_leaves_an_event(client):
    lp = person(Role.LP_MANAGER)
    device = services.totp_enrolment_start(person=lp)
    secret = services.totp_secret(device)
    codes = services.totp_enrolment_confirm(
        person=lp, device=device, token=services.totp_code_now(secret)
    )
    _password_login(client, lp)

    first = client.post(reverse("second_factor_verify"), {"code": codes[0]})
    client.logout()
    _password_login(client, lp)
    again = client.post(reverse("second_factor_verify"), {"code": codes[0]})

    assert first.status_code == 302
    assert again.status_code == 200
    assert services.recovery_codes_left(person=lp) == 9
    assert (
        OrgEvent.objects.filter(person=lp, kind=OrgEventKind.SECOND_FACTOR_RECOVERY_USED).count()
        == 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/cms/", "/cms/pages/", "/admin/", "/admin/org/user/"])
def test_admin_sites_refuse_an_unverified_session(client, world, url):
    admin = world.people[Role.ADMIN]
    services.second_factor_enrol_with_secret(person=admin, secret=SECRET)
    client.force_login(admin, second_factor=False)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_verify"))


@pytest.mark.django_db
def test_an_admin_resets_a_second_factor_from_the_people_list(client, world):
    lp = world.people[Role.LP_MANAGER]
    services.second_factor_enrol_with_secret(person=lp, secret=SECRET)
    lp_client = type(client)()
    lp_client.force_login(lp)
    assert lp_client.get("/").status_code == 200
    client.force_login(world.people[Role.ADMIN])

    response = client.post(
        reverse("admin:org_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [lp.pk]},
    )

    assert response.status_code == 302
    assert services.totp_device_confirmed(person=lp) is None
    event = OrgEvent.objects.get(person=lp, kind=OrgEventKind.SECOND_FACTOR_RESET)
    assert event.actor == world.people[Role.ADMIN]
    # The session verified by the removed authenticator is held again, and sent to enrol.
    held = lp_client.get("/")
    assert held["Location"].startswith(reverse("second_factor_verify"))
    assert lp_client.get(held["Location"])["Location"].startswith(reverse("second_factor_enrol"))
