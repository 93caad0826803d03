"""The desk's API for other channels: a channel's token (issued once by `desk_token`),
201 with the number, 400 naming each bad field, 401 without a valid token, throttled per
channel; the status by number and phone."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from incidents.choices import Channel, Status
from incidents.models import IntakeChannel, Ticket
from incidents.services.channels import channel_token_issue
from incidents.tests.factories import ticket
from portal.org.choices import Role

pytestmark = pytest.mark.django_db

TICKETS = reverse("incidents:api_tickets")


def api(token: str | None = None) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def token(db) -> str:
    _channel, raw, _created = channel_token_issue(name="Чат-бот")
    return raw


def payload(**values) -> dict:
    return {
        "category": "bonus_not_credited",
        "description": "Бонусы не пришли за покупку 3 марта.",
        "customer_name": "Мария",
        "customer_phone": "+7 916 123-45-67",
        "customer_email": "maria@example.com",
        "receipt_amount": "1234.50",
        **values,
    }


def fields(response) -> list[str]:
    return sorted({problem["field"] for problem in response.json()["errors"]})


def test_desk_token_creates_a_channel_and_prints_its_token_once():
    out, err = io.StringIO(), io.StringIO()

    call_command("desk_token", "Мобильное приложение", stdout=out, stderr=err)

    raw = out.getvalue().strip()
    channel = IntakeChannel.objects.get(name="Мобильное приложение")
    assert channel.is_active and channel.token_prefix == raw[:8]
    assert raw not in channel.token_hash and "shown once" in err.getvalue()
    assert api(raw).post(TICKETS, payload(), format="json").status_code == 201


def test_a_new_token_voids_the_old_one():
    old_out, new_out = io.StringIO(), io.StringIO()
    call_command("desk_token", "Чат-бот", stdout=old_out, stderr=io.StringIO())
    call_command("desk_token", "Чат-бот", stdout=new_out, stderr=io.StringIO())

    old = api(old_out.getvalue().strip()).post(TICKETS, payload(), format="json")
    new = api(new_out.getvalue().strip()).post(TICKETS, payload(), format="json")

    assert (old.status_code, new.status_code) == (401, 201)
    assert IntakeChannel.objects.count() == 1


def test_a_channel_files_a_ticket_and_gets_its_number(token, world):
    answer = api(token).post(
        TICKETS, payload(store_code="a1", receipt_at="2026-01-05T10:00:00+03:00"), format="json"
    )

    assert answer.status_code == 201
    filed = Ticket.objects.get()
    assert answer.json() == {"number": filed.number, "status": Status.NEW}
    assert filed.channel == Channel.API and filed.created_by is None
    assert filed.store == world.store_a1 and filed.customer_phone == "79161234567"
    assert filed.details == {"intake_channel": "Чат-бот"}
    channel = IntakeChannel.objects.get()
    assert channel.last_used_at is not None


@pytest.mark.parametrize(
    ("headers", "why"),
    [
        ({}, "no token"),
        ({"HTTP_AUTHORIZATION": "Token not-a-token"}, "unknown"),
        ({"HTTP_AUTHORIZATION": "Token"}, "malformed"),
    ],
)
def test_without_a_valid_token_the_answer_is_401(headers, why, token):
    answer = APIClient().post(TICKETS, payload(), format="json", **headers)

    assert answer.status_code == 401, why
    assert "detail" in answer.json() and answer["WWW-Authenticate"] == "Token"
    assert not Ticket.objects.exists()


def test_a_deactivated_channel_is_401(token):
    IntakeChannel.objects.update(is_active=False)

    assert api(token).post(TICKETS, payload(), format="json").status_code == 401


def test_a_signed_in_session_is_not_a_token(client, world):
    client.force_login(world.people[Role.CALL_CENTER_AGENT])

    answer = client.post(TICKETS, payload(), content_type="application/json")

    assert answer.status_code == 401 and not Ticket.objects.exists()


@pytest.mark.parametrize(
    ("values", "named"),
    [
        ({"customer_phone": "12345"}, ["customer_phone"]),
        ({"category": "complaint"}, ["category"]),
        ({"description": ""}, ["description"]),
        ({"description": "я" * 5001}, ["description"]),
        ({"store_code": "Z999"}, ["store_code"]),
        ({"receipt_amount": "12,5"}, ["receipt_amount"]),
        ({"receipt_amount": "-5"}, ["receipt_amount"]),
        ({"receipt_at": "вчера"}, ["receipt_at"]),
        ({"receipt_at": "2999-01-01T10:00:00+03:00"}, ["receipt_at"]),
        ({"customer_phone": "", "customer_email": ""}, ["customer_phone"]),
        ({"customer_email": "maria@", "card_number": "12"}, ["card_number", "customer_email"]),
    ],
)
def test_bad_fields_are_400_each_named_and_nothing_is_filed(token, world, values, named):
    answer = api(token).post(TICKETS, payload(**values), format="json")

    assert answer.status_code == 400
    assert fields(answer) == named
    assert not Ticket.objects.exists()


def test_a_closed_store_is_named(token, world):
    world.store_b1.is_active = False
    world.store_b1.save(update_fields=["is_active"])

    answer = api(token).post(TICKETS, payload(store_code="B1"), format="json")

    assert answer.status_code == 400 and fields(answer) == ["store_code"]


@pytest.mark.parametrize("body", ["{not json", "[1, 2]"])
def test_a_body_that_is_not_a_json_object_is_400(token, body):
    answer = api(token).post(TICKETS, body, content_type="application/json")

    assert answer.status_code == 400 and fields(answer) == ["body"]


def test_a_form_encoded_body_is_415(token):
    assert api(token).post(TICKETS, payload()).status_code == 415


def test_a_body_over_64_kb_is_413(token):
    answer = api(token).post(TICKETS, payload(description="я" * 40_000), format="json")

    assert answer.status_code == 413 and fields(answer) == ["body"]


@override_settings(INCIDENTS_API_THROTTLE_RATE="2/min")
def test_calls_are_throttled_per_channel(token):
    _other, other_token = channel_token_issue(name="Приложение")[:2]
    statuses = [api(token).post(TICKETS, payload(), format="json").status_code for _i in "abc"]

    assert statuses == [201, 201, 429]
    assert api(other_token).post(TICKETS, payload(), format="json").status_code == 201


def test_the_status_by_number_and_phone(token):
    filed = ticket()
    url = reverse("incidents:api_ticket", args=[filed.number])

    found = api(token).get(url, {"phone": "8 916 123 45 67"})
    wrong_phone = api(token).get(url, {"phone": "+7 916 000-00-00"})
    wrong_number = api(token).get(
        reverse("incidents:api_ticket", args=["000-000-001"]), {"phone": "+79161234567"}
    )

    assert found.status_code == 200
    assert found.json()["number"] == filed.number and found.json()["status"] == Status.NEW
    assert found.json()["status_label"]
    assert wrong_phone.status_code == wrong_number.status_code == 404
    assert wrong_phone.json() == wrong_number.json()
    assert APIClient().get(url, {"phone": "+79161234567"}).status_code == 401


def test_other_urls_of_the_api_are_json_404(token):
    answer = api(token).get("/incidents/api/tickets")

    assert answer.status_code == 404 and "end with" in answer.json()["detail"]
