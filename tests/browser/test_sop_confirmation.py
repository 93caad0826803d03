"""A seller confirms an SOP; the LP manager submits a material revision in the CMS, a second
LP manager approves it, and the seller is asked again with the change highlighted; a minor
revision, approved the same way, asks no one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.org.choices import Role
from portal.org.tests.factories import PASSWORD, person
from portal.sop.services import sop_editorial_setup
from portal.sop.tests.factories import publish_sop

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def cast(live_server):
    from portal.org.services import person_access_sync
    from portal.org.tests.factories import StoreFactory

    store = StoreFactory(code="MSK001")
    seller = person(Role.STORE_STAFF, store=store, email="seller@example.ru")
    lp = person(Role.LP_MANAGER, store=None, email="lp@example.ru")
    reviewer = person(Role.LP_MANAGER, store=None, email="lp-review@example.ru")
    for someone in (seller, lp, reviewer):
        person_access_sync(person=someone)
    sop_editorial_setup()
    rules = publish_sop(
        title="Бонусы не начислены",
        text=["Бонусы начисляются через 14 дней.", "Проверьте чек покупателя."],
        author=lp,
        slug="bonus-not-credited",
    )
    typo = publish_sop(title="Промоматериалы", text=["Плакаты меняются по пятницам."], slug="promo")
    return live_server.url, seller, lp, reviewer, rules, typo


def _confirm_on_page(page, base_url, sop):
    page.goto(f"{base_url}{sop.url}")
    page.check("#understood")
    page.click("[data-testid=sop-confirm]")
    expect(page.locator("[data-testid=sop-confirmed]")).to_be_visible()


def _footer_action(page, selector: str):
    """A button of the edit form's footer: the main one, or one in its action menu."""
    button = page.locator(f"footer {selector}").first
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target=toggle]").last.click()
    return button


def _submit_in_cms(page, base_url, sop, *, new_text: str, kind: str, summary: str = ""):
    page.goto(f"{base_url}/cms/pages/{sop.pk}/edit/")
    editor = page.locator(".public-DraftEditor-content").first
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.type(new_text)
    page.check(f"input[name=change_kind][value={kind}]")
    if summary:
        page.fill("textarea[name=change_summary]", summary)
    # Draftail writes its hidden input a moment after typing: wait for it, not for a clock.
    page.wait_for_function(
        "text => document.querySelector('input[name=\"body-0-value\"]').value.includes(text)",
        arg=new_text,
    )
    # No «Publish» on a library page: the change goes to the second-person review.
    expect(page.locator("footer button[name=action-publish]")).to_have_count(0)
    _footer_action(page, "button[name=action-submit]").click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        re.compile("отправлен|submitted", re.I)
    )


def _approve_in_cms(page, base_url, sop):
    page.goto(f"{base_url}/cms/pages/{sop.pk}/edit/")
    _footer_action(
        page, "button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    ).click()
    expect(page.locator(".messages, [role=status]").first).to_contain_text(
        re.compile("обновлен|updated", re.I)  # Wagtail's word after a workflow action
    )


def test_material_revision_asks_again_with_the_change_highlighted(browser, cast, screenshot_dir):
    base_url, seller, lp, reviewer, rules, typo = cast
    phone = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 844})
    desk = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    seller_page, lp_page = phone.new_page(), desk.new_page()

    login(seller_page, base_url, seller.email, PASSWORD)
    panel = seller_page.locator("[data-testid=panel-reading]")
    expect(panel).to_have_attribute("data-count", "2")
    assert_accessible(seller_page, what="the seller's dashboard")
    seller_page.locator("[data-testid=reading-item]", has_text="Бонусы не начислены").click()
    expect(seller_page.locator("[data-testid=sop-status]")).to_have_attribute(
        "data-status", "to_read"
    )
    assert_accessible(seller_page, what="an SOP to confirm")
    seller_page.check("#understood")
    seller_page.click("[data-testid=sop-confirm]")
    expect(seller_page.locator("[data-testid=sop-confirmed]")).to_be_visible()
    _confirm_on_page(seller_page, base_url, typo)

    login(lp_page, base_url, lp.email, PASSWORD)
    _submit_in_cms(
        lp_page,
        base_url,
        rules,
        new_text="Бонусы начисляются через 7 дней.",
        kind="material",
        summary="Срок начисления сокращён до 7 дней",
    )
    _submit_in_cms(lp_page, base_url, typo, new_text="Плакаты меняются по пятницам!", kind="minor")
    # The author is offered no approval of their own change.
    lp_page.goto(f"{base_url}/cms/pages/{rules.pk}/edit/")
    expect(lp_page.locator("footer button[data-workflow-action-name=approve]")).to_have_count(0)

    seller_page.goto(f"{base_url}/")
    expect(panel).to_have_attribute("data-count", "0")  # nothing is live before the approval

    review = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    review_page = review.new_page()
    login(review_page, base_url, reviewer.email, PASSWORD)
    _approve_in_cms(review_page, base_url, rules)
    _approve_in_cms(review_page, base_url, typo)

    seller_page.goto(f"{base_url}/")
    expect(panel).to_have_attribute("data-count", "1")
    seller_page.goto(f"{base_url}{rules.url}")
    expect(seller_page.locator("[data-testid=sop-status]")).to_have_attribute(
        "data-status", "reconfirm"
    )
    notice = seller_page.locator("[data-testid=sop-changed-notice]")
    expect(notice).to_contain_text("Срок начисления сокращён до 7 дней")
    changed = seller_page.locator("[data-change=changed]")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("через 7 дней")
    assert_accessible(seller_page, what="a changed SOP on a phone")
    seller_page.screenshot(
        path=str(screenshot_dir / "sop-material-change-phone.png"), full_page=True
    )

    seller_page.goto(f"{base_url}{typo.url}")
    expect(seller_page.locator("[data-testid=sop-confirmed]")).to_be_visible()

    _confirm_on_page(seller_page, base_url, rules)
    seller_page.goto(f"{base_url}/")
    expect(panel).to_have_attribute("data-count", "0")
    for context in (phone, desk, review):
        context.close()
