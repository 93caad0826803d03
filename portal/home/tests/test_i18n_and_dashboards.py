"""Russian first, English on request; every role lands on its own dashboard."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.org.choices import Role


@pytest.mark.django_db
def test_portal_speaks_russian_by_default_and_english_on_request(client):
    russian = client.get(reverse("login")).content.decode()

    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    english = client.get(reverse("login")).content.decode()

    assert '<html lang="ru">' in russian
    assert "Вход на портал ПЛ" in russian
    assert "E-mail или табельный номер" in russian
    assert '<html lang="en">' in english
    assert "Log in to the LP portal" in english


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_each_role_lands_on_its_dashboard(client, world, role):
    client.force_login(world.people[role])

    response = client.get(reverse("home:dashboard"))

    assert response.status_code == 200
    assert response.templates[0].name == f"home/dashboard/{role}.html"
    assert f'data-role="{role}"' in response.content.decode()


@pytest.mark.django_db
def test_regional_dashboard_counts_the_regions_stores_and_staff(client, world):
    client.force_login(world.people[Role.REGIONAL_MANAGER])

    stores = client.get(reverse("home:dashboard")).context["region_stores"]

    assert [s.code for s in stores] == ["A1", "A2"]
    a1 = next(s for s in stores if s.code == "A1")
    assert a1.staff_count == world.store_a1.people.filter(is_active=True).count()


@pytest.mark.django_db
def test_network_dashboard_totals_agree_with_the_regions(client, world):
    client.force_login(world.people[Role.LP_MANAGER])

    context = client.get(reverse("home:dashboard")).context

    assert context["network_store_count"] == 3
    by_code = {r.code: r for r in context["network_regions"]}
    assert (
        by_code["RA"].staff_count == world.store_a1.people.count() + world.store_a2.people.count()
    )
    assert by_code["RB"].staff_count == world.store_b1.people.count()


@pytest.mark.django_db
def test_navigation_follows_the_role(client, world):
    def urls(items):
        return [c.url for i in items for c in (i.children or (i,))]

    client.force_login(world.people[Role.STORE_STAFF])
    staff_nav = urls(client.get("/").context["nav_items"])
    client.force_login(world.people[Role.ADMIN])
    admin_nav = urls(client.get("/").context["nav_items"])

    assert reverse("org:store_list") not in staff_nav
    assert reverse("org:import") not in staff_nav
    assert {reverse("org:store_list"), reverse("org:import"), reverse("admin:index")} <= set(
        admin_nav
    )
    assert {reverse("sop:library"), reverse("training:home")} <= set(staff_nav)
    assert reverse("training:bank") in admin_nav and reverse("training:bank") not in staff_nav
