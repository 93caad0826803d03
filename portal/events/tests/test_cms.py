"""Snippets edited in the CMS record before/after values through `event_record`: tested
through Wagtail's own admin views, as an LP manager uses them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.actions import action_registry
from wagtail.snippets.models import get_snippet_models

from portal.events.cms import RECORDED_ACTIONS
from portal.events.testing import snippet_events as _events
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def lp(client, world):
    manager = world.people[Role.LP_MANAGER]
    client.force_login(manager)
    return manager


def test_every_snippet_model_saves_through_a_recorded_action():
    for model in get_snippet_models():
        for recorded in RECORDED_ACTIONS:
            action = action_registry.get_action_class(model, recorded.action_name)
            assert issubclass(action, recorded), (model, action)


def test_a_responsibility_created_in_the_cms_records_its_values(client, lp, world):
    from portal.sop.models import Responsibility

    response = client.post(
        reverse("wagtailsnippets_sop_responsibility:add"),
        {
            "aspect": "customer_work",
            "region": "",
            "store": world.store_a1.pk,
            "person": world.people[Role.STORE_MANAGER].pk,
            "note": "утренняя смена",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    row = Responsibility.objects.get()
    [event] = _events(Responsibility, row.pk)
    assert (event.kind, event.actor, event.object_repr) == ("created", lp, str(row))
    assert event.payload == {
        "values": {
            "aspect": "customer_work",
            "region": None,
            "store": world.store_a1.pk,
            "person": world.people[Role.STORE_MANAGER].pk,
            "note": "утренняя смена",
        }
    }


def _responsibility(world, **overrides):
    from portal.sop.models import Responsibility

    values = {"aspect": "overall", "person": world.people[Role.LP_MANAGER], "note": "сеть"}
    return Responsibility.objects.create(**(values | overrides))


def _form(world, row, **changes) -> dict:
    data = {
        "aspect": row.aspect,
        "region": row.region_id or "",
        "store": row.store_id or "",
        "person": row.person_id,
        "note": row.note,
    }
    return data | changes


def test_a_responsibility_edited_in_the_cms_records_the_person_before_and_after(client, lp, world):
    from portal.sop.models import Responsibility

    row = _responsibility(world)
    admin = world.people[Role.ADMIN]

    response = client.post(
        reverse("wagtailsnippets_sop_responsibility:edit", args=[row.pk]),
        _form(world, row, person=admin.pk),
    )

    assert response.status_code == 302, response.context["form"].errors
    [event] = _events(Responsibility, row.pk)
    assert (event.kind, event.actor) == ("edited", lp)
    assert event.payload == {"changes": {"person": [lp.pk, admin.pk]}}


def test_saving_an_unchanged_snippet_records_nothing(client, lp, world):
    from portal.sop.models import Responsibility

    row = _responsibility(world)

    response = client.post(
        reverse("wagtailsnippets_sop_responsibility:edit", args=[row.pk]), _form(world, row)
    )

    assert response.status_code == 302
    assert _events(Responsibility, row.pk) == []


def test_a_refused_edit_records_nothing(client, lp, world):
    from portal.sop.models import Responsibility

    row = _responsibility(world)

    page = client.post(
        reverse("wagtailsnippets_sop_responsibility:edit", args=[row.pk]),
        _form(world, row, region=world.region_a.pk, store=world.store_a1.pk),
    )

    assert page.status_code == 200
    assert _events(Responsibility, row.pk) == []


def test_a_deleted_snippet_leaves_its_values(client, lp, world):
    from portal.sop.models import Responsibility

    row = _responsibility(world)
    pk = row.pk

    response = client.post(reverse("wagtailsnippets_sop_responsibility:delete", args=[pk]))

    assert response.status_code == 302 and not Responsibility.objects.filter(pk=pk).exists()
    [event] = _events(Responsibility, pk)
    assert (event.kind, event.actor) == ("deleted", lp)
    assert event.payload["values"]["note"] == "сеть"


def test_snippets_deleted_in_bulk_each_leave_their_values(client, lp, world):
    from portal.sop.models import Responsibility

    first = _responsibility(world)
    second = _responsibility(world, aspect="supply", note="поставки")

    response = client.post(
        f"/cms/bulk/sop/responsibility/delete/?id={first.pk}&id={second.pk}",
        {"id": [first.pk, second.pk]},
    )

    assert response.status_code == 302 and not Responsibility.objects.exists()
    notes = [
        e.payload["values"]["note"]
        for pk in (first.pk, second.pk)
        for e in _events(Responsibility, pk)
    ]
    assert notes == ["сеть", "поставки"]
