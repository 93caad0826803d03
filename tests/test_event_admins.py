"""Event rows (who did what, when) are evidence: nobody edits or deletes them through the
Django admin, not even a superuser. Every model named `…Event` in our apps counts."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

OUR_APPS = {"org", "events", "sop", "home", "training", "kpi", "audits", "incidents"}


def _event_models() -> list[type]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and model.__name__.endswith("Event")
    ]


def _admins_of(model: type) -> list:
    """The ModelAdmin registered for the model and every inline that shows it."""
    found = []
    for registered, model_admin in admin.site._registry.items():
        if registered is model:
            found.append(model_admin)
        for inline in model_admin.inlines:
            if inline.model is model:
                found.append(inline(registered, admin.site))
    return found


def test_the_event_models_are_known():
    names = {model.__name__ for model in _event_models()}

    assert {"OrgEvent", "PosTokenEvent", "AttemptEvent", "ImportBatchEvent"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize("model", _event_models(), ids=lambda m: m.__name__)
def test_no_admin_may_change_or_delete_an_event_row(model, world):
    request = RequestFactory().get("/admin/")
    request.user = world.people["admin"]
    request.user.is_superuser = True  # even a superuser

    for model_admin in _admins_of(model):
        assert not model_admin.has_change_permission(request), model_admin
        assert not model_admin.has_delete_permission(request), model_admin
        assert not model_admin.has_add_permission(request, None), model_admin
        if isinstance(model_admin, admin.ModelAdmin):
            assert "delete_selected" not in model_admin.get_actions(request)


@pytest.fixture
def org_event(world):
    from portal.org.choices import OrgEventKind
    from portal.org.models import OrgEvent

    return OrgEvent.objects.create(
        kind=OrgEventKind.STORE_UPDATED, actor=world.people["admin"], store=world.store_a1
    )


@pytest.mark.django_db
def test_an_administrator_cannot_delete_an_org_event(client, world, org_event):
    from portal.org.models import OrgEvent

    client.force_login(world.people["admin"])

    page = client.get(reverse("admin:org_orgevent_delete", args=[org_event.pk]))
    posted = client.post(reverse("admin:org_orgevent_delete", args=[org_event.pk]), {"post": "yes"})
    bulk = client.post(
        reverse("admin:org_orgevent_changelist"),
        {"action": "delete_selected", "_selected_action": [org_event.pk], "post": "yes"},
    )

    assert page.status_code == 403 and posted.status_code == 403
    assert bulk.status_code in (200, 302)
    assert OrgEvent.objects.filter(pk=org_event.pk).exists()


@pytest.mark.django_db
def test_an_administrator_cannot_edit_an_org_event(client, world, org_event):
    client.force_login(world.people["admin"])

    posted = client.post(
        reverse("admin:org_orgevent_change", args=[org_event.pk]), {"kind": "region_created"}
    )
    listing = client.get(reverse("admin:org_orgevent_changelist"))

    org_event.refresh_from_db()
    assert org_event.kind == "store_updated"
    assert posted.status_code == 403
    assert listing.status_code == 200 and b"delete_selected" not in listing.content


@pytest.mark.django_db
def test_pos_token_events_stay_when_their_pos_system_is_edited(client, world):
    from kpi.models import PosSystem, PosTokenEvent

    pos = PosSystem.objects.create(name="Касса", token_prefix="abc", token_hash="x" * 64)
    event = PosTokenEvent.objects.create(pos=pos, kind="issued", token_prefix="abc")
    client.force_login(world.people["admin"])

    page = client.get(reverse("admin:kpi_possystem_change", args=[pos.pk]))

    assert page.status_code == 200
    assert b"events-0-DELETE" not in page.content
    assert PosTokenEvent.objects.filter(pk=event.pk).exists()
