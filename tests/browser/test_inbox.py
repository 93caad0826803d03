"""A seller on a phone finds the SOP reminder behind the bell, opens it, and the bell goes out."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.org.choices import Role
from portal.org.tests.factories import PASSWORD, StoreFactory, person
from portal.sop.services import sop_reminders_send
from portal.sop.tests.factories import publish_sop

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_bell_leads_a_seller_on_a_phone_to_their_reminder(live_server, phone, screenshot_dir):
    # Given a seller with a mandatory SOP due in two days, reminded by the daily run
    seller = person(Role.STORE_STAFF, store=StoreFactory(code="MSK001"), email="seller@example.ru")
    publish_sop(title="Бонусы не начислены", roles=[Role.STORE_STAFF], due_days=2)
    assert (
        sop_reminders_send(today=timezone.localdate() + datetime.timedelta(days=1)).reminders == 1
    )
    base = live_server.url

    # When she signs in on her phone, the bell shows one unread without opening the menu
    login(phone, base, seller.email, PASSWORD)
    bell = phone.locator("[data-testid=inbox-bell]")
    expect(bell).to_be_visible()
    expect(bell).to_have_attribute("data-unread", "1")
    bell.click()

    # Then the inbox lists the reminder in Russian
    item = phone.locator("[data-testid=inbox-item]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Прочитайте и подтвердите «Бонусы не начислены»")
    assert_accessible(phone, what="the seller's inbox on a phone")
    phone.screenshot(path=str(screenshot_dir / "inbox-phone.png"), full_page=True)

    # When she opens it, she is on her list of pages to read, and the bell is out
    phone.click("[data-testid=inbox-open]")
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith("/sop/?status=pending")
    expect(phone.locator("[data-testid=inbox-bell]")).to_have_attribute("data-unread", "0")
