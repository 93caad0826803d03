"""The hotline's scope: the store directory of the whole network, nothing else of a store."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.org import selectors
from portal.org.choices import Role
from portal.org.scoping import ScopeLevel, scope_for

HOTLINE = [Role.CALL_CENTER_AGENT, Role.CALL_CENTER_SUPERVISOR]


@pytest.mark.django_db
@pytest.mark.parametrize("role", HOTLINE)
def test_hotline_scope_is_the_directory_not_the_network(world, role):
    operator = world.people[role]

    scope = scope_for(operator)

    assert scope.level is ScopeLevel.DIRECTORY
    assert set(selectors.store_directory(user=operator).values_list("code", flat=True)) == {
        "A1",
        "A2",
        "B1",
    }
    assert not selectors.stores_visible_to(user=operator).exists()
    assert not selectors.regions_visible_to(user=operator).exists()
    assert list(selectors.people_visible_to(user=operator)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", HOTLINE)
def test_hotline_store_page_shows_the_directory_entry_only(client, world, role):
    client.force_login(world.people[role])
    store = world.store_b1

    response = client.get(reverse("org:store_detail", kwargs={"code": store.code}))

    body = response.content.decode()
    assert response.status_code == 200
    assert store.name in body and store.address in body and store.region.name in body
    assert 'data-testid="store-staff-count"' not in body
    assert reverse("org:store_people", kwargs={"code": store.code}) not in body


@pytest.mark.django_db
@pytest.mark.parametrize("role", HOTLINE)
def test_hotline_store_list_and_export_carry_no_head_count(client, world, role):
    client.force_login(world.people[role])

    page = client.get(reverse("org:store_list")).content.decode()
    export = client.get(reverse("org:store_list_csv")).content.decode("utf-8-sig")

    header = export.splitlines()[0].split(";")
    assert 'data-testid="store-staff-count"' not in page
    assert header == ["Код", "Магазин", "Регион", "Город", "Адрес", "Активен"]
    assert world.store_b1.address in export


@pytest.mark.django_db
def test_managers_still_see_head_counts_in_the_store_list(client, world):
    client.force_login(world.people[Role.LP_MANAGER])

    page = client.get(reverse("org:store_list")).content.decode()
    export = client.get(reverse("org:store_list_csv")).content.decode("utf-8-sig")

    assert 'data-testid="store-staff-count"' in page
    assert export.splitlines()[0].split(";")[-1] == "Сотрудники"


@pytest.mark.django_db
@pytest.mark.parametrize("role", HOTLINE)
def test_hotline_dashboard_shows_the_directory_not_the_network_head_count(client, world, role):
    client.force_login(world.people[role])

    response = client.get(reverse("home:dashboard"))

    body = response.content.decode()
    assert 'data-testid="panel-directory"' in body
    assert 'data-testid="panel-network"' not in body
    assert "network_staff_count" not in response.context
    by_code = {r.code: r for r in response.context["directory_regions"]}
    assert by_code["RA"].store_count == 2 and by_code["RB"].store_count == 1
