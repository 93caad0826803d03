"""KPI plans edited in the CMS are event rows too (`portal.events.cms`), with every
changed field's value before and after."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpi.models import Plan
from portal.events.testing import snippet_events as _events
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def lp(client, world):
    manager = world.people[Role.LP_MANAGER]
    client.force_login(manager)
    return manager


def _plan(**overrides):
    values = {
        "kpi": "penetration",
        "starts_on": date(2026, 12, 1),
        "ends_on": date(2026, 12, 31),
        "target": Decimal("65"),
    }
    return Plan.objects.create(**(values | overrides))


def test_a_plan_edited_in_the_cms_records_each_changed_field_before_and_after(client, lp):
    plan = _plan()
    stored_target = str(Plan.objects.get(pk=plan.pk).target)

    response = client.post(
        reverse("wagtailsnippets_kpi_plan:edit", args=[plan.pk]),
        {
            "kpi": "penetration",
            "region": "",
            "store": "",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-15",
            "target": "70",
        },
    )

    assert response.status_code == 302
    [event] = _events(Plan, plan.pk)
    assert (event.kind, event.actor) == ("edited", lp)
    assert event.payload["changes"] == {
        "ends_on": ["2026-12-31", "2026-12-15"],
        "target": [stored_target, str(Plan.objects.get(pk=plan.pk).target)],
    }


def test_plans_deleted_in_bulk_each_leave_their_values(client, lp):
    first, second = _plan(), _plan(target=Decimal("80"))

    response = client.post(
        f"/cms/bulk/kpi/plan/delete/?id={first.pk}&id={second.pk}",
        {"id": [first.pk, second.pk]},
    )

    assert response.status_code == 302 and not Plan.objects.exists()
    targets = [
        Decimal(event.payload["values"]["target"])
        for pk in (first.pk, second.pk)
        for event in _events(Plan, pk)
    ]
    assert targets == [Decimal("65"), Decimal("80")]


def test_a_refused_edit_records_nothing(client, lp):
    plan = _plan()

    page = client.post(
        reverse("wagtailsnippets_kpi_plan:edit", args=[plan.pk]),
        {"kpi": "penetration", "starts_on": "2026-12-31", "ends_on": "2026-12-01", "target": "1"},
    )

    assert page.status_code == 200
    assert _events(Plan, plan.pk) == []
