"""The complaint desk's part of the demo chain, on a small scale: the demo's stores and
people (through the org import, as `seed_demo` does), receipts of the last weeks (through
the KPI import), a year of 1,000 tickets under a frozen clock. Every state is there, with
breaches, pauses, CSAT, receipts found identified and not (and not found), credits in each
state; a second run adds nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.db.models import F

from incidents.choices import OPEN_STATUSES, CreditStatus, Escalation, ReceiptFinding, Status
from incidents.models import CannedReply, CreditRequest, SlaCalendar, SlaPause, Ticket
from kpi.services import receipts_import
from portal.home import demo
from portal.org import services
from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS, demo_people_csv, demo_stores_csv
from portal.org.models import Store, User

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 18, 13, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))  # a Wednesday
TICKETS = 1000
RECEIPT_DAYS = 120


def receipts_csv(stores: list[Store], days: list[dt.date]) -> bytes:
    """Two receipts a store day: one with a card, one without."""
    lines = ["магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email"]
    for day in days:
        for n, store in enumerate(stores):
            card = f"77{n:05d}{day:%m%d}01"
            lines.append(
                f"{store.code};{day:%y%m%d}-1;{day:%d.%m.%Y} 11:15;1520,40;3;{card};;0;1;0"
            )
            lines.append(f"{store.code};{day:%y%m%d}-2;{day:%d.%m.%Y} 17:40;860,00;2;;;0;0;0")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


@pytest.fixture(scope="module")
def desk(django_db_setup, django_db_blocker) -> str:
    """The demo chain's stores, people and receipts, and the desk's demo built once on them
    (the module's tests read it; everything is rolled back at the end). Its summary."""
    from django.test import TestCase

    from incidents.demo import incidents_demo_seed

    with django_db_blocker.unblock(), transaction.atomic():
        services.org_stores_import(actor=None, content=demo_stores_csv(), filename="stores.csv")
        services.org_people_import(actor=None, content=demo_people_csv(), filename="people.csv")
        stores = list(Store.objects.filter(is_active=True).order_by("code"))
        days = [NOW.date() - dt.timedelta(days=n) for n in range(1, RECEIPT_DAYS + 1)]
        with TestCase.captureOnCommitCallbacks(execute=True):  # the store days' refresh
            receipts_import(actor=None, content=receipts_csv(stores, days), filename="demo.csv")
        with time_machine.travel(NOW, tick=False):
            yield incidents_demo_seed(tickets=TICKETS)
        transaction.set_rollback(True)


def test_the_demo_is_registered_and_a_second_run_adds_nothing(desk):
    from incidents.demo import incidents_demo_seed

    assert "incidents" in dict(demo.builders())
    assert "desk: " in desk and "through the services" in desk
    counts = (Ticket.objects.count(), CreditRequest.objects.count(), SlaPause.objects.count())
    with time_machine.travel(NOW + dt.timedelta(days=1), tick=False):
        assert incidents_demo_seed(tickets=TICKETS) == "0 promotion pages; tickets: kept"
    assert (Ticket.objects.count(), CreditRequest.objects.count(), SlaPause.objects.count()) == (
        counts
    )


def test_the_demo_tickets_are_in_every_state(desk):
    tickets = Ticket.objects.all()
    assert TICKETS <= tickets.count() <= TICKETS * 1.05  # and today's own, and duplicates
    assert set(tickets.values_list("status", flat=True)) == set(Status.values)
    assert tickets.filter(reopened__gt=0, status=Status.IN_PROGRESS).exists()
    assert tickets.filter(first_contact=True).exists()
    assert tickets.exclude(root_cause="").exclude(resolution_code="").exists()


def test_the_demo_breaches_pauses_and_escalates(desk):
    tickets = Ticket.objects.all()
    assert TICKETS * 0.03 < tickets.filter(breached=True).count() < TICKETS * 0.2
    assert tickets.filter(escalation=Escalation.REGIONAL).exists()
    assert SlaPause.objects.filter(ended_at=None).exists()  # someone is waiting right now
    assert SlaPause.objects.exclude(business_minutes=None).exists()


def test_about_four_in_ten_resolved_tickets_are_rated_mostly_well(desk):
    resolved = Ticket.objects.exclude(resolved_at=None)
    rated = resolved.exclude(csat_rating=None)
    assert 0.3 < rated.count() / resolved.count() < 0.5
    assert set(rated.values_list("csat_rating", flat=True)) == {1, 2, 3, 4, 5}
    assert rated.filter(csat_rating__gte=4).count() > rated.count() / 2
    assert rated.exclude(csat_comment="").exists()


def test_points_not_credited_name_the_demo_receipts_and_credits_are_decided(desk):
    findings = set(Ticket.objects.values_list("receipt_finding", flat=True))
    assert findings >= {
        ReceiptFinding.IDENTIFIED,
        ReceiptFinding.NOT_IDENTIFIED,
        ReceiptFinding.NOT_FOUND,
    }
    credits = CreditRequest.objects.all()
    assert set(credits.values_list("status", flat=True)) == set(CreditStatus.values)
    assert not credits.filter(decided_by=F("requested_by")).exists()
    decided = credits.exclude(decided_by=None)
    assert set(decided.values_list("decided_by__role", flat=True)) == {Role.CALL_CENTER_SUPERVISOR}


def test_the_demo_logins_find_their_work_today(desk):
    """The operator has a waiting ticket and one with a credit pending for the supervisor;
    the bonus queue has tickets to take; the store manager's store has open complaints,
    one filed by him; the calendars cover two time zones; text modules are there."""
    login = {d.role: User.objects.get(email=d.email) for d in DEMO_LOGINS}
    operator, manager = login[Role.CALL_CENTER_AGENT], login[Role.STORE_MANAGER]
    assert Ticket.objects.filter(assignee=operator, status=Status.WAITING).exists()
    pending = CreditRequest.objects.get(status=CreditStatus.PENDING, requested_by=operator)
    assert pending.ticket.status == Status.IN_PROGRESS
    bonus_queue = Ticket.objects.filter(queue__code="bonus", status=Status.NEW, assignee=None)
    assert bonus_queue.count() >= 3
    open_here = Ticket.objects.filter(store=manager.store, status__in=OPEN_STATUSES)
    assert open_here.filter(created_by=manager).exists()
    assert set(SlaCalendar.objects.values_list("time_zone", flat=True)) == {
        "Europe/Moscow",
        "Asia/Yekaterinburg",
    }
    assert CannedReply.objects.filter(uses__gt=0).exists()
    assert all("{customer}" in reply.body for reply in CannedReply.objects.exclude(category=""))
