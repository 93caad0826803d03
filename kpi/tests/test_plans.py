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
