"""The statement pages as each role uses them: who sees which stores and lines, the
approvals with the reasons a button is missing, the list and its CSV, the staff's own
page, the dashboard panels, and queries that do not grow with stores and people
(disputes, restating and corrections: test_statement_disputes.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpi.bonus.choices import SchemeEventKind, StatementStatus
from kpi.bonus.dashboard import approvals_panel, own_line_panel
from kpi.bonus.models import SchemeEvent, Statement
from kpi.bonus.services.statements import (
    line_dispute,
    statement_approve,
    statement_draft,
    statement_open,
)
from kpi.bonus.tests.factories import OCTOBER, chain, scheme, store_days
from kpi.bonus.tests.statement_pages import (
    PENETRATIONS,
    attr_values,
    drafted_statement,
    locked_statement,
    manager_of,
    opened_statement,
    result_rows,
    said,
    seller_of,
    statement_page,
    with_testid,
)
from kpi.periods import month_of
from portal.events.services import event_record
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db
NOVEMBER = month_of(dt.date(2026, 11, 1))

# -- who sees what ----------------------------------------------------------------------


def test_hq_sees_every_store_and_every_line(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)

    html = statement_page(client, c.hq_second, statement).content.decode()

    assert len(with_testid(html, "store-results")) == 1
    assert len(result_rows(html)) == 8
    assert len(with_testid(html, "line")) == 24  # 3 top and 3 bottom stores, 4 people each
    assert with_testid(html, "line-explanation")


def test_a_store_manager_sees_only_their_stores_result_and_lines(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    manager = manager_of(c, 7)

    response = statement_page(client, manager, statement)

    html = response.content.decode()
    assert response.status_code == 200
    assert result_rows(html) == [c.stores[7].code]
    people = set(attr_values(html, "line", "data-person"))
    assert people == {p.personnel_number for p in c.staff[c.stores[7].pk]}
    assert len(with_testid(html, "line-dispute")) == 4  # their store's lines, while open


def test_a_store_manager_does_not_see_a_draft(client):
    c = chain(PENETRATIONS)
    statement = drafted_statement(c)

    assert statement_page(client, manager_of(c, 7), statement).status_code == 404


def test_a_seller_has_only_their_own_page(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    seller = seller_of(c, 7)
    client.force_login(seller)

    assert client.get(reverse("bonus:statements")).status_code == 403
    assert statement_page(client, seller, statement).status_code == 404
    response = client.get(reverse("bonus:mine"))

    html = response.content.decode()
    line = statement.lines.get(person=seller)
    assert response.status_code == 200
    assert attr_values(html, "own-line", "data-line") == [str(line.pk)]
    assert with_testid(html, "own-explanation")
    assert "store-statements" not in html  # a seller gets no store links


def test_a_store_manager_gets_their_stores_statements_on_their_own_page(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    manager = manager_of(c, 7)
    client.force_login(manager)

    html = client.get(reverse("bonus:mine")).content.decode()

    assert reverse("bonus:statement", args=[statement.pk]) in html
    assert reverse("bonus:statement_store_pdf", args=[statement.pk, c.stores[7].pk]) in html
    assert len(with_testid(html, "own-line")) == 1


def test_a_regional_manager_sees_their_region_not_another(client):
    a = chain(PENETRATIONS, code="RX")
    b = chain(PENETRATIONS, code="RY")
    own, other = opened_statement(a), opened_statement(b)
    client.force_login(a.regional)

    listed = client.get(reverse("bonus:statements")).content.decode()

    assert re.findall(r'data-statement="(\d+)"', listed) == [str(own.pk)]
    assert statement_page(client, a.regional, own).status_code == 200
    assert statement_page(client, a.regional, other).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.CALL_CENTER_AGENT, Role.CALL_CENTER_SUPERVISOR, Role.AUDITOR]
)
def test_the_hotline_and_auditors_see_no_statement(client, role):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    outsider = person(role)
    client.force_login(outsider)

    assert client.get(reverse("bonus:statements")).status_code == 403
    assert client.get(reverse("bonus:mine")).status_code == 403
    assert statement_page(client, outsider, statement).status_code == 404


def test_the_list_filters_and_exports_what_it_shows(client):
    c = chain(PENETRATIONS)
    locked = locked_statement(c)
    for store, share in zip(c.stores, PENETRATIONS, strict=True):
        store_days(store, NOVEMBER, penetration=share)
    (open_one,) = statement_draft(actor=c.hq, scheme=locked.scheme, period=NOVEMBER)
    client.force_login(c.hq)
    url = reverse("bonus:statements")

    everything = client.get(url).content.decode()
    only_locked = client.get(url, {"status": "locked"}).content.decode()
    by_region = client.get(url, {"region": c.region.code, "scheme": locked.scheme_id})
    wrong = client.get(url, {"region": "NOPE"})
    exported = client.get(url, {"status": "draft", "format": "csv"})

    assert re.findall(r'data-statement="(\d+)"', everything) == [str(open_one.pk), str(locked.pk)]
    assert re.findall(r'data-statement="(\d+)"', only_locked) == [str(locked.pk)]
    assert len(re.findall(r"data-statement=", by_region.content.decode())) == 2
    assert wrong.status_code == 200 and "is-invalid" in wrong.content.decode()
    rows = list(csv.reader(io.StringIO(exported.content.decode().lstrip("\ufeff")), delimiter=";"))
    assert exported["Content-Type"].startswith("text/csv")
    assert len(rows) == 2 and rows[1][1] == locked.scheme.name
    assert client.get(url, {"region": "NOPE", "format": "csv"}).status_code == 400


# -- approvals ---------------------------------------------------------------------------


def test_the_preparer_is_refused_with_the_reason_then_the_region_and_hq_approve(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)  # prepared by c.hq
    approve = reverse("bonus:statement_approve", args=[statement.pk])

    # Given the preparer on the page: no button, and why
    html = statement_page(client, c.hq, statement).content.decode()
    assert not with_testid(html, "statement-approve")
    assert said("You prepared this statement.") in html
    # When they post the approval anyway, they are told why and nothing changes
    response = client.post(approve, follow=True)
    assert said("You prepared this statement.") in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).status == StatementStatus.REVIEW
    # When the regional manager approves
    html = statement_page(client, c.regional, statement).content.decode()
    assert with_testid(html, "statement-approve")
    assert client.post(approve).status_code == 302
    statement.refresh_from_db()
    assert statement.status == StatementStatus.REGION_APPROVED
    assert statement.region_approved_by == c.regional
    # Then the regional manager cannot approve a second time, nor can the preparer
    html = statement_page(client, c.regional, statement).content.decode()
    assert said("You approved it first.") in html
    assert said("The second approval is HQ's.") in html
    assert (
        said("You prepared this statement.")
        in statement_page(client, c.hq, statement).content.decode()
    )
    # And another HQ person approves and locks it
    html = statement_page(client, c.hq_second, statement).content.decode()
    assert with_testid(html, "statement-approve")
    client.post(approve)
    statement.refresh_from_db()
    assert statement.status == StatementStatus.LOCKED
    assert statement.hq_approved_by == c.hq_second


def test_a_locked_statement_has_no_action_buttons(client):
    c = chain(PENETRATIONS)
    statement = locked_statement(c)

    for viewer in (c.hq, c.hq_second, c.regional, manager_of(c, 7)):
        html = statement_page(client, viewer, statement).content.decode()
        for action in (
            "statement-open",
            "statement-approve",
            "statement-restate",
            "line-dispute",
            "decision-form",
        ):
            assert not with_testid(html, action), (viewer.role, action)
    steps = attr_values(
        statement_page(client, c.hq, statement).content.decode(), "path-step", "data-done"
    )
    assert steps == ["1", "1", "1", "1"]


def test_an_administrator_who_prepared_it_is_refused_too(client):
    c = chain(PENETRATIONS)
    admin = person(Role.ADMIN)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    s = scheme(c.hq, [c.region])
    (statement,) = statement_draft(actor=admin, scheme=s, period=OCTOBER)
    statement_open(actor=admin, statement=statement)

    html = statement_page(client, admin, statement).content.decode()
    response = client.post(reverse("bonus:statement_approve", args=[statement.pk]), follow=True)

    assert not with_testid(html, "statement-approve")
    assert said("You prepared this statement.") in response.content.decode()
    assert Statement.objects.get(pk=statement.pk).status == StatementStatus.REVIEW


def test_hq_opens_a_draft_and_a_store_manager_is_refused(client):
    c = chain(PENETRATIONS)
    statement = drafted_statement(c, actor=None)  # the period close
    url = reverse("bonus:statement_open", args=[statement.pk])

    client.force_login(c.regional)
    assert client.post(url).status_code == 403
    client.force_login(c.hq)
    assert client.post(url).status_code == 302

    statement.refresh_from_db()
    assert statement.status == StatementStatus.REVIEW and statement.dispute_until


# -- queries -----------------------------------------------------------------------------


def _queries(client, user, url) -> int:
    client.force_login(user)
    assert client.get(url).status_code == 200  # sessions, content types: warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_pages_cost_the_same_queries_for_twice_the_stores_and_people(client):
    small = chain(PENETRATIONS, code="RS")
    large = chain(PENETRATIONS * 2, code="RL", staff_per_store=6)
    few, many = opened_statement(small), opened_statement(large)
    for c, statement in ((small, few), (large, many)):
        bottom = c.stores[-1]
        for line in statement.lines.filter(store=bottom)[:2]:
            line_dispute(actor=c.staff[bottom.pk][0], line=line, comment="?")

    pairs = [
        (small.hq_second, large.hq_second, "bonus:statement", [few.pk], 14),
        (small.regional, large.regional, "bonus:statement", [few.pk], 14),
        (manager_of(small, 7), manager_of(large, 15), "bonus:statement", [few.pk], 13),
        (small.hq, large.hq, "bonus:statements", [], 12),
        (seller_of(small, 7), seller_of(large, 15), "bonus:mine", [], 7),
    ]
    for user_small, user_large, name, args, expected in pairs:
        url_small = reverse(name, args=args)
        url_large = reverse(name, args=[many.pk] if args else [])
        counts = (_queries(client, user_small, url_small), _queries(client, user_large, url_large))
        assert counts == (expected, expected), (name, user_small.role, counts)


# -- dashboards --------------------------------------------------------------------------


def test_staff_see_their_latest_line_and_why_on_their_dashboard(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    seller = seller_of(c, 7)

    panel = own_line_panel(seller)

    assert panel["line"] == statement.lines.get(person=seller)
    assert panel["explanation"]
    assert own_line_panel(seller_of(c, 3))["line"] is None  # a middle store: no line


def test_approvers_see_what_awaits_them_and_the_schemes_turns(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    event_record(SchemeEvent, kind=SchemeEventKind.SUSPENDED, actor=None, scheme=statement.scheme)
    line_dispute(
        actor=manager_of(c, 7), line=statement.lines.filter(store=c.stores[7]).first(), comment="?"
    )

    regional = approvals_panel(c.regional)
    preparer = approvals_panel(c.hq)

    assert [item["statement"] for item in regional["awaiting"]] == [statement]
    assert regional["disputes"] == 1
    assert [e.kind for e in regional["turns"]] == [SchemeEventKind.SUSPENDED]
    assert preparer["awaiting"] == []  # the region approves first, and they prepared it


def test_hq_sees_what_the_region_approved_unless_they_prepared_it():
    c = chain(PENETRATIONS)
    statement = statement_approve(actor=c.regional, statement=opened_statement(c))

    assert approvals_panel(c.regional)["awaiting"] == []
    assert approvals_panel(c.hq)["awaiting"] == []  # the preparer
    assert [i["statement"] for i in approvals_panel(c.hq_second)["awaiting"]] == [statement]


def test_the_dashboards_show_the_panels_to_whom_they_are_for(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    seller = seller_of(c, 7)

    client.force_login(seller)
    own = client.get(reverse("home:dashboard")).content.decode()
    client.force_login(c.regional)
    regional = client.get(reverse("home:dashboard")).content.decode()

    assert with_testid(own, "panel-own-bonus") and with_testid(own, "panel-own-explanation")
    assert not with_testid(own, "panel-bonus-approvals")
    assert with_testid(regional, "panel-bonus-approvals")
    assert reverse("bonus:statement", args=[statement.pk]) in regional
    assert not with_testid(regional, "panel-own-bonus")
