"""The ticket's life: filed, taken, answered, paused, resumed, resolved, rated, reopened,
merged; every change an event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from incidents.choices import Status, TicketEventKind
from incidents.models import SlaPause, Ticket
from incidents.services import csat, workflow
from incidents.services.intake import duplicates_of
from incidents.tests.factories import MSK, desk_member, ticket
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_ticket_goes_from_filing_to_a_rating_with_an_event_for_each_step(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    desk_member(agent)
    monday = dt.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)
    filed = ticket(actor=agent, at=monday, store=world.store_a1)
    assert filed.status == Status.NEW and filed.queue.code == "bonus"
    # normal policy for the category: first response 120, resolution 2700 business minutes
    assert filed.first_response_due == dt.datetime(2026, 3, 2, 12, 0, tzinfo=MSK)
    taken = workflow.take_next(agent, at=monday + dt.timedelta(minutes=1))
    assert taken.pk == filed.pk and taken.assignee == agent and taken.status == Status.ASSIGNED
    assert workflow.take_next(agent) is None
    workflow.ticket_reply(
        taken,
        actor=agent,
        body="Уточните номер чека",
        wait_for_customer=True,
        at=monday + dt.timedelta(minutes=5),
    )
    taken.refresh_from_db()
    assert taken.status == Status.WAITING and taken.sla_due is None
    assert taken.first_responded_at == monday + dt.timedelta(minutes=5)
    workflow.customer_wrote(taken, body="Чек 000123", at=monday + dt.timedelta(hours=2, minutes=5))
    taken.refresh_from_db()
    pause = SlaPause.objects.get(ticket=taken)
    assert pause.business_minutes == 120 and taken.paused_minutes == 120
    assert taken.status == Status.IN_PROGRESS
    token = workflow.ticket_resolve(
        taken,
        actor=agent,
        code="points_due",
        root_cause="crediting_delay",
        at=monday + dt.timedelta(hours=3),
    )
    taken.refresh_from_db()
    assert taken.status == Status.RESOLVED and not taken.first_contact
    csat.csat_rate(token, rating=5, comment="Спасибо")
    with pytest.raises(ValidationError):
        csat.csat_rate(token, rating=1)
    kinds = list(taken.events.values_list("kind", flat=True))
    for kind in (
        TicketEventKind.CREATED,
        TicketEventKind.ASSIGNED,
        TicketEventKind.REPLIED,
        TicketEventKind.PAUSED,
        TicketEventKind.RESUMED,
        TicketEventKind.RATED,
    ):
        assert kind in kinds


def test_a_duplicate_is_found_by_phone_and_category(world):
    first = ticket()
    found = duplicates_of(phone=first.customer_phone, card="", category=first.category)
    assert [t.pk for t in found] == [first.pk]
    assert duplicates_of(phone=first.customer_phone, card="", category="lost_card") == []


def test_bad_intake_names_every_field_and_writes_nothing(world):
    with pytest.raises(ValidationError) as caught:
        ticket(description="", customer_phone="12345", category="nope", card_number="12ab")
    assert set(caught.value.message_dict) == {
        "description",
        "customer_phone",
        "category",
        "card_number",
    }
    assert Ticket.objects.count() == 0


def test_merge_and_reopen(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    one, two = ticket(), ticket()
    workflow.ticket_merge(two, into=one, actor=agent)
    two.refresh_from_db()
    assert two.status == Status.MERGED and two.merged_into == one
    workflow.ticket_resolve(one, actor=agent, code="explained", root_cause="customer_mistake")
    one.refresh_from_db()
    assert one.first_contact
    workflow.ticket_reopen(one, actor=agent, reason="Клиент перезвонил")
    one.refresh_from_db()
    assert one.status == Status.IN_PROGRESS and one.reopened == 1 and not one.first_contact
