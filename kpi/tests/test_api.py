"""The POS API: a token per POS system, its own stores only, the same all-or-nothing and
idempotent load as files, every problem named by receipt index and field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from kpi.choices import BatchSource, BatchStatus
from kpi.models import ImportBatch, PosSystem, Receipt, StoreDay
from kpi.pos import pos_token_issue
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import RegionFactory, StoreFactory

pytestmark = pytest.mark.django_db

RECEIPTS = "/api/v1/receipts/"
YESTERDAY = (timezone.localtime() - datetime.timedelta(days=1)).replace(
    hour=10, minute=15, second=0, microsecond=0
)


def receipt(number: int, store: str = "S1", **fields) -> dict:
    return {
        "store_code": store,
        "receipt_id": f"R{number}",
        "issued_at": (YESTERDAY + datetime.timedelta(minutes=number)).isoformat(),
        "amount": "1500.50",
        "items": 3,
        **fields,
    }


def english_client() -> APIClient:
    """Messages are Russian by default; the tests read them in English, the source text."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def token_client(token: str) -> APIClient:
    client = english_client()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def pos() -> tuple[PosSystem, str]:
    """A POS system for stores S1 and S2; S9 exists but belongs to no one here."""
    for code in ("S1", "S2", "S9"):
        StoreFactory(code=code)
    return pos_token_issue(name="Кассы Казань", stores=Store.objects.filter(code__in=["S1", "S2"]))


@pytest.fixture
def api(pos) -> APIClient:
    return token_client(pos[1])


