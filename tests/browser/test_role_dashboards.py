"""The demo chain, built once for this module by `seed_demo`: it holds what the demo
promises and a second run changes nothing; each demo login signs in through the real login
page and lands on its own dashboard, whose pages pass axe-core.

The tests share the one demo (`demo_chain`): they sign in and read, and count only what no
other test here changes.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET
from portal.org.models import Store, User
from portal.org.second_factor.services import (
    second_factor_required,
    totp_device_confirmed,
    totp_secret,
)

from .conftest import assert_accessible, login

# Each test reads inside a transaction rolled back at its end; the demo itself is
# committed once, before the first test, by `demo_chain`.
pytestmark = pytest.mark.django_db

# Which dashboard panels each role must see (the placeholders later apps fill are not
# listed: they carry no figures yet).
PANELS = {
    Role.STORE_STAFF: {"panel-store"},
    Role.STORE_MANAGER: {"panel-store"},
    Role.AUDITOR: set(),
    Role.REGIONAL_MANAGER: {"panel-region"},
    Role.CALL_CENTER_AGENT: {"panel-directory"},
    Role.CALL_CENTER_SUPERVISOR: {"panel-directory"},
    Role.LP_MANAGER: {"panel-network"},
    Role.ADMIN: {"panel-network"},
}
ALL_PANELS = {"panel-store", "panel-region", "panel-network", "panel-directory"}


def test_seed_demo_builds_the_chain_and_is_idempotent(demo_chain):
    counts = (Store.objects.count(), User.objects.count())
    snapshot = list(User.objects.order_by("pk").values_list("pk", "password", "role", "store_id"))
    again = io.StringIO()
    call_command("seed_demo", force_demo_accounts=True, stdout=again)

    assert counts[0] == 80
    assert 750 <= counts[1] <= 850
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert (
        list(User.objects.order_by("pk").values_list("pk", "password", "role", "store_id"))
        == snapshot
    )
    assert "people: rows=" in again.getvalue() and "created=0 updated=0" in again.getvalue()
    logins = [line for line in demo_chain.output.splitlines() if line.startswith("demo-login ")]
    assert len(logins) == 8
    for line in logins:
        fields = dict(part.split("=", 1) for part in line.split()[1:])
        user = User.objects.get(email=fields["login"])
        assert user.role == fields["role"]
        assert user.check_password(fields["password"])
        # Second-factor roles come pre-enrolled with the documented demo secret.
        device = totp_device_confirmed(person=user)
        if second_factor_required(user):
            assert fields["totp"] == DEMO_TOTP_SECRET == totp_secret(device)
        else:
            assert "totp" not in fields and device is None


def test_every_launched_demo_store_had_its_mystery_shopper_two_days_after(demo_chain):
    from datetime import timedelta

    from audits.models import Visit

    launched = {s.pk: s for s in Store.objects.filter(lp_launch_date__isnull=False)}
    visits = {v.store_id: v for v in Visit.objects.filter(reason="launch")}
    assert launched and set(visits) == set(launched)
    for store_id, visit in visits.items():
        assert visit.not_before == launched[store_id].lp_launch_date + timedelta(days=2)
        assert (visit.status, visit.score is not None) == ("published", True)  # filed, reviewed
    assert "audits: 2 checklists; visits: " in demo_chain.output


def test_every_demo_login_lands_on_its_dashboard(page, demo_chain, screenshot_dir):
    base = demo_chain.url
    assert {d.role for d in DEMO_LOGINS} == set(Role.values)
    for index, demo in enumerate(DEMO_LOGINS):
        # Staff type either their e-mail or their personnel number: try both.
        login_value = demo.personnel_number if index % 2 else demo.email
        login(page, base, login_value, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)

        assert page.url == f"{base}/", f"{demo.role} was not sent to the dashboard"
        assert page.locator("html").get_attribute("lang") == "ru"
        badge = page.locator("[data-testid=dashboard-role]")
        assert badge.get_attribute("data-role") == demo.role
        assert demo.last_name in badge.inner_text()
        for panel in ALL_PANELS:
            count = page.locator(f"[data-testid={panel}]").count()
            expected = 1 if panel in PANELS[demo.role] else 0
            assert count == expected, f"{demo.role}: {panel} shown {count} times"
        assert_accessible(page, what=f"{demo.role}'s dashboard")
        page.screenshot(path=str(screenshot_dir / f"{demo.role}.png"), full_page=True)

        page.context.clear_cookies()


def test_store_panel_shows_the_store_head_count(page, demo_chain):
    base = demo_chain.url
    seller = next(d for d in DEMO_LOGINS if d.role == Role.STORE_STAFF)
    login(page, base, seller.email, DEMO_PASSWORD)
    store = User.objects.get(email=seller.email).store
    expected = User.objects.filter(store=store, is_active=True).count()
    assert page.locator("[data-testid=store-staff-count]").inner_text() == str(expected)


def test_dashboard_fits_a_phone(phone, demo_chain, screenshot_dir):
    base = demo_chain.url
    manager = next(d for d in DEMO_LOGINS if d.role == Role.STORE_MANAGER)
    login(phone, base, manager.email, DEMO_PASSWORD)

    assert phone.locator("[data-testid=dashboard-role]").get_attribute("data-role") == (
        Role.STORE_MANAGER
    )
    toggler = phone.locator(".navbar-toggler")
    assert toggler.is_visible(), "the phone layout must collapse the navigation"
    overflow = phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    toggler.click()
    phone.locator(".navbar-collapse.show").wait_for(state="visible")
    phone.locator(".navbar .collapsing").wait_for(state="detached")
    assert phone.locator("[data-testid=user-menu]").is_visible()
    assert_accessible(phone, what="the dashboard on a phone, menu open")
    phone.screenshot(path=str(screenshot_dir / "store_manager-phone.png"), full_page=True)


def test_wrong_password_is_refused_in_russian(page, demo_chain):
    base = demo_chain.url
    seller = next(d for d in DEMO_LOGINS if d.role == Role.STORE_STAFF)
    login(page, base, seller.email, "not-the-password")

    assert "/accounts/login/" in page.url
    assert page.locator("[data-testid=dashboard-role]").count() == 0
    errors = page.locator(".alert-danger, .invalid-feedback").all_inner_texts()
    assert errors, "a refused login must say why"
    assert any("парол" in text.lower() for text in errors), errors
    assert_accessible(page, what="the login page with its error")


def test_logged_out_visitor_is_sent_to_login(page, demo_chain):
    base = demo_chain.url
    page.goto(f"{base}/org/stores/")
    assert "/accounts/login/" in page.url
    assert page.locator("input[name=username]").is_visible()
    assert_accessible(page, what="the login page")


def test_every_page_in_each_personas_navigation_is_accessible(page, demo_chain):
    base = demo_chain.url
    # Given each demo persona signed in, when they open every page their navigation
    # offers (and their profile), then axe-core finds no serious or critical violation.
    visited = 0
    for demo in DEMO_LOGINS:
        login(page, base, demo.email, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
        menu = page.locator("nav .nav-link[href^='/'], nav .dropdown-item[href^='/']")
        paths = list(dict.fromkeys(menu.evaluate_all("links => links.map(a => a.pathname)")))
        assert paths, f"{demo.role} has no navigation"
        for path in paths:
            response = page.goto(f"{base}{path}")
            assert response.status == 200, f"{demo.role} {path}: HTTP {response.status}"
            assert_accessible(page, what=f"{path} as {demo.role}")
            visited += 1
        page.context.clear_cookies()
    assert visited >= 3 * len(DEMO_LOGINS)
