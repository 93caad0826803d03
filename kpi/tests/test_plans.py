"""LP managers set plans in the CMS; every change is logged; bad plans are refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import ModelLogEntry

from kpi.models import Plan
from portal.org.choices import Role
from portal.org.services import person_access_sync
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def lp(client):
    manager = person(Role.LP_MANAGER)
    person_access_sync(person=manager)
    client.force_login(manager)
    return manager


def test_an_lp_manager_sets_a_region_plan_in_the_cms(client, lp):
    north = RegionFactory(code="N")

    listing = client.get("/cms/snippets/kpi/plan/")
    created = client.post(
        "/cms/snippets/kpi/plan/add/",
        {
            "kpi": "penetration",
            "region": north.pk,
            "store": "",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "target": "65",
        },
    )

    assert listing.status_code == 200 and created.status_code == 302
    plan = Plan.objects.get()
    assert (plan.region, plan.store, plan.target) == (north, None, Decimal("65"))
    assert ModelLogEntry.objects.filter(object_id=str(plan.pk), action="wagtail.create").exists()


def test_a_plan_for_a_store_and_a_region_at_once_is_refused(client, lp):
    store = StoreFactory(code="S1")

    page = client.post(
        "/cms/snippets/kpi/plan/add/",
        {
            "kpi": "penetration",
            "region": store.region_id,
            "store": store.pk,
            "starts_on": "2026-12-31",
            "ends_on": "2026-12-01",
            "target": "65",
        },
    )

    assert page.status_code == 200 and not Plan.objects.exists()
    with pytest.raises(ValidationError):
        Plan(
            kpi="penetration",
            region=store.region,
            store=store,
            starts_on=date(2026, 12, 1),
            ends_on=date(2026, 12, 31),
            target=Decimal(1),
        ).full_clean()


def test_other_roles_cannot_edit_plans(client):
    manager = person(Role.REGIONAL_MANAGER)
    person_access_sync(person=manager)
    client.force_login(manager)

    assert client.get("/cms/snippets/kpi/plan/add/").status_code in (302, 403)


def _plan(**overrides) -> Plan:
    values = {
        "kpi": "penetration",
        "starts_on": date(2026, 12, 1),
        "ends_on": date(2026, 12, 31),
        "target": Decimal("65"),
    }
    return Plan.objects.create(**(values | overrides))


def test_a_plan_edit_keeps_the_old_and_new_values_in_its_log_entry(client, lp):
    plan = _plan(region=RegionFactory(code="N"))

    response = client.post(
        f"/cms/snippets/kpi/plan/edit/{plan.pk}/",
        {
            "kpi": "penetration",
            "region": plan.region_id,
            "store": "",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-15",
            "target": "70",
        },
    )

    assert response.status_code == 302
    entry = ModelLogEntry.objects.get(object_id=str(plan.pk), action="wagtail.edit")
    assert entry.user_id == lp.pk
    assert entry.data["changes"] == {
        "ends_on": {"old": "2026-12-31", "new": "2026-12-15"},
        "target": {"old": "65", "new": "70"},
    }
    assert entry.data["values"]["region"] == "N"


def test_a_new_plan_logs_the_values_it_was_created_with(client, lp):
    client.post(
        "/cms/snippets/kpi/plan/add/",
        {
            "kpi": "average_receipt",
            "region": "",
            "store": "",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-31",
            "target": "1500",
        },
    )

    plan = Plan.objects.get()
    entry = ModelLogEntry.objects.get(object_id=str(plan.pk), action="wagtail.create")
    assert entry.data["values"] == {
        "kpi": "average_receipt",
        "store": None,
        "region": None,
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-31",
        "target": "1500",
    }


def test_a_deleted_plan_leaves_its_values_in_the_log(client, lp):
    plan = _plan()
    pk = plan.pk

    response = client.post(f"/cms/snippets/kpi/plan/delete/{pk}/")

    assert response.status_code == 302 and not Plan.objects.exists()
    entry = ModelLogEntry.objects.get(object_id=str(pk), action="wagtail.delete")
    assert entry.data["values"]["target"] == "65"


def test_plans_deleted_in_bulk_each_leave_a_log_entry_with_their_values(client, lp):
    first, second = _plan(), _plan(target=Decimal("80"))

    response = client.post(
        f"/cms/bulk/kpi/plan/delete/?id={first.pk}&id={second.pk}",
        {"id": [first.pk, second.pk]},
    )

    assert response.status_code == 302 and not Plan.objects.exists()
    entries = sorted(
        ModelLogEntry.objects.filter(action="wagtail.delete"), key=lambda e: int(e.object_id)
    )
    assert [(e.object_id, e.data["values"]["target"]) for e in entries] == [
        (str(first.pk), "65"),
        (str(second.pk), "80"),
    ]
