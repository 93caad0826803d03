"""The schemes' pages: HQ sets a scheme up through the form (recorded as events), the
rules across fields refused on the field they concern, who sees and changes which
scheme, the simulation of a past period (nothing written, zero-sum balanced), HQ's close
of a period (they prepare it, so they cannot approve it), and fixed query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kpi.bonus import clock
from kpi.bonus.choices import Mode, SchemeEventKind, SchemeStatus, StatementStatus
from kpi.bonus.models import Line, Scheme, SchemeEvent, Statement, StatementEvent, StoreResult
from kpi.bonus.services.statements import StatementRefused, statement_approve
from kpi.bonus.tests.factories import OCTOBER, chain, plan, scheme
from portal.notify.models import Notification
from portal.org.choices import Role
from portal.org.tests.factories import RegionFactory, person

pytestmark = pytest.mark.django_db
D = Decimal
PENETRATIONS = [80, 75, 70, 60, 55, 50, 45, 40]  # 1-3 top, 6-8 bottom
# Mid-November 2026: October has ended; November has not.
NOVEMBER_15 = timezone.make_aware(dt.datetime(2026, 11, 15, 12, 0))


@pytest.fixture
def november():
    with clock.at(NOVEMBER_15):
        yield


def _form(region=None, **overrides) -> dict:
    """What HQ types into the form for an Avtorus-style scheme."""
    data = {
        "name": "Мотивация — демотивация",
        "metric": "penetration",
        "period": "month",
        "scope": "region",
        "payees": "staff",
        "mode": "zero_sum",
        "split": "equal",
        "top_n": "3",
        "bottom_n": "3",
        "award": "0",
        "deduction": "3000",
        "deduction_cap": "10000.00",
        "budget_cap": "",
        "min_coverage": "",
        "suspend_after": "",
        "resume_after": "1",
        "dispute_days": "5",
        "accrual_code": "2000",
        "deduction_code": "2010",
        "starts_on": "2026-01-01",
    }
    if region is not None:
        data["regions"] = [str(region.pk)]
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _visible_pks(response) -> set[int]:
    return {s.pk for s in response.context["schemes"]}


# --- the form -----------------------------------------------------------------------


def test_hq_sets_a_scheme_up_through_the_form_and_each_change_is_an_event(client):
    # Given HQ and a region
    hq = person(Role.LP_MANAGER)
    region = RegionFactory(code="RX")
    client.force_login(hq)
    # When they set a scheme up
    response = client.post(reverse("bonus:scheme_new"), _form(region))
    # Then it is there as typed, money as Decimal to the kopeck, with its creation event
    made = Scheme.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "bonus:scheme", args=[made.pk]
    )
    assert (made.mode, made.deduction, made.deduction_cap) == (
        Mode.ZERO_SUM,
        D("3000.00"),
        D("10000.00"),
    )
    assert list(made.regions.all()) == [region] and made.created_by == hq
    created = SchemeEvent.objects.get(scheme=made)
    assert (created.kind, created.actor) == (SchemeEventKind.CREATED, hq)
    # When they lower the deduction
    response = client.post(
        reverse("bonus:scheme_edit", args=[made.pk]), _form(region, deduction="2500.50")
    )
    # Then only that change is recorded, before and after
    assert response.status_code == 302
    changed = SchemeEvent.objects.filter(scheme=made, kind=SchemeEventKind.CHANGED).get()
    assert changed.payload == {"deduction": ["3000.00", "2500.50"]}
    assert changed.actor == hq
    # And the scheme's page shows it, the cap and the rules
    page = client.get(reverse("bonus:scheme", args=[made.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="setting-cap"' in body and "10\xa0000,00" in body
    assert 'data-testid="rule-ties"' in body and 'data-testid="rule-rounding"' in body
    assert 'data-testid="rule-eligibility"' in body
    history = [event.kind for event, _changes in page.context["history"]]
    assert history == [SchemeEventKind.CHANGED, SchemeEventKind.CREATED]
    (_event, changes), _created = page.context["history"]
    assert [(c.before, c.after) for c in changes] == [("3\xa0000,00\xa0₽", "2\xa0500,50\xa0₽")]


def test_a_zero_sum_scheme_pays_no_fixed_award_nor_has_a_budget(client):
    client.force_login(person(Role.LP_MANAGER))
    client.post(reverse("bonus:scheme_new"), _form(award="700", budget_cap="5000"))
    made = Scheme.objects.get()
    assert (made.award, made.budget_cap) == (D("0.00"), None)


@pytest.mark.parametrize(
    ("typed", "field"),
    [
        ({"mode": "threshold", "metric": "scorecard", "award": "5000"}, "metric"),
        ({"mode": "threshold", "award": "0", "deduction": "0"}, "award"),
        ({"mode": "zero_sum", "deduction": "0"}, "deduction"),
        ({"payees": "cashiers", "metric": "average_receipt"}, "payees"),
        ({"mode": "threshold", "award": "-5"}, "award"),
        ({"deduction": "100.555"}, "deduction"),
        ({"deduction_cap": "-1"}, "deduction_cap"),
        ({"deduction": "сто"}, "deduction"),
    ],
    ids=[
        "threshold-on-the-scorecard",
        "threshold-without-amounts",
        "zero-sum-without-deduction",
        "cashiers-not-on-penetration",
        "negative-award",
        "three-decimals",
        "negative-cap",
        "not-a-number",
    ],
)
def test_the_form_refuses_what_cannot_pay_and_names_the_field(client, typed, field):
    client.force_login(person(Role.LP_MANAGER))
    response = client.post(reverse("bonus:scheme_new"), _form(**typed))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Scheme.objects.exists() and not SchemeEvent.objects.exists()


def test_a_deduction_above_the_cap_is_allowed_and_the_page_says_the_cap_applies(client):
    client.force_login(person(Role.LP_MANAGER))
    page = client.get(reverse("bonus:scheme_new"))
    assert 'data-testid="cap-note"' in page.content.decode()
    response = client.post(reverse("bonus:scheme_new"), _form(deduction="15000"))
    assert response.status_code == 302
    assert Scheme.objects.get().deduction == D("15000.00")


# --- who sees and changes what --------------------------------------------------------


def _three_schemes():
    hq = person(Role.LP_MANAGER)
    a, b = RegionFactory(code="RA"), RegionFactory(code="RB")
    return (
        hq,
        a,
        b,
        {
            "a": scheme(hq, [a], name="A"),
            "b": scheme(hq, [b], name="B"),
            "network": scheme(hq, [], name="Сеть"),
        },
    )


def test_a_regional_manager_sees_the_schemes_covering_their_region_and_changes_none(client):
    _hq, a, _b, schemes = _three_schemes()
    client.force_login(person(Role.REGIONAL_MANAGER, region=a))
    listed = client.get(reverse("bonus:schemes"))
    assert _visible_pks(listed) == {schemes["a"].pk, schemes["network"].pk}
    assert 'data-testid="scheme-new"' not in listed.content.decode()
    assert client.get(reverse("bonus:scheme", args=[schemes["a"].pk])).status_code == 200
    assert client.get(reverse("bonus:scheme", args=[schemes["b"].pk])).status_code == 404
    assert client.get(reverse("bonus:scheme_new")).status_code == 403
    assert client.post(reverse("bonus:scheme_new"), _form()).status_code == 403
    own = schemes["a"].pk
    assert client.get(reverse("bonus:scheme_edit", args=[own])).status_code == 403
    assert client.post(reverse("bonus:scheme_edit", args=[own]), _form()).status_code == 403
    assert client.post(reverse("bonus:scheme_archive", args=[own])).status_code == 403
    assert client.post(reverse("bonus:scheme_close", args=[own])).status_code == 403
    assert Scheme.objects.count() == 3
    assert Scheme.objects.get(pk=own).status == SchemeStatus.ACTIVE


@pytest.mark.parametrize(
    "role",
    [Role.STORE_STAFF, Role.STORE_MANAGER, Role.CALL_CENTER_AGENT, Role.AUDITOR],
)
def test_store_people_the_hotline_and_auditors_are_refused(client, role):
    _hq, a, _b, schemes = _three_schemes()
    store = chain([50], code="RZ").stores[0]
    client.force_login(person(role, store=store, region=a))
    assert client.get(reverse("bonus:schemes")).status_code == 403
    assert client.get(reverse("bonus:scheme_new")).status_code == 403
    assert client.get(reverse("bonus:scheme", args=[schemes["a"].pk])).status_code == 404
    assert client.get(reverse("bonus:scheme_simulate", args=[schemes["a"].pk])).status_code == 404


def test_hq_archives_a_scheme_once(client):
    hq, _a, _b, schemes = _three_schemes()
    client.force_login(hq)
    url = reverse("bonus:scheme_archive", args=[schemes["a"].pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    archived = Scheme.objects.get(pk=schemes["a"].pk)
    assert archived.status == SchemeStatus.ARCHIVED
    assert archived.events.filter(kind=SchemeEventKind.ARCHIVED).count() == 1
    page = client.get(reverse("bonus:scheme", args=[archived.pk]))
    assert page.context["status_event"].kind == SchemeEventKind.ARCHIVED
    assert not page.context["may_manage"] and not page.context["may_close"]


# --- the simulation -------------------------------------------------------------------


def _written() -> list[int]:
    return [
        Statement.objects.count(),
        StoreResult.objects.count(),
        Line.objects.count(),
        StatementEvent.objects.count(),
        SchemeEvent.objects.count(),
        Notification.objects.count(),
    ]


def test_the_simulation_shows_every_store_and_line_and_writes_nothing(client, november):
    # Given eight stores, four people each, and a zero-sum scheme on their region
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region])
    client.force_login(c.hq)
    before = _written()
    # When HQ simulates October
    response = client.get(reverse("bonus:scheme_simulate", args=[s.pk]), {"period": "2026-10"})
    # Then the ranking and every person's amount is there, balanced to 0.00 exactly
    assert response.status_code == 200
    (item,) = response.context["simulated"]
    statement = item["statement"]
    assert (statement.awarded, statement.deducted, statement.balance) == (
        D("36000.00"),
        D("36000.00"),
        D("0.00"),
    )
    assert [st.store.code for st in statement.stores] == [st.code for st in c.stores]
    assert [st.result.rank for st in statement.stores] == list(range(1, 9))
    lines = [line for st in statement.stores for line in st.lines]
    assert len(lines) == 24 and all(line.explanation for line in lines)
    body = response.content.decode()
    assert 'data-testid="balance">0,00' in body
    assert body.count('data-testid="simulated-line"') == 24
    # And nothing was written: no statement, result, line, event nor notification
    assert _written() == before


def test_a_store_not_eligible_is_listed_last_with_its_reason_and_paid_nothing(client, november):
    c = chain([*PENETRATIONS, 90])
    quiet = c.stores[-1]
    quiet.days.update(receipts=5, identified=4)
    s = scheme(c.hq, [c.region])
    client.force_login(c.hq)
    response = client.get(reverse("bonus:scheme_simulate", args=[s.pk]), {"period": "2026-10"})
    statement = response.context["simulated"][0]["statement"]
    last = statement.stores[-1]
    assert (last.store, last.result.ineligible, last.result.rank) == (quiet, "too_few", None)
    assert last.lines == [] and statement.balance == D("0.00")
    body = response.content.decode()
    assert body.count('data-outcome="ineligible"') == 1


def test_without_a_period_the_latest_ended_one_is_simulated(client, november):
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region])
    client.force_login(c.hq)
    response = client.get(reverse("bonus:scheme_simulate", args=[s.pk]))
    assert response.context["period"] == OCTOBER
    assert response.context["options"][0] == OCTOBER
    assert len(response.context["options"]) == 24


@pytest.mark.parametrize("asked", ["2026-11", "2024-10", "2026-W40", "октябрь", "2026-13"])
def test_a_period_not_ended_too_old_or_not_the_schemes_kind_is_named(client, november, asked):
    c = chain([50, 40], staff_per_store=1)
    s = scheme(c.hq, [c.region])
    client.force_login(c.hq)
    response = client.get(reverse("bonus:scheme_simulate", args=[s.pk]), {"period": asked})
    assert response.status_code == 200
    assert "period" in response.context["form"].errors
    assert response.context["simulated"] == []
    assert 'data-testid="period-errors"' in response.content.decode()


def test_a_weekly_scheme_is_simulated_by_iso_weeks(client, november):
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region], period="week")
    client.force_login(c.hq)
    response = client.get(reverse("bonus:scheme_simulate", args=[s.pk]), {"period": "2026-W42"})
    assert response.status_code == 200
    assert response.context["period"].start == dt.date(2026, 10, 12)
    assert response.context["simulated"][0]["statement"].balance == D("0.00")


def test_a_threshold_simulation_shows_plans_and_outcomes(client, november):
    c = chain([70, 65, 60, 50, 40], staff_per_store=1)
    plan(c.region, OCTOBER, 60)
    s = scheme(
        c.hq,
        [c.region],
        mode=Mode.THRESHOLD,
        payees="managers",
        award=D(5000),
        deduction=D(3000),
        budget_cap=D(12000),
    )
    client.force_login(c.hq)
    response = client.get(reverse("bonus:scheme_simulate", args=[s.pk]), {"period": "2026-10"})
    statement = response.context["simulated"][0]["statement"]
    assert [st.result.outcome for st in statement.stores] == ["plan_met"] * 3 + ["plan_missed"] * 2
    assert (statement.awarded, statement.deducted) == (D("12000.00"), D("6000.00"))


def test_a_regional_manager_simulates_their_region_only(client, november):
    # Given a network-wide scheme ranking each region separately over two regions
    c = chain(PENETRATIONS)
    other = chain(PENETRATIONS, code="RY")
    s = scheme(c.hq, [])
    client.force_login(c.regional)
    response = client.get(reverse("bonus:scheme_simulate", args=[s.pk]), {"period": "2026-10"})
    (item,) = response.context["simulated"]
    assert item["statement"].region == c.region
    assert other.region.name not in response.content.decode()


# --- HQ's close of a period -----------------------------------------------------------


def test_the_close_button_makes_the_statements_with_hq_as_their_preparer(client, november):
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region])
    client.force_login(c.hq)
    response = client.post(reverse("bonus:scheme_close", args=[s.pk]), {"period": "2026-10"})
    assert response.status_code == 302
    statement = Statement.objects.get(scheme=s)
    assert (statement.prepared_by, statement.status) == (c.hq, StatementStatus.REVIEW)
    assert (statement.starts_on, statement.awarded) == (OCTOBER.start, D("36000.00"))
    with pytest.raises(StatementRefused):
        statement_approve(actor=c.hq, statement=statement)
    page = client.get(reverse("bonus:scheme", args=[s.pk]))
    assert [st.pk for st in page.context["statements"]] == [statement.pk]
    # Closing it again changes nothing
    client.post(reverse("bonus:scheme_close", args=[s.pk]), {"period": "2026-10"})
    assert Statement.objects.get(scheme=s).pk == statement.pk


@pytest.mark.parametrize("asked", ["2026-11", "2025-12", "nope"])
def test_a_period_not_ended_or_before_the_scheme_is_not_closed(client, november, asked):
    c = chain(PENETRATIONS)
    s = scheme(c.hq, [c.region], starts_on=dt.date(2026, 3, 1))
    client.force_login(c.hq)
    response = client.post(
        reverse("bonus:scheme_close", args=[s.pk]), {"period": asked}, follow=True
    )
    assert response.status_code == 200
    assert not Statement.objects.exists()
    assert any(m.level_tag == "error" for m in response.context["messages"])


# --- queries ---------------------------------------------------------------------------


def _queries(client, url: str, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_more_schemes(client):
    hq = person(Role.LP_MANAGER)
    regions = [RegionFactory(code=f"R{i}") for i in range(4)]
    scheme(hq, regions[:1])
    client.force_login(hq)
    few = _queries(client, reverse("bonus:schemes"))
    for i in range(6):
        scheme(hq, regions[: i % 4 + 1], name=f"Схема {i}")
    assert _queries(client, reverse("bonus:schemes")) == few


def test_the_simulation_costs_the_same_queries_for_more_stores_and_people(client, november):
    small = chain(PENETRATIONS, staff_per_store=2, code="RS")
    large = chain(PENETRATIONS * 3, staff_per_store=5, code="RL")
    client.force_login(small.hq)
    few = _queries(
        client,
        reverse("bonus:scheme_simulate", args=[scheme(small.hq, [small.region]).pk]),
        period="2026-10",
    )
    many = _queries(
        client,
        reverse("bonus:scheme_simulate", args=[scheme(small.hq, [large.region]).pk]),
        period="2026-10",
    )
    assert many == few
