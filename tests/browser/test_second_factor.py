"""The second factor in the browser: an LP manager enrols and signs in with a code; a seller
signs in with the password alone."""

from __future__ import annotations

import pytest

from portal.org.choices import Role
from portal.org.second_factor.services import totp_device_confirmed
from portal.org.services import person_access_sync
from portal.org.tests.factories import PASSWORD, person

from .conftest import login, second_factor_enrol, second_factor_verify

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_lp_manager_enrols_at_first_login_then_signs_in_with_a_code(
    page, live_server, screenshot_dir
):
    lp = person(Role.LP_MANAGER)
    person_access_sync(person=lp)  # the role's group: content owners may enter /cms/
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", lp.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/second-factor/enrol/" in page.url
    assert page.locator("[data-testid=second-factor-qr] svg").count() == 1
    page.screenshot(path=str(screenshot_dir / "second_factor_enrol.png"), full_page=True)
    secret = second_factor_enrol(page)
    assert page.url == f"{base}/"
    assert totp_device_confirmed(person=lp) is not None

    page.context.clear_cookies()
    page.goto(f"{base}/cms/")
    page.fill("input[name=username]", lp.personnel_number)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/accounts/second-factor/" in page.url
    second_factor_verify(page, secret)
    assert page.url == f"{base}/cms/"


def test_seller_signs_in_without_a_second_factor(page, live_server):
    seller = person(Role.STORE_STAFF)

    login(page, live_server.url, seller.email, PASSWORD)

    assert page.url == f"{live_server.url}/"
    assert page.locator("[data-testid=dashboard-role]").get_attribute("data-role") == "store_staff"
