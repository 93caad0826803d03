"""`event_record`: the one way a service records who did what, and the abstract model
every event table is built on."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps

from portal.events.changes import field_changes, jsonable
from portal.events.models import Event
from portal.events.services import UnknownEventKind, event_record, events_record

OUR_APPS = {"org", "events", "sop", "home", "training", "kpi", "audits", "incidents"}


def test_every_event_table_of_our_apps_is_an_event():
    tables = [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model.__name__.endswith("Event")
    ]

    assert {m.__name__ for m in tables} >= {"OrgEvent", "AttemptEvent", "PosTokenEvent"}
    assert [m.__name__ for m in tables if not issubclass(m, Event)] == []


@pytest.mark.django_db
def test_an_event_keeps_kind_actor_time_references_and_json_details(world):
    from portal.org.choices import OrgEventKind
    from portal.org.models import OrgEvent

    lp = world.people["lp_manager"]

    event = event_record(
        OrgEvent,
        kind=OrgEventKind.STORE_UPDATED,
        actor=lp,
        store=world.store_a1,
        payload={"opened_on": [datetime.date(2020, 1, 15), None], "target": Decimal("62.50")},
    )

    stored = OrgEvent.objects.get(pk=event.pk)
    assert (stored.kind, stored.actor, stored.store) == ("store_updated", lp, world.store_a1)
    assert stored.payload == {"opened_on": ["2020-01-15", None], "target": "62.50"}
    assert stored.at is not None


@pytest.mark.django_db
def test_a_kind_the_table_does_not_declare_is_refused(world):
    from portal.org.models import OrgEvent

    with pytest.raises(UnknownEventKind):
        event_record(OrgEvent, kind="store_renamed", actor=None, store=world.store_a1)

    assert not OrgEvent.objects.filter(kind="store_renamed").exists()


@pytest.mark.django_db
def test_several_events_of_one_kind_are_one_insert(world, django_assert_num_queries):
    from portal.org.choices import OrgEventKind
    from portal.org.models import OrgEvent

    with django_assert_num_queries(1):
        events = events_record(
            OrgEvent,
            kind=OrgEventKind.STORE_UPDATED,
            actor=None,
            store=world.store_a1,
            payloads=[{"name": ["A", "B"]}, {"name": ["B", "C"]}],
        )

    assert [e.payload for e in events] == [{"name": ["A", "B"]}, {"name": ["B", "C"]}]
    assert OrgEvent.objects.filter(store=world.store_a1, actor=None).count() == 2


def test_field_changes_lists_only_what_differs_as_json():
    before = {"target": Decimal("65.0"), "starts_on": datetime.date(2026, 1, 1), "kpi": "rate"}
    after = {"target": Decimal("70.0"), "starts_on": datetime.date(2026, 1, 1), "note": "x"}

    assert field_changes(before, after) == {
        "target": ["65.0", "70.0"],
        "kpi": ["rate", None],
        "note": [None, "x"],
    }


def test_jsonable_turns_python_values_into_json_values():
    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)

    assert jsonable({"at": moment, "sum": Decimal("1.10"), "ids": (1, 2)}) == {
        "at": "2026-03-01T09:30:00+00:00",
        "sum": "1.10",
        "ids": [1, 2],
    }
