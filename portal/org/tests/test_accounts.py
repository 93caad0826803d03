"""Logging in by e-mail or personnel number, lockout, idle sessions, deactivation, reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.org import services
from portal.org.tests.factories import PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"


def _login(client, login: str, password: str = PASSWORD, ip: str = "10.0.0.1"):
    return client.post(LOGIN_URL, {"username": login, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["email", "personnel_number", "email_upper"])
def test_login_by_email_or_personnel_number(client, field):
    person = UserFactory(email="a.ivanova@example.ru", personnel_number="100001")
    login = {
        "email": person.email,
        "personnel_number": "100001",
        "email_upper": "A.Ivanova@Example.RU",
    }[field]

    response = _login(client, login)

    assert response.status_code == 302
    assert response["Location"] == reverse("home:dashboard")
    assert int(client.session["_auth_user_id"]) == person.pk


@pytest.mark.django_db
def test_wrong_password_keeps_user_on_login_page_with_an_error(client):
    UserFactory(email="a@example.ru")

    response = _login(client, "a@example.ru", "wrong")

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_lockout_per_account_after_five_failures(client):
    UserFactory(email="a@example.ru")
    UserFactory(email="b@example.ru")
    for _ in range(5):
        _login(client, "a@example.ru", "wrong", ip="10.0.0.1")

    locked = _login(client, "a@example.ru", PASSWORD, ip="10.0.0.1")
    other_ip = _login(client, "a@example.ru", PASSWORD, ip="10.0.0.2")
    client.logout()
    other_login_same_ip = _login(client, "b@example.ru", PASSWORD, ip="10.0.0.1")

    assert locked.status_code == 429
    assert "_auth_user_id" not in locked.wsgi_request.session
    assert other_ip.status_code == 429
    assert other_login_same_ip.status_code == 302


# Idle and absolute session lifetimes: portal/tests/test_sessions.py.


@pytest.mark.django_db
def test_deactivated_account_loses_its_session_on_the_next_request(client):
    person = UserFactory(email="a@example.ru")
    admin = UserFactory(role="admin", store=None)
    _login(client, "a@example.ru")
    assert client.get(reverse("home:dashboard")).status_code == 200

    person.is_active = False  # as the admin's change form saves it
    person.save()
    services.person_admin_saved(actor=admin, person=person, created=False, changed=["is_active"])
    response = client.get(reverse("home:dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)
    assert _login(client, "a@example.ru").status_code == 200  # and cannot log in again


@pytest.mark.django_db
def test_password_reset_mail_link_sets_a_new_password(client):
    person = UserFactory(email="a@example.ru")
    person.set_unusable_password()  # new hires set their first password this way
    person.save()

    client.post(reverse("password_reset"), {"email": "a@example.ru"})
    (message,) = mail.outbox
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)
    form_page = client.get(link, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Sveta-2026-kassa", "new_password2": "Sveta-2026-kassa"},
    )

    assert _login(client, "a@example.ru", "Sveta-2026-kassa").status_code == 302


@pytest.mark.django_db
def test_password_reset_does_not_reveal_unknown_addresses(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.ru"})

    assert response.status_code == 302
    assert mail.outbox == []
