"""The demo chain, built once for this module by `seed_demo`: it holds what the demo
promises and a second run changes nothing; each demo login signs in through the real login
page and lands on its own dashboard, whose pages pass axe-core.

The tests share the one demo (`demo_chain`): they sign in and read, and count only what no
other test here changes.
"""

from __future__ import annotations

import io
from decimal import Decimal

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


# The bonus year (kpi/bonus/demo.py): its schemes, statements and the seeded abuse.


def _bonus_schemes():
    from kpi.bonus.demo import AVTORUS, GALAMART
    from kpi.bonus.models import Scheme

    return Scheme.objects.get(name=AVTORUS), Scheme.objects.get(name=GALAMART)


def test_demo_threshold_scheme_suspends_itself_when_its_region_holds_plan(demo_chain):
    from kpi.bonus.choices import SchemeEventKind, SchemeStatus

    _, galamart = _bonus_schemes()
    suspensions = galamart.events.filter(kind=SchemeEventKind.SUSPENDED)
    statements = galamart.statements.order_by("starts_on")

    assert any(line.startswith("bonus: schemes=2 ") for line in demo_chain.output.splitlines())
    assert suspensions.exists(), list(galamart.events.values_list("kind", flat=True))
    assert suspensions.first().actor is None  # the scheme's own doing, not a person's
    suspended = statements.filter(suspended=True)
    assert suspended.exists() or galamart.status == SchemeStatus.SUSPENDED
    # It suspended itself after its region met plan `suspend_after` periods in a row.
    first_suspended = suspended.first()
    if first_suspended is not None:
        before = list(
            statements.filter(starts_on__lt=first_suspended.starts_on).values_list(
                "scope_met", flat=True
            )
        )
        assert before[-galamart.suspend_after :] == [True] * galamart.suspend_after, before
        # While suspended, nobody is paid or fined.
        assert all(s.awarded == s.deducted == 0 for s in suspended)


def test_demo_zero_sum_statements_balance_to_the_kopeck(demo_chain):
    from kpi.bonus.choices import LineKind, StatementStatus

    avtorus, _ = _bonus_schemes()
    locked = list(avtorus.statements.filter(status=StatementStatus.LOCKED))

    assert len(locked) >= 6
    for statement in locked:
        ranked = statement.lines.exclude(kind=LineKind.ADJUSTMENT)
        assert statement.awarded - statement.deducted == Decimal("0.00"), statement
        assert sum(line.amount for line in ranked) == Decimal("0.00"), statement
        assert statement.awarded > 0, statement  # a real transfer, not an empty month


def test_demo_abuse_store_is_flagged_and_gets_no_award_until_cleared(demo_chain):
    from kpi.bonus.choices import FlagKind, FlagStatus, Ineligible, Outcome
    from kpi.bonus.demo import ABUSE_STORE
    from kpi.bonus.models import AbuseFlag, StoreResult
    from kpi.bonus.services.flags import flag_clear
    from kpi.bonus.services.statements import statement_restate

    avtorus, _ = _bonus_schemes()
    last = avtorus.statements.order_by("-starts_on").first()
    store = Store.objects.get(code=ABUSE_STORE)
    flags = AbuseFlag.objects.filter(
        store=store, starts_on__lte=last.ends_on, ends_on__gte=last.starts_on
    )
    holding = flags.filter(status=FlagStatus.OPEN).exclude(kind=FlagKind.CASHIER_SHARE)

    assert holding.exists(), list(flags.values_list("kind", "status"))
    assert all(flag.evidence for flag in holding)  # each flag shows its receipts
    result = StoreResult.objects.get(statement=last, store=store)
    assert (result.outcome, result.ineligible, result.amount) == (
        Outcome.INELIGIBLE,
        Ineligible.FLAGGED,
        Decimal("0.00"),
    )
    assert not last.lines.filter(store=store).exists()
    # Earlier months, before the abuse, the store was ranked like any other.
    earlier = StoreResult.objects.filter(
        statement__scheme=avtorus, store=store, statement__starts_on__lt=last.starts_on
    )
    assert earlier.exists() and not earlier.filter(ineligible=Ineligible.FLAGGED).exists()

    # Cleared by an LP manager, the store is held no more: restated, it is ranked again.
    lp = User.objects.get(email=next(d.email for d in DEMO_LOGINS if d.role == Role.LP_MANAGER))
    for flag in holding:
        flag_clear(actor=lp, flag=flag, note="Проверено: карта покупателя, не сотрудника.")
    statement_restate(actor=lp, statement=last)
    result = StoreResult.objects.get(statement=last, store=store)
    assert result.ineligible != Ineligible.FLAGGED and result.rank is not None, (
        result.outcome,
        result.ineligible,
    )


def test_demo_receipts_hold_no_scheme_store_but_the_seeded_one(demo_chain):
    """The demo seeds one abuse pattern: no other store of either scheme is held out of
    its awards (flags the simulated receipts raise elsewhere wait for HQ's decision like
    any other)."""
    from kpi.bonus.choices import Ineligible
    from kpi.bonus.demo import ABUSE_STORE
    from kpi.bonus.models import StoreResult

    flagged_results = sorted(
        StoreResult.objects.filter(ineligible=Ineligible.FLAGGED)
        .exclude(store__code=ABUSE_STORE)
        .values_list("statement__starts_on", "statement__scheme__name", "store__code")
    )
    assert not flagged_results, f"results held by other flags: {flagged_results}"


def test_hq_reads_the_effect_report_of_both_demo_schemes(page, demo_chain):
    from django.urls import reverse

    from kpi.bonus.selectors.effect import NO_EFFECT, TOO_LITTLE, WORKED, WRONG_WAY

    base = demo_chain.url
    hq = next(d for d in DEMO_LOGINS if d.role == Role.LP_MANAGER)
    login(page, base, hq.email, DEMO_PASSWORD, totp_secret=DEMO_TOTP_SECRET)
    for scheme in _bonus_schemes():
        response = page.goto(f"{base}{reverse('bonus:scheme_effect', args=[scheme.pk])}")

        assert response.status == 200, f"{scheme.name}: HTTP {response.status}"
        verdict = page.locator("[data-testid=effect-verdict]")
        assert verdict.get_attribute("data-verdict") in (WORKED, NO_EFFECT, WRONG_WAY, TOO_LITTLE)
        assert verdict.inner_text().strip(), f"{scheme.name}: the verdict says nothing"
        assert page.locator("[data-testid=effect-chart] svg").count() == 1
        assert_accessible(page, what=f"the effect report of {scheme.name}")