@pytest.fixture
def send(api, django_capture_on_commit_callbacks):
    """POST as the POS system and run the store-day refresh queued after commit."""

    def run(payload, client: APIClient | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return (client or api).post(RECEIPTS, payload, format="json")

    return run


def _facts():
    return sorted(
        StoreDay.objects.values_list(
            "store__code", "day", "receipts", "identified", "turnover", "items", "phones"
        )
    )


def _fields(response) -> list[tuple[int | None, str]]:
    return [(e["index"], e["field"]) for e in response.json()["errors"]]


# --- Loading -------------------------------------------------------------------------------


def test_receipts_load_and_build_store_days(send, pos):
    payload = {
        "receipts": [
            receipt(1, card_id="C1", phone_captured=True),
            receipt(2, amount=99.9, items=1),
            receipt(3, store="S2", new_member="true"),
        ]
    }

    response = send(payload)

    assert response.status_code == 201
    batch = ImportBatch.objects.get()
    assert response.json() == {"batch": batch.pk, "rows": 3, "inserted": 3, "already_loaded": 0}
    assert (batch.source, batch.filename, batch.status) == (
        BatchSource.API,
        "api:Кассы Казань",
        BatchStatus.APPLIED,
    )
    first = Receipt.objects.get(receipt_id="R1")
    assert first.issued_at == YESTERDAY + datetime.timedelta(minutes=1)
    assert (first.card_id, first.phone_captured) == ("C1", True)
    assert Receipt.objects.get(receipt_id="R2").amount == Decimal("99.90")
    assert Receipt.objects.get(receipt_id="R3").new_member is True
    assert _facts() == [
        ("S1", YESTERDAY.date(), 2, 1, Decimal("1600.40"), 4, 1),
        ("S2", YESTERDAY.date(), 1, 0, Decimal("1500.50"), 3, 0),
    ]
    pos[0].refresh_from_db()
    assert pos[0].last_used_at is not None


def test_sending_the_same_receipts_twice_changes_nothing(send):
    payload = {"receipts": [receipt(1, card_id="C1"), receipt(2)]}
    send(payload)
    facts, count = _facts(), Receipt.objects.count()

    again = send(payload)

    assert again.status_code == 201
    assert again.json()["inserted"] == 0 and again.json()["already_loaded"] == 2
    assert (_facts(), Receipt.objects.count()) == (facts, count)


# --- Authentication ----------------------------------------------------------------------


REQUIRED = "A POS system token is required: «Authorization: Token <token>»."
UNKNOWN = "Unknown or deactivated POS system token."


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        (None, REQUIRED),
        ("Token not-a-real-token", UNKNOWN),
        ("Token", "Send the header as «Authorization: Token <token>»."),
        ("Bearer whatever", REQUIRED),
    ],
    ids=["missing", "unknown", "empty", "other-scheme"],
)
def test_without_a_valid_token_the_answer_is_401(pos, header, detail):
    client = english_client()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)

    response = client.post(RECEIPTS, {"receipts": [receipt(1)]}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": detail}
    assert not Receipt.objects.exists()


def test_messages_are_in_russian_unless_asked_otherwise(pos):
    response = APIClient().post(RECEIPTS, {"receipts": [receipt(1)]}, format="json")

    with translation.override("ru"):
        assert response.json() == {"detail": translation.gettext(REQUIRED)}


def test_a_deactivated_pos_system_gets_401(pos, api):
    PosSystem.objects.filter(pk=pos[0].pk).update(is_active=False)

    response = api.post(RECEIPTS, {"receipts": [receipt(1)]}, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": UNKNOWN}


def test_a_rotated_token_replaces_the_old_one(pos):
    _, new_token = pos_token_issue(name="Кассы Казань", stores=Store.objects.filter(code="S1"))

    old = token_client(pos[1]).get(reverse("api:batch", kwargs={"pk": 1}))
    new = token_client(new_token).get(reverse("api:batch", kwargs={"pk": 1}))

    assert (old.status_code, new.status_code) == (401, 404)
    assert PosSystem.objects.get().token_prefix == new_token[:8]
    events = PosSystem.objects.get().events.order_by("at", "pk")
    assert [(e.kind, e.token_prefix, e.stores) for e in events] == [
        ("issued", pos[1][:8], ["S1", "S2"]),
        ("rotated", new_token[:8], ["S1"]),
    ]


def test_a_staff_session_is_not_a_token(pos, world):
    client = english_client()
    client.force_login(world.people[Role.ADMIN])

    response = client.post(RECEIPTS, {"receipts": [receipt(1)]}, format="json")

    assert response.status_code == 401
    assert response.json() == {"detail": REQUIRED}


def test_the_wagtail_admin_api_still_takes_the_editors_session(world, client):
    """The REST framework defaults serve Wagtail's admin API; only the POS API is token-only."""
    client.force_login(world.people[Role.ADMIN])

    response = client.get("/cms/api/main/pages/")

    assert response.status_code == 200
    assert "items" in response.json()


def test_the_command_prints_a_token_that_authenticates(send):
    region = RegionFactory(code="RT")
    StoreFactory(code="T1", region=region)
    out = StringIO()

    call_command("pos_token", "Кассы Татарстан", "--region", "RT", stdout=out, stderr=StringIO())

    token = out.getvalue().strip()
    response = send({"receipts": [receipt(1, store="T1")]}, client=token_client(token))
    assert response.status_code == 201
    pos = PosSystem.objects.get(name="Кассы Татарстан")
    assert pos.token_hash != token and token.startswith(pos.token_prefix)


# --- Stores --------------------------------------------------------------------------------


def test_receipts_of_other_stores_are_refused_and_nothing_is_written(send):
    payload = {"receipts": [receipt(1), receipt(2, store="S9"), receipt(3, store="NOPE")]}

    response = send(payload)

    assert response.status_code == 403
    assert response.json()["stores"] == ["NOPE", "S9"]
    assert not Receipt.objects.exists() and not ImportBatch.objects.exists()


# --- Malformed payloads ----------------------------------------------------------------------


def test_a_body_that_is_not_json_is_400(api):
    response = api.post(RECEIPTS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert _fields(response) == [(None, "body")]


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"sales": []}, [(None, "receipts")]),
        ({"receipts": []}, [(None, "receipts")]),
        ({"receipts": "R1"}, [(None, "receipts")]),
        ([receipt(1)], [(None, "body")]),
        ({"receipts": [receipt(1), receipt(2, amount="-5")]}, [(1, "receipts[1].amount")]),
        ({"receipts": [receipt(1, issued_at="вчера")]}, [(0, "receipts[0].issued_at")]),
        ({"receipts": [receipt(1, items="три")]}, [(0, "receipts[0].items")]),
        ({"receipts": [receipt(1, amount="1.005")]}, [(0, "receipts[0].amount")]),
        ({"receipts": [receipt(1, new_member="maybe")]}, [(0, "receipts[0].new_member")]),
        ({"receipts": [receipt(1, receipt_id="R\n1")]}, [(0, "receipts[0].receipt_id")]),
        (
            {"receipts": [receipt(1), {"store_code": "S1"}]},
            [
                (1, "receipts[1].receipt_id"),
                (1, "receipts[1].issued_at"),
                (1, "receipts[1].amount"),
                (1, "receipts[1].items"),
            ],
        ),
    ],
    ids=[
        "no-receipts-key",
        "empty-list",
        "not-a-list",
        "not-an-object",
        "negative-amount",
        "bad-datetime",
        "items-not-a-number",
        "three-decimals",
        "flag-not-boolean",
        "newline-in-id",
        "missing-fields",
    ],
)
def test_a_malformed_payload_is_400_naming_the_receipt_and_field(send, payload, expected):
    response = send(payload)

    assert response.status_code == 400
    assert _fields(response) == expected
    assert all(e["message"] for e in response.json()["errors"])
    assert not Receipt.objects.exists() and not ImportBatch.objects.exists()


