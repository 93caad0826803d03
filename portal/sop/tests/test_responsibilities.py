"""Responsibilities: who answers for an aspect, and the event that says who decided it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from portal.org.choices import OrgEventKind
from portal.org.models import OrgEvent
from portal.sop.choices import Aspect
from portal.sop.services import responsibility_set

pytestmark = pytest.mark.django_db


def _events():
    return OrgEvent.objects.filter(kind=OrgEventKind.RESPONSIBILITY_SET).order_by("pk")


def test_naming_a_responsible_records_who_decided_it(world):
    lp, manager = world.people["lp_manager"], world.people["store_manager"]

    row = responsibility_set(
        actor=lp, aspect=Aspect.CUSTOMER_WORK, person=manager, store=world.store_a1, note="смена"
    )

    event = _events().get()
    assert (row.person, row.store) == (manager, world.store_a1)
    assert (event.actor, event.person, event.store, event.region) == (
        lp,
        manager,
        world.store_a1,
        None,
    )
    assert event.payload == {
        "aspect": "customer_work",
        "person": [None, manager.pk],
        "note": [None, "смена"],
    }


def test_a_new_responsible_is_recorded_with_the_one_before(world):
    lp, hq, regional = world.people["lp_manager"], world.people["admin"], world.manager_b
    responsibility_set(actor=None, aspect=Aspect.TRAINING_CONTROL, person=hq, region=world.region_b)

    responsibility_set(
        actor=lp, aspect=Aspect.TRAINING_CONTROL, person=regional, region=world.region_b
    )

    first, second = _events()
    assert first.actor is None  # the system (seed_demo)
    assert (second.actor, second.region) == (lp, world.region_b)
    assert second.payload == {"aspect": "training_control", "person": [hq.pk, regional.pk]}


def test_setting_what_is_already_set_records_nothing(world):
    lp = world.people["lp_manager"]
    responsibility_set(actor=lp, aspect=Aspect.OVERALL, person=lp)

    again = responsibility_set(actor=lp, aspect=Aspect.OVERALL, person=lp)

    assert again.person == lp
    assert _events().count() == 1


def test_a_refused_responsibility_records_nothing(world):
    lp = world.people["lp_manager"]

    with pytest.raises(ValidationError):
        responsibility_set(
            actor=lp,
            aspect=Aspect.OVERALL,
            person=lp,
            region=world.region_a,
            store=world.store_a1,
        )

    assert not _events().exists()
