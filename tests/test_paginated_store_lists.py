"""Store-level lists show fifty stores a page (the compliance page, the certification
coverage, the KPI board); their CSV lists every store. The KPI store page shows the
store's SOP and certification shares of today, as `store_compliance_shares` and
`certified_coverage` give them."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import RegionFactory, StoreFactory, person
from portal.sop import services as sop_services
from portal.sop.compliance import store_compliance_shares
from portal.sop.tests.factories import publish_sop
from training.models import Exam
from training.selectors.status import certified_coverage

pytestmark = pytest.mark.django_db

STORES = 55
DAY = date(2026, 10, 14)
ONE_DAY = {"period": "custom", "start": DAY.isoformat(), "end": DAY.isoformat()}


@pytest.fixture
def network(db):
    region = RegionFactory(code="P", name="Пагинация")
    sellers = [
        person(Role.STORE_STAFF, store=StoreFactory(code=f"P{n:02d}", region=region))
        for n in range(STORES)
    ]
    page = publish_sop(title="Для всех")
    for seller in sellers[::3]:
        sop_services.acknowledgement_record(
            person=seller, page=page, revision_id=page.live_revision_id
        )
    Exam.objects.create(code="p-exam", title="Экзамен", pass_mark=60)
    return person(Role.LP_MANAGER)


def _rows(client, url: str, selector: str, **params) -> list[str]:
    codes = []
    for number in (1, 2):
        response = client.get(url, {**params, "page": number})
        assert response.status_code == 200
        html = BeautifulSoup(response.content, "html.parser")
        codes.append([row["data-code"] for row in html.select(selector)])
    assert [len(page) for page in codes] == [50, STORES - 50]
    return codes[0] + codes[1]


def _csv_codes(client, url: str, **params) -> list[str]:
    """The store codes of a CSV export (the column holding only our P.. codes)."""
    response = client.get(url, {**params, "format": "csv"})
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))[1:]
    columns = zip(*rows, strict=True)
    return list(next(c for c in columns if all(v.startswith("P") and v[1:].isdigit() for v in c)))


def test_compliance_and_coverage_pages_list_fifty_stores_a_page_and_csv_all(client, network):
    client.force_login(network)
    every = sorted(Store.objects.values_list("code", flat=True))

    compliance = _rows(client, reverse("sop:compliance"), "[data-testid=compliance-store]")
    assert sorted(compliance) == every
    assert sorted(_csv_codes(client, reverse("sop:compliance"))) == every

    coverage = _rows(client, reverse("training:coverage"), "[data-testid=coverage-row]")
    assert sorted(coverage) == every
    assert sorted(_csv_codes(client, reverse("training:coverage"))) == every


def test_kpi_board_lists_fifty_stores_a_page_and_its_csv_all(client, network):
    client.force_login(network)
    url = reverse("kpi:leaderboard")
    codes = []
    for number in (1, 2):
        response = client.get(url, {**ONE_DAY, "page": number})
        html = BeautifulSoup(response.content, "html.parser")
        rows = html.select("[data-testid=board-row], [data-testid=board-unranked]")
        codes.append([row["data-code"] for row in rows])
    assert [len(page) for page in codes] == [50, STORES - 50]
    every = sorted(Store.objects.values_list("code", flat=True))
    assert sorted(codes[0] + codes[1]) == every
    assert sorted(_csv_codes(client, url, **ONE_DAY)) == every


def test_kpi_store_page_shows_the_stores_confirmed_and_certified_shares(client, network):
    client.force_login(network)
    store = Store.objects.get(code="P00")
    response = client.get(reverse("kpi:store", args=["P00"]), ONE_DAY)
    tag = BeautifulSoup(response.content, "html.parser").select_one("[data-testid=store-programme]")
    one = Store.objects.filter(pk=store.pk)
    assert tag["data-confirmed"] == str(store_compliance_shares(stores=one)[store.pk])
    assert tag["data-confirmed"] == "100.0"  # its only seller confirmed the only page
    assert tag["data-certified"] == str(certified_coverage(stores=one)[store.pk]) == "0.0"
