"""Disputes, restating and corrections on the statement pages: a store manager disputes
a line with a comment, the regional manager or HQ decide it with a reason, HQ restates an
open statement, and what a locked one computes to now is filed as corrections that land
in the next period's statement, linked to the lines they correct."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kpi.bonus.choices import DisputeStatus, LineKind, StatementEventKind, StatementStatus
from kpi.bonus.models import Adjustment, Dispute
from kpi.bonus.services.statements import line_dispute, statement_approve, statement_draft
from kpi.bonus.tests.factories import OCTOBER, chain, store_days
from kpi.bonus.tests.statement_pages import (
    PENETRATIONS,
    attr_values,
    locked_statement,
    manager_of,
    opened_statement,
    said,
    seller_of,
    statement_page,
    with_testid,
)
from kpi.models import StoreDay
from kpi.periods import month_of

pytestmark = pytest.mark.django_db
D = Decimal
NOVEMBER = month_of(dt.date(2026, 11, 1))

# -- disputes ---------------------------------------------------------------------------


def test_the_store_manager_disputes_a_line_with_a_comment(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    manager = manager_of(c, 7)
    line = statement.lines.get(person=seller_of(c, 7))
    url = reverse("bonus:line_dispute", args=[line.pk])
    client.force_login(manager)

    form = client.get(url)
    empty = client.post(url, {"comment": "  "})
    sent = client.post(url, {"comment": "В отпуске весь октябрь"})

    assert form.status_code == 200 and with_testid(form.content.decode(), "dispute-form")
    assert empty.status_code == 200
    assert said("Say what is wrong with the line.") in empty.content.decode()
    assert sent.status_code == 302
    dispute = Dispute.objects.get()
    assert (dispute.line, dispute.raised_by, dispute.comment) == (
        line,
        manager,
        "В отпуске весь октябрь",
    )
    html = statement_page(client, manager, statement).content.decode()
    assert with_testid(html, "line-disputed")


def test_nobody_but_the_stores_manager_disputes_its_lines(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    line = statement.lines.get(person=seller_of(c, 7))
    url = reverse("bonus:line_dispute", args=[line.pk])

    for who, expected in (
        (manager_of(c, 0), 404),  # another store's manager does not see the line
        (seller_of(c, 7), 404),
        (c.regional, 403),
        (c.hq, 403),
    ):
        client.force_login(who)
        assert client.get(url).status_code == expected, who.role


def test_the_regional_manager_decides_a_dispute_with_a_reason(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    seller = seller_of(c, 7)
    dispute = line_dispute(
        actor=manager_of(c, 7), line=statement.lines.get(person=seller), comment="Отпуск"
    )
    url = reverse("bonus:dispute_decide", args=[dispute.pk])

    # Given the regional manager on the page: the decision form, and no approval yet
    html = statement_page(client, c.regional, statement).content.decode()
    assert attr_values(html, "dispute", "data-dispute") == [str(dispute.pk)]
    assert with_testid(html, "decision-form")
    assert not with_testid(html, "statement-approve")
    assert said("Decide the open disputes first.") in html
    # When they decide without a reason, nothing is decided
    response = client.post(url, {"outcome": "accept", "exclude": "person"}, follow=True)
    assert said("Give the reason of the decision.") in response.content.decode()
    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.OPEN
    # When they accept it excluding the person
    client.post(url, {"outcome": "accept", "exclude": "person", "decision": "Отпуск"})
    # Then the dispute is accepted, the statement restated without the person
    dispute.refresh_from_db()
    statement.refresh_from_db()
    assert dispute.status == DisputeStatus.ACCEPTED and dispute.exclude == "person"
    assert not statement.lines.filter(person=seller).exists()
    assert statement.changed_by == c.regional
    html = statement_page(client, c.regional, statement).content.decode()
    assert said("You changed it last.") in html
    assert with_testid(html, "dispute-decision")


def test_the_disputing_manager_does_not_decide_and_a_rejection_changes_nothing(client):
    c = chain(PENETRATIONS)
    statement = opened_statement(c)
    manager = manager_of(c, 7)
    dispute = line_dispute(
        actor=manager, line=statement.lines.filter(store=c.stores[7]).first(), comment="?"
    )
    url = reverse("bonus:dispute_decide", args=[dispute.pk])
    before = list(statement.lines.values_list("pk", "amount"))

    client.force_login(manager)
    assert client.post(url, {"outcome": "accept", "decision": "сам"}).status_code == 403
    client.force_login(c.hq_second)
    client.post(url, {"outcome": "reject", "decision": "Верно"})

    assert Dispute.objects.get(pk=dispute.pk).status == DisputeStatus.REJECTED
    assert list(statement.lines.values_list("pk", "amount")) == before


# -- restating, late changes and corrections --------------------------------------------


def test_hq_restates_an_open_statement_and_then_may_not_approve_it(client):
    c = chain(PENETRATIONS)
    statement = statement_approve(actor=c.regional, statement=opened_statement(c))
    url = reverse("bonus:statement_restate", args=[statement.pk])

    client.force_login(c.regional)
    assert client.post(url).status_code == 403
    client.force_login(c.hq_second)
    assert client.post(url).status_code == 302

    statement.refresh_from_db()
    assert statement.changed_by == c.hq_second
    assert statement.status == StatementStatus.REVIEW  # the regional approval is void
    assert statement.events.filter(kind=StatementEventKind.RESTATED).exists()
    html = statement_page(client, c.hq_second, statement).content.decode()
    assert said("You changed it last.") in html


def test_a_locked_statement_is_not_restated(client):
    c = chain(PENETRATIONS)
    statement = locked_statement(c)
    client.force_login(c.hq)

    assert client.post(reverse("bonus:statement_restate", args=[statement.pk])).status_code == 403


def test_late_changes_of_a_locked_statement_become_corrections_in_the_next_period(client):
    shares = [*PENETRATIONS, 30]
    c = chain(shares)
    late = c.stores[8]
    StoreDay.objects.filter(store=late).delete()  # its October is not loaded at the close
    for store, share in zip(c.stores, shares, strict=True):
        store_days(store, NOVEMBER, penetration=share)
    october = locked_statement(c)
    assert not october.lines.filter(store=late).exists()
    # Given the 9th store's October store days loaded after the lock, at 30 %
    store_days(late, OCTOBER, penetration=30)
    moved = c.stores[5]  # at 50 % it was the best of the bottom three; now it is middle

    # When HQ compares the locked statement with the data as it stands
    plain = statement_page(client, c.hq, october).content.decode()
    html = statement_page(client, c.hq, october, late="1").content.decode()

    # Then the page lists the changes, a correction to file per locked line changed
    assert with_testid(plain, "check-late") and not with_testid(plain, "late-change")
    assert len(with_testid(html, "late-change")) == 8  # the 9th store's 4 lose, the 6th's do not
    links = re.findall(r'href="([^"]+)" data-testid="file-correction"', html)
    assert len(links) == 4
    line = october.lines.filter(store=moved).first()
    link = next(link for link in links if f"/lines/{line.pk}/" in link).replace("&amp;", "&")
    # When HQ follows the link, the form is prefilled with the difference
    form = client.get(link).content.decode()
    assert 'value="3000.00"' in form
    response = client.post(
        reverse("bonus:line_adjust", args=[line.pk]),
        {"amount": "3000.00", "reason": "Чеки загружены после утверждения"},
    )
    assert response.status_code == 302
    adjustment = Adjustment.objects.get()
    assert (adjustment.corrects, adjustment.amount) == (line, D("3000.00"))
    # And the correction lands in November's statement, linked to the line it corrects
    (november,) = statement_draft(actor=None, scheme=october.scheme, period=NOVEMBER)
    correction = november.lines.get(kind=LineKind.ADJUSTMENT)
    assert (correction.corrects, correction.amount) == (line, D("3000.00"))
    november_page = statement_page(client, c.hq, november).content.decode()
    assert f"{reverse('bonus:statement', args=[october.pk])}#line-{line.pk}" in november_page
    october_page = statement_page(client, c.hq, october).content.decode()
    assert with_testid(october_page, "line-correction")


def test_only_hq_sees_late_changes_and_files_corrections(client):
    c = chain(PENETRATIONS)
    statement = locked_statement(c)
    line = statement.lines.first()

    html = statement_page(client, c.regional, statement, late="1").content.decode()
    client.force_login(c.regional)
    refused = client.get(reverse("bonus:line_adjust", args=[line.pk]))

    assert not with_testid(html, "late-changes")
    assert refused.status_code == 403


def test_a_correction_needs_an_amount_and_a_reason(client):
    c = chain(PENETRATIONS)
    line = locked_statement(c).lines.first()
    client.force_login(c.hq)

    response = client.post(reverse("bonus:line_adjust", args=[line.pk]), {"amount": "0"})

    assert response.status_code == 200
    assert len(with_testid(response.content.decode(), "form-error")) == 2
    assert not Adjustment.objects.exists()
