"""The POS API against its own OpenAPI schema (schemathesis): every request the schema calls
valid is accepted, every one it calls invalid is refused with 4xx, and every answer is JSON
of the documented shape. Derandomized and bounded, so the suite is repeatable."""

from __future__ import annotations

import datetime

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from hypothesis import HealthCheck, settings

from kpi.pos import pos_token_issue
from portal.org.models import Store
from portal.org.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

OWN_STORES = ("S1", "S2")


# The schema as the site serves it (the schema view reads no database).
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def requests_inside_the_test_transaction(db):
    """The end of a request must not close the test's database connection (Django's test
    client arranges the same)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token(db) -> str:
    for code in OWN_STORES:
        StoreFactory(code=code)
    return pos_token_issue(name="Кассы", stores=Store.objects.filter(code__in=OWN_STORES))[1]


def _within_what_the_schema_says_in_words(case) -> None:
    """A valid case, made to hit the loader rather than stop at the store check: its
    receipts go to this token's stores, once each, at a time that has passed (the rules the
    schema states in its descriptions, which JSON Schema cannot express)."""
    body = case.body
    if not (isinstance(body, dict) and isinstance(body.get("receipts"), list)):
        return
    now = timezone.now()
    seen = set()
    for index, receipt in enumerate(body["receipts"]):
        receipt["store_code"] = OWN_STORES[index % 2]
        while (receipt["store_code"], receipt["receipt_id"]) in seen:
            receipt["receipt_id"] = f"{index}-{receipt['receipt_id']}"[:64]
        seen.add((receipt["store_code"], receipt["receipt_id"]))
        issued = parse_datetime(receipt["issued_at"])
        if issued is not None and issued.tzinfo is None:
            issued = timezone.make_aware(issued)
        if issued is None or issued > now or issued.year < 1901:
            receipt["issued_at"] = (now - datetime.timedelta(days=1)).isoformat()


@schema.parametrize()
@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_answers_as_its_schema_says(case, token):
    if case.meta.generation.mode.is_positive:
        _within_what_the_schema_says_in_words(case)

    case.call_and_validate(headers={"Authorization": f"Token {token}"})
