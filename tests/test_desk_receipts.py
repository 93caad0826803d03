"""«Points not credited», guided, across rooms (the desk reads the KPI room's receipts, so
here, not in an app): receipts loaded through the KPI room's real import, looked up from a
ticket, the finding recorded; a manual credit only for a receipt found and not
identified, decided by a second person (the service and the database both refuse the
requester), and a pending credit holds the resolution."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from audits.tests.factories import receipts_load
from incidents.choices import CreditStatus, ReceiptFinding, Status, TicketEventKind
from incidents.models import CreditRequest
from incidents.services.guided import credit_decide, credit_request, receipt_check
from incidents.services.workflow import ticket_resolve
from incidents.tests.factories import ticket
from kpi.models import ImportBatch, Receipt
from portal.notify.models import Notification
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db

# A past day (the POS import refuses receipts from the future): three receipts of
# 1 000,00 ₽ at 10:00, 10:01 and 10:02 Moscow time; only the first carries a card.
DAY = timezone.localdate() - dt.timedelta(days=10)
CHECKED_AT = timezone.make_aware(dt.datetime.combine(DAY + dt.timedelta(days=2), dt.time(11)))


def local(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def number(n: int) -> str:
    return f"{DAY:%y%m%d}-{n}"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def loaded(world, django_capture_on_commit_callbacks):
    """Store A1's receipts of DAY, imported by the KPI room (store days refreshed)."""
    receipts_load(django_capture_on_commit_callbacks, world.store_a1, DAY, receipts=3)
    return world


@pytest.fixture
def agent(world):
    return world.people[Role.CALL_CENTER_AGENT]


@pytest.fixture
def supervisor(world):
    return world.people[Role.CALL_CENTER_SUPERVISOR]


def check(filed, agent, store, **lookup):
    with time_machine.travel(CHECKED_AT, tick=False):
        receipt_check(filed, actor=agent, store=store, **lookup)
    filed.refresh_from_db()
    return filed


def test_a_receipt_found_by_number_shows_its_card_and_when_it_was_loaded(loaded, agent):
    filed = ticket(actor=agent)
    receipt = Receipt.objects.get(store=loaded.store_a1, receipt_id=number(0))
    batch = ImportBatch.objects.get(pk=receipt.batch_id)

    check(filed, agent, loaded.store_a1, number=number(0))

    assert filed.receipt_finding == ReceiptFinding.IDENTIFIED
    assert filed.receipt_card == f"C{loaded.store_a1.code}0"
    assert filed.receipt_loaded_at == batch.created_at is not None
    assert filed.store == loaded.store_a1
    assert (filed.receipt_number, filed.receipt_at, filed.receipt_amount) == (
        number(0),
        local(DAY, 10, 0),
        Decimal("1000.00"),
    )
    assert filed.receipt_checked_at == CHECKED_AT
    event = filed.events.get(kind=TicketEventKind.RECEIPT_CHECKED)
    assert event.public and event.actor == agent and event.at == CHECKED_AT
    assert event.payload["finding"] == ReceiptFinding.IDENTIFIED
    assert event.payload["by"] == "number" and event.payload["receipt"] == number(0)


def test_a_receipt_found_by_amount_near_the_time_is_the_nearest_one(loaded, agent):
    filed = ticket(actor=agent)

    # 10:20: the 10:02 receipt (no card) is the nearest of the three.
    check(filed, agent, loaded.store_a1, at=local(DAY, 10, 20), amount=Decimal("1000.00"))

    assert filed.receipt_finding == ReceiptFinding.NOT_IDENTIFIED
    assert filed.receipt_number == number(2) and filed.receipt_card == ""
    assert filed.receipt_at == local(DAY, 10, 2)
    assert filed.receipt_loaded_at is not None
    event = filed.events.get(kind=TicketEventKind.RECEIPT_CHECKED)
    assert event.public and event.payload["by"] == "amount"
    assert event.payload["finding"] == ReceiptFinding.NOT_IDENTIFIED


def test_the_amount_search_looks_thirty_minutes_either_side(loaded, agent):
    at_edge, beyond = ticket(actor=agent), ticket(actor=agent)

    check(at_edge, agent, loaded.store_a1, at=local(DAY, 10, 32), amount=Decimal("1000"))
    check(beyond, agent, loaded.store_a1, at=local(DAY, 10, 33), amount=Decimal("1000"))

    assert at_edge.receipt_finding == ReceiptFinding.NOT_IDENTIFIED
    assert at_edge.receipt_number == number(2)
    assert beyond.receipt_finding == ReceiptFinding.NOT_FOUND


def test_a_receipt_not_in_the_stores_data_is_not_found(loaded, agent):
    unknown, other_amount, other_store = ticket(actor=agent), ticket(actor=agent), ticket()

    check(unknown, agent, loaded.store_a1, number="999999")
    check(other_amount, agent, loaded.store_a1, at=local(DAY, 10, 0), amount=Decimal("999.99"))
    check(other_store, agent, loaded.store_a2, number=number(0))  # A1's receipt, asked at A2

    for filed in (unknown, other_amount, other_store):
        assert filed.receipt_finding == ReceiptFinding.NOT_FOUND
        assert filed.receipt_card == "" and filed.receipt_loaded_at is None
        assert filed.events.get(kind=TicketEventKind.RECEIPT_CHECKED).public
    assert unknown.receipt_number == "999999"
    assert other_amount.receipt_amount == Decimal("999.99")
    assert other_store.store == loaded.store_a2


