"""The desk's reports: figures counted by the database equal the hand count of a small
set of tickets made through the services; the query count does not grow with tickets;
each person reads their own level; the CSV and PDF carry the same tables."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from incidents.choices import Category, Priority
from incidents.report_views import LAST_MONTH, QUARTER, THIS_MONTH, preset_period
from incidents.selectors.reports import ReportFilters, desk_report
from incidents.services import csat, workflow
from incidents.services.escalation import sla_escalate
from incidents.tests.factories import MSK, ticket
from portal.exports import csv_cell
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db

MARCH = ReportFilters(start=dt.date(2026, 3, 1), end=dt.date(2026, 3, 31))
MARCH_QUERY = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
PAYLOAD = '=HYPERLINK("http://x")'


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=MSK)


def _resolve(t, agent, when, cause, rating=None):
    token = workflow.ticket_resolve(t, actor=agent, code="explained", root_cause=cause, at=when)
    if rating is not None:
        csat.csat_rate(token, rating=rating, at=when + dt.timedelta(hours=1))
    t.refresh_from_db()
    return t


@pytest.fixture
def desk(world):
    """March 2026, by hand (SLA met: first response and resolution in time, never missed):

    T1  A1 points   filed 2.03 10:00, resolved 10:30 at first contact        ★5  SLA ok
    T2  A1 points   filed 2.03 11:00, answered 15:00 (late), waited for the
                    customer, resolved 3.03                                   ★3  SLA missed
    T3  A2 staff    filed 3.03, first response missed (beat), resolved 4.03      SLA missed
    T4  B1 card     filed 4.03, resolved, reopened, resolved again 5.03       ★4  SLA ok
    T5  A1 points   filed 5.03, open
    T9  A1 points   filed 6.03, merged into T5: not counted
    T6  —  login    filed 10.03, answered in 10 min, resolved after its target ★1 SLA missed
    T7  A1 points   filed 27.02 (before March), resolved 2.03 (first response
                    late)                                                      ★4  SLA missed
    T8  A1 points   filed 30.03, resolved 1.04 (after March)
    T10 A2 points   filed 2.04 (after March)
    Agent 1 resolves T1, T2, T6, T7 (and T8); agent 2 T3 and T4."""
    one = world.people[Role.CALL_CENTER_AGENT]
    two = person(Role.CALL_CENTER_AGENT, last_name="Второва", first_name="Вера")
    a1, a2, b1 = world.store_a1, world.store_a2, world.store_b1
    t1 = ticket(at=at(2), store=a1)
    _resolve(t1, one, at(2, 10, 30), "crediting_delay", 5)
    t2 = ticket(at=at(2, 11), store=a1)
    workflow.ticket_reply(t2, actor=one, body="Пришлите чек", wait_for_customer=True, at=at(2, 15))
    workflow.customer_wrote(t2, body="Вот чек", at=at(3, 9, 30))
    t2.refresh_from_db()
    _resolve(t2, one, at(3), "cashier_not_identified", 3)
    t3 = ticket(at=at(3), store=a2, category=Category.STAFF_BEHAVIOUR)
    sla_escalate(now=at(3, 12, 1))
    t3.refresh_from_db()
    assert t3.breached
    _resolve(t3, two, at(4), "staff_conduct")
    t4 = ticket(at=at(4), store=b1, category=Category.LOST_CARD)
    _resolve(t4, two, at(4, 10, 20), "app_or_sms")
    workflow.ticket_reopen(t4, actor=two, reason="Перезвонила", at=at(5))
    t4.refresh_from_db()
    _resolve(t4, two, at(5, 11), "app_or_sms", 4)
    t5 = ticket(at=at(5), store=a1)
    t9 = ticket(at=at(6), store=a1)
    workflow.ticket_merge(t9, into=t5, actor=one, at=at(6, 11))
    t6 = ticket(at=at(10), category=Category.ACCOUNT_LOGIN)
    workflow.ticket_reply(t6, actor=one, body="Проверяем", at=at(10, 10, 10))
    t6.refresh_from_db()
    _resolve(t6, one, t6.resolution_due + dt.timedelta(hours=1), "it_failure", 1)
    t7 = ticket(at=dt.datetime(2026, 2, 27, 10, tzinfo=MSK), store=a1)
    _resolve(t7, one, at(2, 10), "crediting_delay", 4)
    t8 = ticket(at=at(30), store=a1)
    _resolve(t8, one, at(1, month=4), "other", 5)
    ticket(at=at(2, month=4), store=a2)
    return {"one": one, "two": two}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _by_key(lines):
    return {line.key: line for line in lines}


def test_the_network_figures_equal_the_hand_count(world, desk):
    report = desk_report(user=world.people[Role.LP_MANAGER], filters=MARCH)

    total = report.total
    assert (total.filed, total.resolved) == (7, 6)
    assert total.sla_rate == Decimal("33.3")  # T1, T4 of six
    assert total.first_response_rate == Decimal("50.0")  # T1, T4, T6
    assert total.first_contact_rate == Decimal("66.7")  # T1, T3, T6, T7
    assert total.reopen_rate == Decimal("16.7")  # T4
    assert (total.ratings, total.csat_average, total.satisfied_rate) == (
        5,
        Decimal("3.40"),
        Decimal("60.0"),
    )


def test_volume_and_outcomes_by_category_store_region_and_period(world, desk):
    report = desk_report(user=world.people[Role.LP_MANAGER], filters=MARCH)

    categories = _by_key(report.categories)
    points = categories[Category.BONUS_NOT_CREDITED].counts
    assert report.categories[0].key == Category.BONUS_NOT_CREDITED
    assert (points.filed, points.resolved, points.sla_rate) == (4, 3, Decimal("33.3"))
    assert (points.csat_average, points.ratings, points.satisfied_rate) == (
        Decimal("4.00"),
        3,
        Decimal("66.7"),
    )
    assert categories[Category.LOST_CARD].counts.reopen_rate == Decimal("100.0")
    assert categories[Category.ACCOUNT_LOGIN].counts.sla_rate == Decimal("0.0")
    stores = {line.code: (line.counts.filed, line.counts.resolved) for line in report.stores}
    assert stores == {"A1": (4, 3), "A2": (1, 1), "B1": (1, 1), "": (1, 1)}
    assert report.stores[-1].key is None  # the ticket without a store comes last
    regions = {line.key: (line.counts.filed, line.counts.resolved) for line in report.regions}
    assert regions == {world.region_a.pk: (5, 4), world.region_b.pk: (1, 1), None: (1, 1)}
    assert [(b.label, b.filed) for b in report.months] == [("03.2026", 7)]
    assert [(b.start.day, b.filed) for b in report.weeks] == [
        (1, 0),
        (2, 5),
        (9, 1),
        (16, 0),
        (23, 0),
        (30, 1),
    ]


def test_root_causes_and_agents(world, desk):
    report = desk_report(user=world.people[Role.CALL_CENTER_SUPERVISOR], filters=MARCH)

    top = report.causes[0]
    assert (top.key, top.counts.resolved, top.share) == ("crediting_delay", 2, Decimal("33.3"))
    assert sum(line.counts.resolved for line in report.causes) == 6
    agents = _by_key(report.agents)
    one, two = agents[desk["one"].pk].counts, agents[desk["two"].pk].counts
    assert (one.resolved, one.sla_rate, one.first_contact_rate) == (
        4,
        Decimal("25.0"),
        Decimal("75.0"),
    )
    assert (one.csat_average, one.satisfied_rate) == (Decimal("3.25"), Decimal("50.0"))
    assert (two.resolved, two.sla_rate, two.csat_average) == (2, Decimal("50.0"), Decimal("4.00"))
    assert agents[desk["two"].pk].label == "Второва Вера Петровна"


def test_each_person_reads_their_own_level_and_only_the_desk_sees_agents(world, desk):
    store_side = desk_report(user=world.people[Role.STORE_MANAGER], filters=MARCH)
    region = desk_report(user=world.people[Role.REGIONAL_MANAGER], filters=MARCH)

    assert (store_side.total.filed, store_side.total.resolved) == (4, 3)
    assert [line.code for line in store_side.stores] == ["A1"]
    assert (region.total.filed, region.total.resolved) == (5, 4)
    assert store_side.agents is None and region.agents is None


def test_filters_cut_the_scope(world, desk):
    lp = world.people[Role.LP_MANAGER]

    by_region = desk_report(user=lp, filters=replace(MARCH, region_id=world.region_b.pk))
    by_store = desk_report(user=lp, filters=replace(MARCH, store_id=world.store_a1.pk))
    by_category = desk_report(user=lp, filters=replace(MARCH, category="lost_card"))

    assert (by_region.total.filed, by_region.total.reopen_rate) == (1, Decimal("100.0"))
    assert (by_store.total.filed, by_store.total.resolved) == (4, 3)
    assert [line.key for line in by_category.categories] == ["lost_card"]


def _page(client, user, query=MARCH_QUERY):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.get(reverse("incidents:reports"), query)


def test_the_store_manager_page_shows_their_store_only(client, world, desk):
    response = _page(client, world.people[Role.STORE_MANAGER])

    page = BeautifulSoup(response.content, "html.parser")
    assert response.status_code == 200
    assert page.h1.get_text().strip().endswith(f"A1 {world.store_a1.name}")
    assert page.select_one("[data-testid=figure-filed]").get_text() == "4"
    assert page.select_one("[data-testid=figure-sla]").get_text() == "33.3%"  # T1 of T1, T2, T7
    assert page.select_one("[data-testid=section-agents]") is None
    assert page.select_one("[data-testid=section-stores]") is None
    assert "Второва" not in response.content.decode()
    assert page.select("[data-testid=chart-categories] svg rect")


def test_the_supervisor_page_has_charts_every_table_and_the_agents(client, world, desk):
    response = _page(client, world.people[Role.CALL_CENTER_SUPERVISOR])

    page = BeautifulSoup(response.content, "html.parser")
    assert page.select_one("[data-testid=figure-csat]").get_text() == "3.40"
    assert "5 ratings" in page.select_one("[data-testid=report-figures]").get_text()
    rows = page.select("[data-testid=report-store]")
    assert [row.find_all("td")[0].get_text() for row in rows] == ["A1", "A2", "B1", "—"]
    for name in ("categories", "weeks", "regions", "stores", "causes", "agents"):
        assert page.select_one(f"[data-testid=section-{name}]") is not None, name
    chart = [t.get_text() for t in page.select("[data-testid=chart-causes] svg text")]
    assert chart[0].startswith("Points not yet active") and chart[1] == "2"
    assert "Второва Вера" in page.select_one("[data-testid=report-agents]").get_text()


def test_a_bad_range_is_named_and_not_exported(client, world, desk):
    bad = {"period": "custom", "start": "2026-03-31", "end": "2026-03-01"}
    lp = world.people[Role.LP_MANAGER]

    page = _page(client, lp, bad)
    export = client.get(reverse("incidents:reports"), bad | {"format": "csv", "table": "stores"})
    printed = client.get(reverse("incidents:reports"), bad | {"format": "pdf"})

    errors = BeautifulSoup(page.content, "html.parser").select_one("[data-testid=report-errors]")
    assert page.status_code == 200 and "The period ends before it starts." in errors.get_text()
    assert export.status_code == 400 and "The period ends before it starts." in export.text
    assert printed.status_code == 400
    assert _page(client, lp, {"period": "custom", "start": "1.3.2026", "end": ""}).context[
        "form"
    ].errors == {
        "start": ["Enter a date as 2026-10-01."],
        "end": ["Enter the last day of the period."],
    }


def test_a_store_outside_the_chosen_region_is_named(client, world, desk):
    page = _page(
        client, world.people[Role.LP_MANAGER], MARCH_QUERY | {"region": "RA", "store": "B1"}
    )

    assert page.context["form"].errors == {"store": ["This store is not in the chosen region."]}
    assert page.context["report"] is None


def test_period_presets_are_whole_calendar_months():
    today = dt.date(2026, 12, 3)

    assert preset_period(THIS_MONTH, today) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))
    assert preset_period(LAST_MONTH, today) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert preset_period(QUARTER, today) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert preset_period(LAST_MONTH, dt.date(2026, 1, 15)) == (
        dt.date(2025, 12, 1),
        dt.date(2025, 12, 31),
    )
    assert preset_period(QUARTER, dt.date(2026, 2, 28)) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 3, 31),
    )


def _rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_is_russian_in_russian_and_hands_no_formula_to_a_spreadsheet(client, world, desk):
    world.store_a1.name = PAYLOAD
    world.store_a1.save(update_fields=["name"])
    client.force_login(world.people[Role.LP_MANAGER])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"

    stores = client.get(
        reverse("incidents:reports"), MARCH_QUERY | {"format": "csv", "table": "stores"}
    )
    categories = client.get(
        reverse("incidents:reports"), MARCH_QUERY | {"format": "csv", "table": "categories"}
    )

    assert stores["Content-Type"].startswith("text/csv")
    header, a1 = _rows(stores)[:2]
    assert header[:3] == ["Код магазина", "Магазин", "Регион"]
    assert a1[:2] == ["A1", csv_cell(PAYLOAD)] and a1[1].startswith("'=")
    assert a1[3:6] == ["4", "3", "33.3"]  # plain numbers, the unit in the header
    assert header[5].endswith(", %")
    assert _rows(categories)[1][0] == "Не начислены бонусы"


def test_the_agents_csv_is_for_the_desk_and_hq_only(client, world, desk):
    query = MARCH_QUERY | {"format": "csv", "table": "agents"}
    for role, status in (
        (Role.CALL_CENTER_SUPERVISOR, 200),
        (Role.LP_MANAGER, 200),
        (Role.REGIONAL_MANAGER, 403),
        (Role.STORE_MANAGER, 403),
    ):
        assert _page(client, world.people[role], query).status_code == status, role
    assert (
        _page(client, world.people[Role.LP_MANAGER], query | {"table": "nope"}).status_code == 404
    )


def test_the_pdf_prints_the_figures(client, world, desk):
    response = _page(client, world.people[Role.REGIONAL_MANAGER], MARCH_QUERY | {"format": "pdf"})

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert response["Content-Type"] == "application/pdf"
    assert f"Complaint reports: {world.region_a.name}" in text
    assert "01.03.2026 – 31.03.2026" in text
    assert "Staff behaviour" in text and "Lost card" not in text  # B1 is outside region A


def _more_tickets(world, n: int) -> None:
    """`n` tickets across stores and categories, two thirds resolved and rated."""
    agent = world.people[Role.CALL_CENTER_AGENT]
    stores = [world.store_a1, world.store_a2, world.store_b1, None]
    categories = [Category.BONUS_NOT_CREDITED, Category.LOST_CARD, Category.PROMOTIONS]
    for i in range(n):
        made = ticket(
            at=at(2 + i % 20, 10 + i % 7),
            store=stores[i % 4],
            category=categories[i % 3],
            priority=Priority.HIGH if i % 5 == 0 else Priority.NORMAL,
        )
        if i % 3:
            _resolve(made, agent, made.created_at + dt.timedelta(minutes=20), "other", 1 + i % 5)


def _report_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("incidents:reports"), MARCH_QUERY).status_code == 200
    return len(queries)


def test_the_page_costs_the_same_queries_for_5_and_50_tickets(client, world):
    client.force_login(world.people[Role.LP_MANAGER])
    _more_tickets(world, 5)
    _report_queries(client)
    five = _report_queries(client)

    _more_tickets(world, 45)
    fifty = _report_queries(client)

    assert fifty == five
    assert desk_report(user=world.people[Role.LP_MANAGER], filters=MARCH).total.filed == 50


def test_the_report_is_three_queries_and_four_with_the_agents(world, django_assert_num_queries):
    _more_tickets(world, 6)

    with django_assert_num_queries(3):
        desk_report(user=world.people[Role.STORE_MANAGER], filters=MARCH)
    with django_assert_num_queries(4):
        desk_report(user=world.people[Role.CALL_CENTER_SUPERVISOR], filters=MARCH)