def test_the_same_receipt_twice_in_one_call_names_both(send):
    payload = {"receipts": [receipt(1), receipt(2), receipt(1, amount="10")]}

    response = send(payload)

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (2, "receipts[2].receipt_id")
    assert "receipts[0]" in error["message"]
    assert not Receipt.objects.exists()


def test_a_rejected_row_is_named_by_receipt_index_and_logged(send):
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    payload = {"receipts": [receipt(1), receipt(2, issued_at=tomorrow.isoformat())]}

    response = send(payload)

    assert response.status_code == 400
    assert _fields(response) == [(1, "receipts[1].issued_at")]
    assert not Receipt.objects.exists()
    assert ImportBatch.objects.get().status == BatchStatus.REJECTED


def test_more_receipts_than_a_call_may_carry_is_413(send, monkeypatch):
    monkeypatch.setattr("kpi.api.MAX_RECEIPTS", 2)

    response = send({"receipts": [receipt(1), receipt(2), receipt(3)]})

    assert response.status_code == 413
    assert _fields(response) == [(None, "receipts")]
    assert not Receipt.objects.exists()


# --- Batches and schema ----------------------------------------------------------------------


def test_a_pos_system_reads_its_own_batch_but_not_anothers(send, api):
    batch_id = send({"receipts": [receipt(1)]}).json()["batch"]
    _, other_token = pos_token_issue(name="Другие кассы", stores=Store.objects.filter(code="S9"))

    own = api.get(reverse("api:batch", kwargs={"pk": batch_id}))
    other = token_client(other_token).get(reverse("api:batch", kwargs={"pk": batch_id}))

    assert own.status_code == 200
    assert own.json() | {"created_at": None} == {
        "batch": batch_id,
        "status": "applied",
        "created_at": None,
        "rows": 1,
        "inserted": 1,
        "already_loaded": 0,
        "errors": [],
    }
    assert other.status_code == 404


def test_the_schema_is_public_and_describes_the_receipts_endpoint(client):
    response = client.get(reverse("api:schema"), {"format": "json"})

    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "LP portal POS API"
    assert "/api/v1/receipts/" in schema["paths"]
    assert all(path.startswith("/api/") for path in schema["paths"])
    assert "posToken" in schema["components"]["securitySchemes"]


