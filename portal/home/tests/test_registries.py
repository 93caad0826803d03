"""The navigation and panel registries: what an app registers in its `ready()` reaches
those its permission or predicate admits, in order, without portal/home knowing the app."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from portal.home import navigation, panels
from portal.home.context_processors import navigation as navigation_context
from portal.org.choices import Role
from portal.org.rules import follows_regions, is_seller


@pytest.fixture
def registries(monkeypatch):
    """The apps' real entries, in copies a test may add to."""
    monkeypatch.setattr(navigation, "_ENTRIES", dict(navigation._ENTRIES))
    monkeypatch.setattr(panels, "_PANELS", list(panels._PANELS))


def context_for(user, path: str = "/") -> dict:
    request = RequestFactory().get(path)
    request.user = user
    return navigation_context(request)


def labels(items) -> list[str]:
    return [str(c.label) for i in items for c in (i.children or (i,))]


@pytest.mark.django_db
def test_an_entry_reaches_whom_its_predicate_admits(registries, world):
    navigation.register(
        key="desk.tickets",
        label="Tickets",
        url="sop:library",
        icon="inbox",
        order=35,
        visible=follows_regions,
    )

    main_of = {role: labels(context_for(world.people[role])["nav_items"]) for role in Role.values}

    assert main_of[Role.REGIONAL_MANAGER][2:4] == ["Регламенты", "Tickets"]
    assert "Tickets" in main_of[Role.LP_MANAGER]
    assert "Tickets" not in main_of[Role.STORE_MANAGER]
    assert "Tickets" not in main_of[Role.CALL_CENTER_AGENT]


@pytest.mark.django_db
def test_a_permission_name_a_callable_url_and_replacing_by_key(registries, world):
    navigation.register(
        key="desk.mine",
        label="Mine",
        url=lambda user: f"/desk/{user.personnel_number}/",
        icon="inbox",
        order=99,
        visible="training.manage_bank",
    )
    navigation.register(
        key="desk.mine",
        label="Mine",
        url=lambda user: f"/desk/{user.pk}/",
        icon="inbox",
        order=99,
        visible="training.manage_bank",
    )
    lp = world.people[Role.LP_MANAGER]

    main = context_for(lp)["nav_items"]

    assert [i.url for i in main if str(i.label) == "Mine"] == [f"/desk/{lp.pk}/"]
    assert "Mine" not in labels(context_for(world.people[Role.STORE_STAFF])["nav_items"])


@pytest.mark.django_db
def test_a_single_tool_stands_in_the_bar_and_two_make_a_menu(registries, world):
    seller = world.people[Role.STORE_STAFF]
    # Only this test's tools: the apps' own (the «Акции» every role sees) are set aside.
    for key in [k for k, e in navigation._ENTRIES.items() if e.group == navigation.TOOLS]:
        del navigation._ENTRIES[key]
    navigation.register(
        key="x.one",
        label="One",
        url="sop:library",
        icon="x",
        group=navigation.TOOLS,
        order=1,
        visible=is_seller,
    )
    alone = context_for(seller)["nav_items"]
    navigation.register(
        key="x.two",
        label="Two",
        url="training:home",
        icon="x",
        group=navigation.TOOLS,
        order=2,
        visible=is_seller,
    )
    menu = context_for(seller)["nav_items"]

    assert [str(i.label) for i in alone][-1] == "One" and not alone[-1].children
    assert [str(c.label) for c in menu[-1].children] == ["One", "Two"]


def test_a_group_must_be_main_or_tools(registries):
    with pytest.raises(ValueError, match="Unknown navigation group"):
        navigation.register(key="x", label="X", url="x", icon="x", order=1, group="side")


@pytest.mark.django_db
def test_panels_reach_whom_their_predicate_admits(registries, world):
    panels.register(
        template="desk/_panel_queue.html", visible=is_seller, context=lambda user: {"n": 1}
    )

    def templates(role):
        return [p.template for p in panels.panels_for(world.people[role])]

    assert "desk/_panel_queue.html" in templates(Role.STORE_STAFF)
    assert "desk/_panel_queue.html" not in templates(Role.STORE_MANAGER)
    assert "desk/_panel_queue.html" not in templates(Role.ADMIN)  # no superuser pass
    assert "training/_panel_coverage.html" in templates(Role.STORE_MANAGER)
    assert "training/_panel_coverage.html" not in templates(Role.STORE_STAFF)
    assert "kpi/_panel_store_place.html" in templates(Role.STORE_STAFF)
    assert "kpi/_panel_board.html" in templates(Role.REGIONAL_MANAGER)
    assert "kpi/_panel_board.html" not in templates(Role.STORE_MANAGER)
