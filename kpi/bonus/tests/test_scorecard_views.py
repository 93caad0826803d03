"""The scorecard's pages: the board per region and network with «no data» marked, its CSV
and PDF, HQ's weights form with its history, and a scheme's effect report with its chart,
verdict and CSV; who may open which, and queries that do not grow with the stores."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpi.bonus.models import ScorecardWeights
from kpi.bonus.tests.factories_scorecard import (
    complaint,
    fact,
    monthly_facts,
    penetration_plan,
    scheme,
)
from portal.org.choices import Role
from portal.org.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 11, 10)
NOVEMBER_QUERY = {"period": "month", "month": "2025-11"}
WEIGHTS = {
    "penetration": "50",
    "audit": "0",
    "coverage": "0",
    "sop": "0",
    "complaints": "30",
    "not_identified": "20",
}


@pytest.fixture(autouse=True)
def _minimum(settings):
    settings.KPI_MIN_RECEIPTS_PER_DAY = 10


@pytest.fixture
def board_world(world):
    """November: A1 50 % and a complaint, A2 45 %, B1 60 %; a network plan of 50 %."""
    penetration_plan(50)
    for store, identified in ((world.store_a1, 500), (world.store_a2, 450), (world.store_b1, 600)):
        fact(store, DAY, receipts=1000, identified=identified)
    complaint(world.store_a1, DAY)
    return world


def _open(client, user, name="bonus:scorecard", query=None, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs or None), query or {})


def _codes(response, testid="scorecard-row") -> list[str]:
    body = response.content.decode()
    return [
        line.split('data-code="')[1].split('"')[0]
        for line in body.split("<tr")
        if f'data-testid="{testid}"' in line
    ]


def test_hq_sees_the_network_ranked_with_missing_components_marked(client, board_world):
    response = _open(client, board_world.people[Role.LP_MANAGER], query=NOVEMBER_QUERY)

    assert response.status_code == 200
    assert _codes(response) == ["B1", "A2", "A1"]  # 100, 81.82, 69.70
    body = response.content.decode()
    assert 'data-testid="scorecard-missing"' in body
    assert body.count("fst-italic") >= 9  # audit, coverage, SOP «no data» in each row
    assert 'data-missing="audit coverage sop"' in body
    assert reverse("bonus:scorecard_weights") in body


def test_a_regional_manager_sees_their_region_ranked_among_itself(client, board_world):
    response = _open(client, board_world.people[Role.REGIONAL_MANAGER], query=NOVEMBER_QUERY)

    assert response.status_code == 200
    assert _codes(response) == ["A2", "A1"]
    assert "B1" not in response.content.decode()
    assert reverse("bonus:scorecard_weights") not in response.content.decode()


def test_hq_picks_a_region(client, board_world):
    response = _open(
        client, board_world.people[Role.ADMIN], query=NOVEMBER_QUERY | {"region": "RB"}
    )

    assert _codes(response) == ["B1"]


def test_the_csv_has_every_component_raw_and_scored_and_empty_cells_for_no_data(
    client, board_world
):
    response = _open(
        client, board_world.people[Role.LP_MANAGER], query=NOVEMBER_QUERY | {"format": "csv"}
    )

    assert response["Content-Type"].startswith("text/csv")
    assert "scorecard-network-2025-11.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, first = rows[0], dict(zip(rows[0], rows[1], strict=True))
    assert len(rows) == 4 and len(header) == 21
    assert first[header[1]] == "B1"
    audit_raw, audit_score = header[10], header[11]
    assert (first[audit_raw], first[audit_score]) == ("", "")
    assert first[header[8]] == "120.0"  # B1's plan attainment, %


def test_the_pdf_prints_the_board(client, board_world):
    response = _open(
        client, board_world.people[Role.LP_MANAGER], query=NOVEMBER_QUERY | {"format": "pdf"}
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("export", ["csv", "pdf"])
def test_an_export_of_a_wrong_period_says_which_field(client, board_world, export):
    response = _open(
        client,
        board_world.people[Role.LP_MANAGER],
        query={"period": "month", "month": "2025-13", "format": export},
    )

    assert response.status_code == 400
    assert "Month" in response.content.decode() or "Месяц" in response.content.decode()


def test_the_page_costs_the_same_queries_with_more_stores(client, board_world):
    user = board_world.people[Role.LP_MANAGER]
    _open(client, user, query=NOVEMBER_QUERY)
    with CaptureQueriesContext(connection) as small:
        _open(client, user, query=NOVEMBER_QUERY)
    for n in range(10):
        store = StoreFactory(code=f"A{n + 3}", region=board_world.region_a)
        fact(store, DAY, receipts=1000, identified=400 + n)
        complaint(store, DAY)
    _open(client, user, query=NOVEMBER_QUERY)

    with CaptureQueriesContext(connection) as large:
        response = _open(client, user, query=NOVEMBER_QUERY)

    assert len(_codes(response)) == 13
    assert len(large.captured_queries) == len(small.captured_queries)


# The weights page: HQ only.


def test_hq_sets_the_weights_and_sees_the_history(client, world):
    lp = world.people[Role.LP_MANAGER]
    client.force_login(lp)

    response = client.post(reverse("bonus:scorecard_weights"), WEIGHTS)

    assert response.status_code == 302
    row = ScorecardWeights.objects.get()
    assert (row.penetration, row.complaints, row.changed_by) == (50, 30, lp)
    page = client.get(reverse("bonus:scorecard_weights"))
    assert page.status_code == 200
    assert 'data-testid="weights-history"' in page.content.decode()
    assert page.context["form"].initial["penetration"] == 50


def test_weights_all_zero_are_refused_with_the_reason(client, world):
    client.force_login(world.people[Role.ADMIN])

    response = client.post(reverse("bonus:scorecard_weights"), dict.fromkeys(WEIGHTS, "0"))

    assert response.status_code == 400
    assert not ScorecardWeights.objects.exists()
    assert [str(m) for m in response.context["messages"]]


def test_weights_out_of_range_are_refused(client, world):
    client.force_login(world.people[Role.LP_MANAGER])

    response = client.post(reverse("bonus:scorecard_weights"), WEIGHTS | {"audit": "150"})

    assert response.status_code == 400
    assert response.context["form"].errors["audit"]
    assert not ScorecardWeights.objects.exists()


@pytest.mark.parametrize("role", [Role.REGIONAL_MANAGER, Role.STORE_MANAGER, Role.AUDITOR])
def test_only_hq_opens_the_weights(client, world, role):
    client.force_login(world.people[role])

    assert client.get(reverse("bonus:scorecard_weights")).status_code == 403
    assert client.post(reverse("bonus:scorecard_weights"), WEIGHTS).status_code == 403
    assert not ScorecardWeights.objects.exists()


# The effect report.


@pytest.fixture
def effect_world(world):
    """Region A's stores (and three more) rise 10 p.p. from January 2026, region B's (and
    three more) 5; a scheme in region A and one in region B."""
    stores = {"A": [world.store_a1, world.store_a2], "B": [world.store_b1]}
    for letter, region in (("A", world.region_a), ("B", world.region_b)):
        stores[letter] += [StoreFactory(code=f"{letter}{n}", region=region) for n in (7, 8, 9)]
    months = [dt.date(2025, m, 1) for m in range(7, 13)] + [dt.date(2026, m, 1) for m in (1, 2)]
    for letter, rise in (("A", 100), ("B", 50)):
        for i, store in enumerate(stores[letter]):
            base = 300 + 20 * i
            monthly_facts(
                store, [(m, 1000, base + (rise if m.year == 2026 else 0)) for m in months]
            )
    lp = world.people[Role.LP_MANAGER]
    world.scheme_a = scheme(starts_on=dt.date(2026, 1, 1), regions=[world.region_a], created_by=lp)
    world.scheme_b = scheme(starts_on=dt.date(2026, 1, 1), regions=[world.region_b], created_by=lp)
    return world


def test_hq_reads_the_effect_with_its_chart_verdict_and_table(client, effect_world):
    response = _open(
        client,
        effect_world.people[Role.LP_MANAGER],
        "bonus:scheme_effect",
        pk=effect_world.scheme_a.pk,
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-verdict="worked"' in body
    assert "<svg" in body and body.count("<polyline") == 4  # three thirds and the control
    assert body.count('data-testid="effect-row"') == 4
    assert response.context["report"].overall.effect == 5


def test_the_effect_csv_lists_the_thirds_and_all(client, effect_world):
    response = _open(
        client,
        effect_world.people[Role.ADMIN],
        "bonus:scheme_effect",
        query={"format": "csv"},
        pk=effect_world.scheme_a.pk,
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 5
    assert [row[9] for row in rows[1:]] == ["5.0"] * 4  # the effect, p.p.


def test_a_regional_manager_reads_their_regions_scheme_only(client, effect_world):
    manager = effect_world.people[Role.REGIONAL_MANAGER]
    own = _open(client, manager, "bonus:scheme_effect", pk=effect_world.scheme_a.pk)
    other = _open(client, manager, "bonus:scheme_effect", pk=effect_world.scheme_b.pk)
    network = scheme(starts_on=dt.date(2026, 1, 1), created_by=effect_world.people[Role.ADMIN])

    assert (own.status_code, other.status_code) == (200, 404)
    assert _open(client, manager, "bonus:scheme_effect", pk=network.pk).status_code == 200


@pytest.mark.parametrize(
    "role", [Role.STORE_STAFF, Role.STORE_MANAGER, Role.AUDITOR, Role.CALL_CENTER_AGENT]
)
def test_nobody_else_reads_an_effect(client, effect_world, role):
    response = _open(
        client, effect_world.people[role], "bonus:scheme_effect", pk=effect_world.scheme_a.pk
    )

    assert response.status_code == 404


def test_an_unknown_scheme_is_404(client, world):
    assert (
        _open(client, world.people[Role.LP_MANAGER], "bonus:scheme_effect", pk=999).status_code
        == 404
    )
