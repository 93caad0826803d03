"""The audience rule in Python (rows in memory) and in SQL (lists) gives the same answer."""

from __future__ import annotations

import itertools

import pytest

from portal.org.choices import Role
from portal.sop import selectors
from portal.sop.audience import Audience, Placement
from portal.sop.models import ReadablePage
from portal.sop.tests.factories import publish_sop

pytestmark = pytest.mark.django_db


def test_audience_by_role_region_and_store():
    audience = Audience(frozenset({"store_staff"}), frozenset({1}), frozenset({7}))

    assert audience.includes(role="store_staff", store_id=3, region_id=1)  # in region 1
    assert audience.includes(role="store_staff", store_id=7, region_id=2)  # store 7 itself
    assert not audience.includes(role="store_staff", store_id=3, region_id=2)
    assert not audience.includes(role="store_manager", store_id=7, region_id=1)
    assert Audience(frozenset({"auditor"})).includes(role="auditor", store_id=None, region_id=None)


def test_python_and_sql_agree_for_every_person_and_page(world):
    shapes = [
        {"roles": [Role.STORE_STAFF]},
        {"roles": [Role.STORE_STAFF, Role.STORE_MANAGER], "regions": [world.region_a]},
        {"roles": [Role.STORE_STAFF], "stores": [world.store_b1]},
        {"roles": [Role.STORE_MANAGER], "regions": [world.region_b], "stores": [world.store_a2]},
        {"roles": [Role.CALL_CENTER_AGENT, Role.CALL_CENTER_SUPERVISOR]},
        {"roles": [Role.REGIONAL_MANAGER], "regions": [world.region_a]},
        {"roles": list(Role.values)},
    ]
    pages = [publish_sop(title=f"Страница {n}", **shape) for n, shape in enumerate(shapes)]
    people = [*world.people.values(), world.colleague_a1, world.staff_a2, world.staff_b1]
    people.append(world.manager_b)

    for person, page in itertools.product(people, pages):
        placement = Placement.of(person)
        in_python = selectors.page_audience(page).includes(
            role=placement.role, store_id=placement.store_id, region_id=placement.region_id
        )
        in_sql = selectors.pages_for(user=person).filter(pk=page.pk).exists()
        assert in_python == in_sql, f"{person.role}@{person.store_id} vs {page.title}"


def test_content_owners_read_everything_others_only_their_audience(world):
    page = publish_sop(roles=[Role.STORE_STAFF], stores=[world.store_b1])

    readable = {
        role: selectors.pages_readable_by(user=person).filter(pk=page.pk).exists()
        for role, person in world.people.items()
    }

    assert readable == {role: role in (Role.LP_MANAGER, Role.ADMIN) for role in world.people}
    assert selectors.pages_readable_by(user=world.staff_b1).filter(pk=page.pk).exists()
    assert ReadablePage.objects.filter(pk=page.pk).exists()


def test_the_most_specific_responsible_answers(world):
    from portal.sop.choices import Aspect
    from portal.sop.services import responsibility_set

    hq, regional, local = world.people["lp_manager"], world.manager_b, world.people["store_manager"]
    responsibility_set(actor=hq, aspect=Aspect.TRAINING_CONTROL, person=hq)
    responsibility_set(
        actor=hq, aspect=Aspect.TRAINING_CONTROL, person=regional, region=world.region_b
    )
    responsibility_set(actor=hq, aspect=Aspect.CUSTOMER_WORK, person=local, store=world.store_a1)

    def owner(aspect, **where):
        rows = {o.aspect: o.responsibility for o in selectors.responsibles_for(**where)}
        return rows[aspect].person if rows[aspect] else None

    assert owner(Aspect.TRAINING_CONTROL) == hq  # HQ people see the network's
    assert owner(Aspect.TRAINING_CONTROL, store=world.store_b1) == regional
    assert owner(Aspect.TRAINING_CONTROL, store=world.store_a1) == hq
    assert owner(Aspect.CUSTOMER_WORK, store=world.store_a1) == local
    assert owner(Aspect.CUSTOMER_WORK, store=world.store_a2) is None
