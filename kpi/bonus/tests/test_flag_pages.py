"""The abuse flags' pages: the list with its filters and CSV (cards shown by their last
four characters), its queries fixed whatever the flags, a flag with its receipts and
history, and the LP manager's decision (a note required; others refused)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpi.bonus.choices import FlagEventKind, FlagKind, FlagStatus
from kpi.bonus.tests.factories_flags import flag_raised
from portal.org.choices import Role
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db
LIST = "bonus:flags"


@pytest.fixture
def hq(client):
    client.force_login(person(Role.LP_MANAGER))
    return client


def _shown(response) -> set[int]:
    return {flag.pk for flag in response.context["page"].object_list}


def test_the_list_shows_each_flag_with_its_store_period_measure_and_card_masked(hq):
    store = StoreFactory(code="M01", name="Тверская")
    flag = flag_raised(store, card_id="77001234567890")

    response = hq.get(reverse(LIST))

    assert response.status_code == 200
    assert _shown(response) == {flag.pk}
    page = response.content.decode()
    assert "M01" in page and "01.03.2026 – 31.03.2026" in page
    assert "…7890" in page and "77001234567890" not in page
    assert reverse("bonus:flag", args=[flag.pk]) in page


def test_the_list_filters_by_status_kind_and_region(hq):
    north, south = RegionFactory(code="NN"), RegionFactory(code="SS")
    daily = flag_raised(StoreFactory(region=north))
    cashier = flag_raised(
        StoreFactory(region=south), kind=FlagKind.CASHIER_SHARE, cashier="C1", card_id=""
    )
    cashier.status = FlagStatus.CLEARED
    cashier.save(update_fields=["status"])

    assert _shown(hq.get(reverse(LIST), {"status": "open"})) == {daily.pk}
    assert _shown(hq.get(reverse(LIST), {"kind": "cashier_share"})) == {cashier.pk}
    assert _shown(hq.get(reverse(LIST), {"region": "SS"})) == {cashier.pk}
    assert _shown(hq.get(reverse(LIST), {"kind": "nonsense"})) == {daily.pk, cashier.pk}
    assert hq.get(reverse(LIST), {"region": "NOPE"}).status_code == 404


def test_the_csv_lists_the_same_flags_with_raw_figures(hq):
    flag_raised(StoreFactory(code="M02"), card_id="77009999990001")

    response = hq.get(reverse(LIST), {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert "Measured" in header or "Измерено" in header
    assert "M02" in row and "…0001" in row and ";12;5;" in row


def test_the_list_costs_the_same_queries_with_5_and_40_flags(hq):
    for _n in range(5):
        flag_raised(StoreFactory())
    with CaptureQueriesContext(connection) as few:
        hq.get(reverse(LIST))
    for _n in range(35):
        flag_raised(StoreFactory(region=RegionFactory()))

    with CaptureQueriesContext(connection) as many:
        response = hq.get(reverse(LIST))

    assert len(_shown(response)) == 40
    assert len(many) == len(few)


def test_a_regional_manager_sees_their_regions_flags_only(client):
    ours, theirs = RegionFactory(code="RA"), RegionFactory(code="RB")
    mine = flag_raised(StoreFactory(region=ours))
    other = flag_raised(StoreFactory(region=theirs))
    client.force_login(person(Role.REGIONAL_MANAGER, region=ours))

    assert _shown(client.get(reverse(LIST))) == {mine.pk}
    assert client.get(reverse("bonus:flag", args=[mine.pk])).status_code == 200
    assert client.get(reverse("bonus:flag", args=[other.pk])).status_code == 404
    assert client.get(reverse(LIST), {"region": "RB"}).status_code == 404


def test_a_flag_shows_its_receipts_and_history_and_the_decision_form_to_hq(hq):
    flag = flag_raised(StoreFactory(code="M03"), card_id="77005555554321")

    response = hq.get(reverse("bonus:flag", args=[flag.pk]))

    page = response.content.decode()
    assert 'data-testid="evidence"' in page and "R0000001" in page and "…4321" in page
    assert "77005555554321" not in page
    assert [e.kind for e in response.context["events"]] == [FlagEventKind.RAISED]
    assert 'data-testid="decide-form"' in page


def test_an_lp_manager_clears_a_flag_with_a_note(hq):
    flag = flag_raised(StoreFactory())

    response = hq.post(
        reverse("bonus:flag_decide", args=[flag.pk]),
        {"decision": "clear", "note": "Покупки семьи сотрудника, оплачены."},
    )

    assert response.status_code == 302
    flag.refresh_from_db()
    assert (flag.status, flag.decision) == (
        FlagStatus.CLEARED,
        "Покупки семьи сотрудника, оплачены.",
    )
    page = hq.get(reverse("bonus:flag", args=[flag.pk])).content.decode()
    assert "Покупки семьи сотрудника" in page and 'data-testid="decide-form"' not in page


def test_a_decision_without_a_note_is_refused_and_changes_nothing(hq):
    flag = flag_raised(StoreFactory())

    response = hq.post(
        reverse("bonus:flag_decide", args=[flag.pk]), {"decision": "confirm"}, follow=True
    )

    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert [str(m) for m in response.context["messages"]]


def test_a_regional_manager_may_not_decide(client):
    region = RegionFactory()
    flag = flag_raised(StoreFactory(region=region))
    client.force_login(person(Role.REGIONAL_MANAGER, region=region))

    page = client.get(reverse("bonus:flag", args=[flag.pk])).content.decode()
    response = client.post(
        reverse("bonus:flag_decide", args=[flag.pk]), {"decision": "clear", "note": "Нет"}
    )

    assert 'data-testid="decide-form"' not in page
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