def test_a_day_whose_receipts_have_not_arrived_is_not_loaded(loaded, agent):
    filed = ticket(actor=agent)

    check(
        filed,
        agent,
        loaded.store_a1,
        number="123",
        at=local(DAY - dt.timedelta(days=1), 10, 0),
        amount=Decimal("1000"),
    )

    assert filed.receipt_finding == ReceiptFinding.NOT_LOADED
    assert filed.receipt_checked_at == CHECKED_AT
    event = filed.events.get(kind=TicketEventKind.RECEIPT_CHECKED)
    assert event.payload["finding"] == ReceiptFinding.NOT_LOADED


def test_a_lookup_needs_a_number_or_the_time_and_amount(loaded, agent):
    filed = ticket(actor=agent)

    with pytest.raises(ValidationError) as caught:
        receipt_check(filed, actor=agent, store=loaded.store_a1, at=local(DAY, 10, 0))

    assert "number" in caught.value.message_dict
    assert not filed.events.filter(kind=TicketEventKind.RECEIPT_CHECKED).exists()


@pytest.mark.parametrize(
    "lookup",
    [
        {"number": number(0)},  # identified: the points are due anyway
        {"number": "999999"},  # not found: ask the store
        {"number": "1", "at": local(DAY - dt.timedelta(days=1), 10, 0), "amount": Decimal(5)},
    ],
    ids=["identified", "not_found", "not_loaded"],
)
def test_a_manual_credit_needs_a_receipt_found_and_not_identified(loaded, agent, lookup):
    filed = check(ticket(actor=agent), agent, loaded.store_a1, **lookup)

    with pytest.raises(ValidationError) as caught:
        credit_request(filed, actor=agent, points=Decimal("30"), reason="Чек без карты")

    assert "not identified" in caught.value.messages[0]
    assert not CreditRequest.objects.exists()


@pytest.fixture
def not_identified(loaded, agent):
    """A «points not credited» ticket whose receipt was found without a card."""
    return check(ticket(actor=agent), agent, loaded.store_a1, number=number(1))


def test_a_credit_is_decided_by_a_second_person_and_holds_the_resolution(
    not_identified, agent, supervisor
):
    filed = not_identified
    assert filed.receipt_finding == ReceiptFinding.NOT_IDENTIFIED

    credit = credit_request(filed, actor=agent, points=Decimal("30"), reason="Чек без карты")

    assert credit.status == CreditStatus.PENDING and credit.requested_by == agent
    told = Notification.objects.filter(key=f"incidents.credit:{credit.pk}")
    assert [note.recipient for note in told] == [supervisor]
    with pytest.raises(ValidationError) as held:
        ticket_resolve(filed, actor=agent, code="credited", root_cause="cashier_not_identified")
    assert "decide it first" in held.value.message_dict["__all__"][0]
    with pytest.raises(ValidationError) as own:
        credit_decide(credit, actor=agent, approve=True)
    assert own.value.messages == ["Nobody approves their own request."]
    assert not agent.has_perm("incidents.decide_credit", credit)
    assert supervisor.has_perm("incidents.decide_credit", credit)

    decided = credit_decide(credit, actor=supervisor, approve=True)

    assert decided.status == CreditStatus.APPROVED and decided.decided_by == supervisor
    with pytest.raises(ValidationError):
        credit_decide(credit, actor=supervisor, approve=False, comment="Передумал")
    ticket_resolve(filed, actor=agent, code="credited", root_cause="cashier_not_identified")
    filed.refresh_from_db()
    assert filed.status == Status.RESOLVED
    kinds = set(filed.events.filter(public=True).values_list("kind", flat=True))
    assert {TicketEventKind.CREDIT_REQUESTED, TicketEventKind.CREDIT_DECIDED} <= kinds


def test_a_supervisor_cannot_approve_their_own_request_either(not_identified, supervisor):
    credit = credit_request(
        not_identified, actor=supervisor, points=Decimal("30"), reason="Чек без карты"
    )

    with pytest.raises(ValidationError):
        credit_decide(credit, actor=supervisor, approve=True)

    assert not supervisor.has_perm("incidents.decide_credit", credit)
    second = person(Role.CALL_CENTER_SUPERVISOR)
    rejected = credit_decide(credit, actor=second, approve=False, comment="Чек чужой")
    assert rejected.status == CreditStatus.REJECTED and rejected.comment == "Чек чужой"


def test_one_credit_waits_at_a_time_and_a_rejection_says_why(not_identified, agent, supervisor):
    credit = credit_request(not_identified, actor=agent, points=Decimal("30"), reason="Без карты")
    with pytest.raises(ValidationError):
        credit_request(not_identified, actor=agent, points=Decimal("30"), reason="Ещё раз")
    with pytest.raises(ValidationError) as caught:
        credit_decide(credit, actor=supervisor, approve=False)

    assert "comment" in caught.value.message_dict
    assert CreditRequest.objects.get().status == CreditStatus.PENDING


def test_the_database_refuses_a_credit_decided_by_its_requester(not_identified, agent):
    credit = credit_request(not_identified, actor=agent, points=Decimal("30"), reason="Без карты")

    with pytest.raises(IntegrityError), transaction.atomic():
        CreditRequest.objects.filter(pk=credit.pk).update(
            decided_by=agent, decided_at=timezone.now(), status=CreditStatus.APPROVED
        )

    credit.refresh_from_db()
    assert credit.status == CreditStatus.PENDING and credit.decided_by is None
