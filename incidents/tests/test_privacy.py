"""Personal data (152-FZ minded): what the masks leave visible, the log of every unmasked
view, and the retention run that anonymises tickets closed long ago, once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings

from incidents import tasks
from incidents.choices import Channel, MessageKind, Status, TicketEventKind
from incidents.models import PersonalDataAccess, Ticket, TicketEvent, TicketMessage
from incidents.services import workflow
from incidents.services.privacy import (
    ANONYMOUS,
    mask_card,
    mask_email,
    mask_name,
    mask_phone,
    personal_data_seen,
    show_phone,
    tickets_anonymise,
)
from incidents.tests.factories import MSK, ticket
from portal.org.choices import Role

EMAIL = "maria.ivanova@example.ru"
CARD = "2770001234567890"


def test_a_masked_phone_shows_only_its_last_four_digits():
    assert mask_phone("79161234567") == "+7 ••• •••-45-67"
    assert show_phone("79161234567") == "+7 916 123-45-67"
    assert mask_phone("") == ""


def test_a_masked_email_shows_its_first_letter_and_domain():
    assert mask_email(EMAIL) == "m•••@example.ru"
    assert mask_email("") == ""
    assert mask_email("not an address") == ""


def test_a_masked_card_shows_its_last_four_digits():
    assert mask_card(CARD) == "•••• 7890"
    assert mask_card("") == ""


def test_a_masked_name_keeps_the_first_name_and_an_initial():
    assert mask_name("Иванова Мария") == "Мария И."
    assert mask_name("Иванова Мария Петровна") == "Мария И."
    assert mask_name("Мария") == "М•••"
    assert mask_name("") == ""


@pytest.mark.django_db
def test_each_unmasked_view_is_logged_for_tickets_with_personal_data(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    with_phone = ticket(customer_email=EMAIL)
    without_contact = ticket(channel=Channel.STORE, customer_name="", customer_phone="")
    seen_at = dt.datetime(2026, 3, 2, 10, 0, tzinfo=MSK)

    logged = personal_data_seen(
        [with_phone, without_contact], person=agent, context="ticket", at=seen_at
    )
    again = personal_data_seen([with_phone], person=agent, context="queue")

    assert (logged, again) == (1, 1)
    rows = PersonalDataAccess.objects.order_by("pk").values_list("ticket", "person", "context")
    assert list(rows) == [(with_phone.pk, agent.pk, "ticket"), (with_phone.pk, agent.pk, "queue")]
    assert PersonalDataAccess.objects.filter(at=seen_at).count() == 1


def _worked(agent, *, filed: dt.datetime, closed: dt.datetime | None = None) -> Ticket:
    """A ticket with every kind of personal data: asked, answered by the customer,
    resolved and rated, and closed at `closed` (left resolved without it)."""
    from incidents.services.csat import csat_rate

    worked = ticket(actor=agent, at=filed, customer_email=EMAIL, card_number=CARD)
    workflow.ticket_reply(
        worked, actor=agent, body="Пришлите чек", wait_for_customer=True, at=filed
    )
    workflow.customer_wrote(
        worked, body="Мария, +7 916 123-45-67", at=filed + dt.timedelta(hours=1)
    )
    token = workflow.ticket_resolve(
        worked,
        actor=agent,
        code="points_due",
        root_cause="crediting_delay",
        at=filed + dt.timedelta(hours=2),
    )
    csat_rate(token, rating=4, comment="Мария довольна", at=filed + dt.timedelta(hours=3))
    if closed is not None:
        workflow.ticket_close(worked, actor=None, at=closed)
    worked.refresh_from_db()
    return worked


PERSONAL = ("customer_name", "customer_phone", "customer_email", "card_number", "description")


def _personal(item: Ticket) -> tuple:
    item.refresh_from_db()
    return tuple(getattr(item, name) for name in PERSONAL)


@pytest.mark.django_db
def test_tickets_closed_longer_than_the_retention_period_are_anonymised_once(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    days = settings.INCIDENTS_RETENTION_DAYS
    start = dt.datetime(2022, 3, 1, 10, 0, tzinfo=MSK)
    old = _worked(agent, filed=start, closed=start + dt.timedelta(days=15))
    now = old.closed_at + dt.timedelta(days=days, minutes=1)
    recent = _worked(agent, filed=start, closed=now - dt.timedelta(days=days - 1))
    resolved_only = _worked(agent, filed=start)  # resolved long ago, never closed
    still_open = ticket(actor=agent, at=start, customer_email=EMAIL, card_number=CARD)
    kept = {item.pk: _personal(item) for item in (recent, resolved_only, still_open)}

    # Closed exactly the retention period ago: not yet.
    assert tickets_anonymise(now=old.closed_at + dt.timedelta(days=days)) == 0
    assert tickets_anonymise(now=now) == 1

    old.refresh_from_db()
    assert _personal(old) == ("", "", "", "", ANONYMOUS)
    assert (old.receipt_card, old.csat_comment, old.anonymised_at) == ("", "", now)
    assert old.csat_rating == 4 and old.status == Status.CLOSED  # the reports keep these
    messages = TicketMessage.objects.filter(ticket=old)
    assert [m.body for m in messages.filter(kind=MessageKind.CUSTOMER)] == [ANONYMOUS]
    # Replies and notes quote the customer too: every message goes.
    assert [m.body for m in messages.filter(kind=MessageKind.REPLY)] == [ANONYMOUS]
    assert set(messages.values_list("sent_to", flat=True)) == {""}
    assert old.events.filter(kind=TicketEventKind.ANONYMISED).count() == 1
    for item in (recent, resolved_only, still_open):
        assert _personal(item) == kept[item.pk] and item.anonymised_at is None
        assert not TicketMessage.objects.filter(ticket=item, body=ANONYMOUS).exists()
    assert TicketEvent.objects.filter(kind=TicketEventKind.ANONYMISED).count() == 1

    # The nightly beat again, a day later: nothing more to do.
    with time_machine.travel(now + dt.timedelta(days=1), tick=False):
        assert tasks.tickets_anonymise() == 0
    old.refresh_from_db()
    assert old.anonymised_at == now
    assert TicketEvent.objects.filter(kind=TicketEventKind.ANONYMISED).count() == 1


@pytest.mark.django_db
def test_an_anonymised_ticket_logs_no_more_views_of_personal_data(world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    start = dt.datetime(2022, 3, 1, 10, 0, tzinfo=MSK)
    old = _worked(agent, filed=start, closed=start + dt.timedelta(days=15))
    tickets_anonymise(now=old.closed_at + dt.timedelta(days=settings.INCIDENTS_RETENTION_DAYS + 1))
    old.refresh_from_db()

    assert personal_data_seen([old], person=agent, context="ticket") == 0
    assert not PersonalDataAccess.objects.exists()
