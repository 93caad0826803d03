"""Brute force: lockout by the normalised account plus a per-address limit; reset throttled."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.org.tests.factories import PASSWORD, UserFactory

LOGIN_URL = "/accounts/login/"


def _login(client, login: str, password: str = PASSWORD, ip: str = "10.0.0.1", **extra):
    return client.post(
        LOGIN_URL, {"username": login, "password": password}, REMOTE_ADDR=ip, **extra
    )


@pytest.mark.django_db
def test_failures_under_every_spelling_of_one_account_lock_that_account():
    from django.test import Client

    UserFactory(email="a.ivanova@example.ru", personnel_number="100001")
    spellings = [
        "a.ivanova@example.ru",
        "A.Ivanova@Example.RU",
        "100001",
        " 100001 ",
        "A.IVANOVA@EXAMPLE.RU",
    ]
    for number, login in enumerate(spellings):
        # A different address each time: the account itself is what is counted.
        _login(Client(), login, "wrong", ip=f"10.0.1.{number}")

    locked = _login(Client(), "a.ivanova@example.ru", PASSWORD, ip="10.0.2.1")

    assert locked.status_code == 429


@pytest.mark.django_db
def test_one_address_is_locked_after_the_address_limit_on_many_accounts(client, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 10
    people = [UserFactory() for _n in range(11)]
    for victim in people[:10]:
        _login(client, victim.email, "wrong", ip="10.0.0.9")

    same_address = _login(client, people[10].email, PASSWORD, ip="10.0.0.9")
    other_address = _login(client, people[10].email, PASSWORD, ip="10.0.0.10")

    assert same_address.status_code == 429
    assert other_address.status_code == 302


@pytest.mark.django_db
def test_a_few_failures_from_one_address_do_not_lock_its_other_accounts(client):
    first, second = UserFactory(), UserFactory()
    for _n in range(5):
        _login(client, first.email, "wrong", ip="10.0.0.3")

    assert _login(client, second.email, PASSWORD, ip="10.0.0.3").status_code == 302


@pytest.mark.django_db
def test_the_client_address_comes_from_the_configured_proxy_header_only(client, settings):
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 1
    victim = UserFactory()
    for number in range(5):
        # Every request comes from the proxy (10.9.9.9); the client forges a left-hand
        # address each time, the proxy appends the real one (203.0.113.7).
        _login(
            client,
            f"nobody{number}@example.ru",
            "wrong",
            ip="10.9.9.9",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}, 203.0.113.7",
        )
    from axes.models import AccessAttempt

    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))

    assert addresses == {"203.0.113.7"}
    assert (
        _login(client, victim.email, ip="10.9.9.9", HTTP_X_FORWARDED_FOR="203.0.113.8").status_code
        == 302
    )


@pytest.mark.django_db
def test_without_a_configured_header_a_forwarded_address_is_ignored(client):
    _login(client, "nobody@example.ru", "wrong", ip="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.5"]


@pytest.mark.django_db
def test_password_reset_sends_at_most_three_links_an_hour_to_one_account(client):
    UserFactory(email="a@example.ru")
    for number, spelling in enumerate(
        ["a@example.ru", "A@Example.ru", "a@EXAMPLE.RU", "a@example.ru", "A@example.ru"]
    ):
        response = client.post(
            reverse("password_reset"), {"email": spelling}, REMOTE_ADDR=f"10.0.3.{number}"
        )
        assert response.status_code == 302

    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_password_reset_refuses_one_address_after_twenty_requests(client):
    for number in range(20):
        client.post(
            reverse("password_reset"), {"email": f"x{number}@example.ru"}, REMOTE_ADDR="10.0.4.1"
        )

    refused = client.post(
        reverse("password_reset"), {"email": "y@example.ru"}, REMOTE_ADDR="10.0.4.1"
    )
    elsewhere = client.post(
        reverse("password_reset"), {"email": "y@example.ru"}, REMOTE_ADDR="10.0.4.2"
    )

    assert refused.status_code == 429
    assert elsewhere.status_code == 302
