"""Fixtures shared by every test package: a small chain with one person per role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from portal.org.choices import Role
from portal.org.models import Region, Store, User


@pytest.fixture
def client():
    """The test client; `force_login` passes the second factor where the role needs one
    (`client.force_login(user, second_factor=False)` stops between password and code)."""
    from portal.org.second_factor.testing import SecondFactorClient

    return SecondFactorClient()


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


@dataclass
class World:
    """Region A (stores A1, A2) and region B (store B1); everyone is homed in A / A1."""

    region_a: Region
    region_b: Region
    store_a1: Store
    store_a2: Store
    store_b1: Store
    people: dict[str, User]
    colleague_a1: User
    staff_a2: User
    staff_b1: User
    manager_b: User


@pytest.fixture
def world(db) -> World:
    return world_build()


def world_build() -> World:
    """The small chain of `world`, for fixtures of a wider scope that build it once."""
    from portal.org.services import person_access_sync
    from portal.org.tests.factories import RegionFactory, StoreFactory, person

    region_a = RegionFactory(code="RA", name="Регион А")
    region_b = RegionFactory(code="RB", name="Регион Б")
    store_a1 = StoreFactory(code="A1", region=region_a)
    store_a2 = StoreFactory(code="A2", region=region_a)
    store_b1 = StoreFactory(code="B1", region=region_b)
    people = {}
    for role in Role.values:
        people[role] = person(role, store=store_a1, region=region_a)
        person_access_sync(person=people[role])
    return World(
        region_a=region_a,
        region_b=region_b,
        store_a1=store_a1,
        store_a2=store_a2,
        store_b1=store_b1,
        people=people,
        colleague_a1=person(Role.STORE_STAFF, store=store_a1),
        staff_a2=person(Role.STORE_STAFF, store=store_a2),
        staff_b1=person(Role.STORE_STAFF, store=store_b1),
        manager_b=person(Role.REGIONAL_MANAGER, region=region_b),
    )
