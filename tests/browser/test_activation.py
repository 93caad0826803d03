"""A seller imported without e-mail gets a code from the store manager, activates their
account on a phone, and finds their reminder behind the bell."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.org.choices import OrgEventKind, Role
from portal.org.models import OrgEvent, User
from portal.org.services import org_people_import
from portal.org.tests.factories import PASSWORD, StoreFactory, person
from portal.sop.services import sop_reminders_send
from portal.sop.tests.factories import publish_sop

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NEW_PASSWORD = "Kassa-Vesna-2026"


def test_a_seller_without_email_activates_with_a_code_and_reads_the_inbox(
    live_server, page, phone, screenshot_dir
):
    # Given a seller imported from an HR file that has no e-mail column
    store = StoreFactory(code="MSK001")
    manager = person(Role.STORE_MANAGER, store=store, email="manager@example.ru")
    org_people_import(
        actor=None,
        content=(
            "табельный номер;фамилия;имя;роль;код магазина\n"
            "300001;Смирнова;Ольга;store_staff;MSK001\n"
        ).encode(),
        filename="hr.csv",
    )
    seller = User.objects.get(personnel_number="300001")
    assert seller.email is None and not seller.has_usable_password()
    # ... with a mandatory SOP due soon, reminded by the daily run (inbox only: no e-mail)
    publish_sop(title="Бонусы не начислены", roles=[Role.STORE_STAFF], due_days=2)
    assert (
        sop_reminders_send(today=timezone.localdate() + datetime.timedelta(days=1)).reminders == 1
    )
    base = live_server.url

    # When the store manager opens her page and issues an activation code
    login(page, base, manager.email, PASSWORD)
    page.goto(f"{base}/org/people/300001/")
    page.click("text=Код активации")
    page.click("[data-testid=issue-code]")
    page.wait_for_load_state("networkidle")
    code = page.locator("#activation-code").inner_text().strip()
    assert len(code) == 9 and code[4] == "-"
    expect(page.locator("[data-testid=activation-code] svg")).to_be_visible()
    assert_accessible(page, what="the activation code screen")
    page.screenshot(path=str(screenshot_dir / "activation-code.png"), full_page=True)

    # Then the seller, on her phone, finds the activation page from the login page
    phone.goto(f"{base}/accounts/login/")
    phone.click("text=Получили код активации от директора магазина?")
    phone.fill("input[name=personnel_number]", "300001")
    phone.fill("input[name=code]", code.lower())  # as typed on a phone keyboard
    phone.fill("input[name=new_password1]", NEW_PASSWORD)
    phone.fill("input[name=new_password2]", NEW_PASSWORD)
    assert_accessible(phone, what="the activation page on a phone")
    phone.click("[data-testid=activate]")
    phone.wait_for_load_state("networkidle")
    expect(phone.locator(".alert-success")).to_contain_text("Пароль установлен")

    # And she is signed in, with her reminder behind the bell
    bell = phone.locator("[data-testid=inbox-bell]")
    expect(bell).to_have_attribute("data-unread", "1")
    bell.click()
    item = phone.locator("[data-testid=inbox-item]")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Прочитайте и подтвердите «Бонусы не начислены»")
    phone.screenshot(path=str(screenshot_dir / "activation-inbox-phone.png"), full_page=True)

    # The code was used once, and both steps are in her history
    kinds = set(OrgEvent.objects.filter(person=seller).values_list("kind", flat=True))
    assert {OrgEventKind.ACTIVATION_CODE_ISSUED, OrgEventKind.ACTIVATION_CODE_USED} <= kinds
    # Next time she signs in with her personnel number and the password she chose
    phone.context.clear_cookies()
    login(phone, base, "300001", NEW_PASSWORD)
    expect(phone.locator("[data-testid=inbox-bell]")).to_be_visible()
