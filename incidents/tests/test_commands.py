"""The desk's commands and the re-targeting of a ticket whose category or priority changes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from incidents.choices import Status
from incidents.models import Ticket
from incidents.services import workflow
from incidents.tests.factories import MSK, ticket
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


def test_desk_anonymise_blanks_old_closed_tickets_only(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    long_ago = dt.datetime(2020, 3, 2, 10, 0, tzinfo=MSK)
    old = ticket(at=long_ago, customer_email="old@example.ru", card_number="1234567")
    workflow.ticket_resolve(old, actor=agent, code="explained", root_cause="other", at=long_ago)
    workflow.ticket_close(old, actor=None, at=long_ago + dt.timedelta(days=15))
    recent = ticket()
    out = io.StringIO()
    call_command("desk_anonymise", stdout=out)
    assert out.getvalue().strip() == "anonymised=1"
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == Status.CLOSED and old.anonymised_at is not None
    assert (old.customer_phone, old.customer_email, old.card_number) == ("", "", "")
    assert recent.customer_phone == "79161234567" and recent.anonymised_at is None
    call_command("desk_anonymise", stdout=(again := io.StringIO()))
    assert again.getvalue().strip() == "anonymised=0"


def test_a_new_priority_brings_its_targets(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    monday = dt.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)
    made = ticket(category="other", at=monday)
    assert made.first_response_due == dt.datetime(2026, 3, 2, 12, 0, tzinfo=MSK)  # normal: 120
    workflow.ticket_update(made, actor=agent, priority="urgent")
    made = Ticket.objects.get(pk=made.pk)
    assert made.policy.priority == "urgent"
    assert made.first_response_due == dt.datetime(2026, 3, 2, 10, 30, tzinfo=MSK)  # urgent: 30
    # urgent resolution: 540 business minutes, 8 h on Monday and the 9th on Tuesday
    assert made.resolution_due == dt.datetime(2026, 3, 3, 10, 0, tzinfo=MSK)
    assert made.events.filter(kind="changed").count() == 1
