"""Pages that send each person to the level they follow decide by the scope (network,
region, store) and the rules, not by role names: where each role lands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.org.choices import Role

FORBIDDEN = (403, None)
SHOWN = (200, None)


def store(name: str, code: str = "A1") -> tuple[int, str]:
    return 302, reverse(name, kwargs={"code": code})


def to(name: str) -> tuple[int, str]:
    return 302, reverse(name)


LANDINGS = {
    "sop:compliance": {
        Role.STORE_STAFF: FORBIDDEN,
        Role.STORE_MANAGER: store("sop:compliance_store"),
        Role.AUDITOR: FORBIDDEN,
        Role.REGIONAL_MANAGER: (302, reverse("sop:compliance_region", kwargs={"code": "RA"})),
        Role.CALL_CENTER_AGENT: FORBIDDEN,
        Role.CALL_CENTER_SUPERVISOR: FORBIDDEN,
        Role.LP_MANAGER: SHOWN,
        Role.ADMIN: SHOWN,
    },
    "training:coverage": {
        Role.STORE_STAFF: FORBIDDEN,
        Role.STORE_MANAGER: (302, reverse("training:store_report", args=["A1"])),
        Role.AUDITOR: FORBIDDEN,
        Role.REGIONAL_MANAGER: SHOWN,
        Role.CALL_CENTER_AGENT: FORBIDDEN,
        Role.CALL_CENTER_SUPERVISOR: FORBIDDEN,
        Role.LP_MANAGER: SHOWN,
        Role.ADMIN: SHOWN,
    },
    "kpi:my_store": {
        Role.STORE_STAFF: store("kpi:store"),
        Role.STORE_MANAGER: store("kpi:store"),
        Role.AUDITOR: to("kpi:leaderboard"),
        Role.REGIONAL_MANAGER: to("kpi:leaderboard"),
        Role.CALL_CENTER_AGENT: to("kpi:leaderboard"),
        Role.CALL_CENTER_SUPERVISOR: to("kpi:leaderboard"),
        Role.LP_MANAGER: to("kpi:leaderboard"),
        Role.ADMIN: to("kpi:leaderboard"),
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", LANDINGS)
@pytest.mark.parametrize("role", Role.values)
def test_each_role_lands_on_the_level_its_scope_follows(client, world, name, role):
    client.force_login(world.people[role])

    response = client.get(reverse(name))

    status, location = LANDINGS[name][role]
    assert response.status_code == status
    if location:
        assert response["Location"] == location


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.STORE_STAFF, Role.STORE_MANAGER])
def test_a_store_person_asking_for_the_leaderboard_is_sent_to_their_store(client, world, role):
    client.force_login(world.people[role])

    response = client.get(reverse("kpi:leaderboard"))

    assert (response.status_code, response["Location"]) == to("kpi:my_store")