def test_the_admin_lists_pos_systems_by_prefix_never_the_token(pos, world, client):
    client.force_login(world.people[Role.ADMIN])

    listing = client.get("/admin/kpi/possystem/")
    change = client.get(f"/admin/kpi/possystem/{pos[0].pk}/change/")

    assert listing.status_code == change.status_code == 200
    assert pos[0].token_prefix in listing.content.decode()
    assert pos[1] not in listing.content.decode() + change.content.decode()
    assert client.get("/admin/kpi/possystem/add/").status_code == 403


# --- Every answer is JSON ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/batches/null,null/", "/api/v1/batches/abc/", "/api/v2/receipts/", "/api/v1/receipts"],
    ids=["malformed-batch-id", "not-a-number", "unknown-version", "missing-slash"],
)
def test_an_unknown_api_url_answers_json_404(api, url):
    response = api.post(url, {"receipts": [receipt(1)]}, format="json")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_batch_id_beyond_the_database_range_is_json_404(api):
    response = api.get(f"/api/v1/batches/{2**63}/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_a_method_the_endpoint_does_not_take_is_json_405_with_allow(api):
    response = api.get(RECEIPTS)

    assert response.status_code == 405
    assert response["Allow"] == "POST, OPTIONS"
    assert "detail" in response.json()


def test_an_unexpected_error_is_json_500_and_nothing_is_written(api, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("kpi.api.receipts_import", broken)
    api.raise_request_exception = False

    response = api.post(RECEIPTS, {"receipts": [receipt(1)]}, format="json")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "disk full" not in response.content.decode()
    assert not Receipt.objects.exists()


# --- What the schema says is what the API takes ------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"store_code": ""}, "store_code"),
        ({"receipt_id": ""}, "receipt_id"),
        ({"receipt_id": "   "}, "receipt_id"),
        ({"receipt_id": " R1"}, "receipt_id"),
        ({"amount": ""}, "amount"),
        ({"amount": "-0"}, "amount"),
        ({"amount": 12}, None),
        ({"store_code": 1}, "store_code"),
        ({"items": "3"}, "items"),
        ({"items": True}, "items"),
        ({"new_member": "yes"}, "new_member"),
        ({"issued_at": "1899-12-31T23:00:00+03:00"}, "issued_at"),
    ],
)
def test_values_are_taken_exactly_as_the_schema_states(send, client, fields, field):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    receipt_schema = schema["components"]["schemas"]["Receipt"]["properties"]

    response = send({"receipts": [receipt(1, **fields)]})

    if field is None:
        assert response.status_code == 201
    else:
        assert response.status_code == 400
        assert _fields(response) == [(0, f"receipts[0].{field}")]
    assert (
        receipt_schema["store_code"]["minLength"] == receipt_schema["receipt_id"]["minLength"] == 1
    )


# --- Throttling ---------------------------------------------------------------------------------


def test_a_pos_system_over_its_rate_gets_429_with_retry_after(send, settings, pos):
    from django.core.cache import cache

    cache.clear()
    settings.POS_API_THROTTLE_RATE = "2/min"
    _, other_token = pos_token_issue(name="Другие кассы", stores=Store.objects.filter(code="S9"))

    answers = [send({"receipts": [receipt(n)]}).status_code for n in range(3)]
    throttled = send({"receipts": [receipt(9)]})
    other = token_client(other_token).get(reverse("api:batch", kwargs={"pk": 1}))

    assert answers == [201, 201, 429]
    assert throttled.status_code == 429
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "detail" in throttled.json()
    assert Receipt.objects.count() == 2
    assert other.status_code == 404  # another token has its own allowance


# --- Another POS system's token ------------------------------------------------------------------


def test_another_pos_systems_token_writes_nothing_for_these_stores(send, pos):
    _, other_token = pos_token_issue(name="Другие кассы", stores=Store.objects.filter(code="S9"))

    response = send({"receipts": [receipt(1, store="S1")]}, client=token_client(other_token))

    assert response.status_code == 403
    assert response.json()["stores"] == ["S1"]
    assert not Receipt.objects.exists() and not ImportBatch.objects.exists()
