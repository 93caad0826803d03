"""A mystery-shopper visit from the phone to the store's answer, end to end.

An auditor opens the visit assigned to them on a phone, starts it and answers: two answers
online, three more with no connection (kept in the phone's localStorage, sent when the
connection returns). They add a photo to the photo question and one of the visit (a text
file named .jpg is refused), give the times and the receipt they bought, and submit. The
receipt is in the store's POS data (loaded by the real import) but not identified, while
the shopper said «the receipt was rung up with a card»: the LP manager sees the receipt
found and the contradiction flagged, and publishes. The store manager reads the report
under the shopper's pseudonym (never the name), downloads the PDF, appeals the failed
item and opens a corrective action on it; the LP manager accepts the appeal, and the
visit is rescored from the stored answers with the change in its history."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect

from audits.choices import ReceiptCheck, VisitEventKind, VisitStatus
from audits.models import VisitAnswer, VisitPhoto
from audits.scoring import Answer, visit_score
from audits.selectors import checklist_spec
from portal.org.choices import Role
from portal.org.tests.factories import PASSWORD, person

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CARD = "Чек пробит с картой"  # «yes» says the receipt is identified: checked in the POS data
OFFER = "Кассир предложил карту лояльности"
POLITE = "Вежливость кассира"
PHOTO = "Фото витрины"
CLEAN = "Прикассовая зона чистая"
PROMO = "Промоматериалы на месте"
ONLINE = {CARD: "yes", OFFER: "no"}  # the form's values; None: N/A
OFFLINE = {POLITE: "3", CLEAN: "yes", PROMO: None}


@pytest.fixture(autouse=True)
def _daytime():
    """The journey's receipts are rung at 10:00 today and the visit ends 20 minutes
    before now: between midnight and 11:00 in the portal's time zone either would be in
    the future (the import refuses such receipts), so the clock is moved to 14:00 of the
    same day, ticking."""
    now = timezone.localtime()
    if now.hour >= 11:
        yield
        return
    with time_machine.travel(now.replace(hour=14, minute=0), tick=True):
        yield


def _ru(label) -> str:
    """A label as the portal (in Russian) renders it."""
    with translation.override("ru"):
        return str(label)


@pytest.fixture
def cast(live_server):
    from audits.services.planning import visit_assign, visit_schedule
    from audits.tests.factories import checklist, question, section
    from kpi.services import receipts_import
    from kpi.tests.factories import receipts_file
    from portal.org.services import person_access_sync
    from portal.org.tests.factories import RegionFactory, StoreFactory

    store = StoreFactory(code="KZN001", name="Баумана", region=RegionFactory(code="VOL"))
    auditor = person(
        Role.AUDITOR, email="shopper@example.ru", last_name="Тайнова", first_name="Вера"
    )
    lp = person(Role.LP_MANAGER, email="lp@example.ru", last_name="Контролёва")
    manager = person(Role.STORE_MANAGER, store=store, email="manager@example.ru")
    for someone in (auditor, lp, manager):
        person_access_sync(person=someone)
    sections = [
        section(
            "Касса",
            question(CARD, pos_fact="identified"),
            question(OFFER, weight=2),
            question(POLITE, "scale"),
            question(PHOTO, "photo", weight=0),
        ),
        section("Зал", question(CLEAN, photo_when_failed=True), question(PROMO), pass_mark=50),
    ]
    made = checklist(author=lp, published=True, sections=sections)
    today = timezone.localdate()
    visit = visit_schedule(
        store=store, checklist=made, reason="plan", not_before=today, due_on=today + timedelta(7)
    )
    visit = visit_assign(actor=lp, visit=visit, auditor=auditor)
    # Three receipts of the day, the first with a card: the shopper's is the third.
    receipts_import(actor=None, content=receipts_file(store.code, today, receipts=3, identified=1))
    return live_server.url, visit, auditor, lp, manager, f"{today:%y%m%d}-2"


def _choose(page, key: str, value: str | None) -> None:
    page.click(f"label[for='v-{key}-{'na' if value is None else value}']")


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (180, 90, 40)).save(out, "JPEG")
    return out.getvalue()


def _upload(page, form, name: str, content: bytes) -> None:
    form.locator("input[name=photo]").set_input_files(
        {"name": name, "mimeType": "image/jpeg", "buffer": content}
    )
    with page.expect_navigation():
        form.locator("button").click()


def _answers(visit) -> dict[str, str | None]:
    return {
        a.question.key: None if a.na else a.value
        for a in VisitAnswer.objects.filter(visit=visit).select_related("question")
    }


def test_a_visit_from_the_phone_to_the_stores_appeal(browser, page, phone, cast, screenshot_dir):
    base, visit, auditor, lp, manager, receipt = cast
    local = timezone.localtime()

    # The auditor, on a phone: start the visit from the list.
    login(phone, base, auditor.email, PASSWORD)
    phone.goto(f"{base}/audits/visits/")
    phone.click(f"[data-testid=visit-row][data-visit='{visit.pk}']")
    phone.click("[data-testid=visit-start]")
    expect(phone).to_have_url(f"{base}/audits/visits/{visit.pk}/fill/")
    visit.refresh_from_db()
    keys = dict(visit.version.questions.values_list("text", "key"))
    status = phone.locator("[data-testid=sync-status]")

    phone.evaluate(
        """() => { window.states = []; const badge = document.getElementById('sync-status');
        new MutationObserver(() => states.push(badge.dataset.state))
            .observe(badge, {attributes: true}); }"""
    )
    held = []  # the first save waits on its way while the second answer is given
    phone.route("**/answers/", lambda route: held.append(route), times=1)
    for text, value in ONLINE.items():
        _choose(phone, keys[text], value)
    for _ in range(100):
        if held:
            break
        phone.wait_for_timeout(50)
    assert held, "no answer was sent"
    held[0].continue_()
    expect(status).to_have_attribute("data-state", "saved")
    assert _answers(visit) == {keys[t]: v for t, v in ONLINE.items()}
    assert "offline" not in phone.evaluate("states")  # online all along

    phone.context.set_offline(True)
    for text, value in OFFLINE.items():
        _choose(phone, keys[text], value)
    expect(status).to_have_attribute("data-state", "offline")
    kept = phone.evaluate(f"() => JSON.parse(localStorage.getItem('visit-answers-{visit.pk}'))")
    assert {k: None if i["na"] else i["value"] for k, i in kept.items()} == {
        keys[t]: v for t, v in OFFLINE.items()
    }
    assert len(_answers(visit)) == len(ONLINE)  # nothing of them reached the server
    phone.context.set_offline(False)
    expect(status).to_have_attribute("data-state", "saved", timeout=20_000)
    assert _answers(visit) == {keys[t]: v for t, v in {**ONLINE, **OFFLINE}.items()}
    assert phone.evaluate(f"() => localStorage.getItem('visit-answers-{visit.pk}')") == "{}"

    # Photos: one of the photo question, one of the visit; a text file is no photo.
    _upload(phone, phone.locator(f"#q-{keys[PHOTO]} [data-testid=photo-form]"), "a.jpg", _jpeg())
    general = phone.locator("[data-testid=general-photo-form]")
    _upload(phone, general, "b.jpg", _jpeg())
    thumbs = phone.locator("[data-testid=photo-thumb]")
    expect(thumbs).to_have_count(2)
    for thumb in thumbs.all():  # served back to the auditor (800 px wide, as taken)
        thumb.scroll_into_view_if_needed()
        expect(thumb).to_have_js_property("naturalWidth", 800)
    _upload(phone, general, "notes.jpg", b"Not a picture: the shopper's notes.\n" * 20)
    expect(phone.locator(".alert-danger")).to_contain_text("notes.jpg не является фото")
    expect(thumbs).to_have_count(2)
    assert VisitPhoto.objects.filter(visit=visit).count() == 2
    assert_accessible(phone, what="the visit's form on a phone")

    details = phone.locator("[data-testid=details-form]")
    stamp = "%Y-%m-%dT%H:%M"
    details.locator("[name=started_at]").fill(f"{local - timedelta(minutes=50):{stamp}}")
    details.locator("[name=ended_at]").fill(f"{local - timedelta(minutes=20):{stamp}}")
    details.locator("[name=receipt_number]").fill(receipt)
    details.locator("[name=receipt_at]").fill(f"{local - timedelta(minutes=30):{stamp}}")
    details.locator("[name=receipt_amount]").fill("1000")
    with phone.expect_navigation():
        details.locator("button").click()
    expect(phone.locator(".alert-success")).to_be_visible()
    phone.screenshot(path=str(screenshot_dir / "audit-visit-fill-phone.png"), full_page=True)
    phone.click("[data-testid=visit-submit]")
    expect(phone).to_have_url(f"{base}/audits/visits/")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SUBMITTED
    assert (visit.receipt_check, visit.pos_receipt, visit.pos_identified) == (
        ReceiptCheck.FOUND,
        receipt,
        False,
    )

    # The LP manager reviews: the receipt is found, and contradicts the shopper.
    login(page, base, lp.email, PASSWORD)
    page.goto(f"{base}/audits/visits/{visit.pk}/")
    expect(page.locator("[data-testid=receipt-check]")).to_contain_text("Чек найден")
    expect(page.locator("[data-testid=review-flags]")).to_be_visible()
    flag = page.locator(f"[data-testid=visit-item][data-key='{keys[CARD]}'] [data-testid=pos-flag]")
    expect(flag).to_be_visible()
    assert_accessible(page, what="the LP manager's review")
    page.click("[data-testid=visit-approve]")
    expect(page.locator("[data-testid=visit-status]")).to_have_text(
        _ru(VisitStatus.PUBLISHED.label)
    )
    visit.refresh_from_db()
    assert visit.status == VisitStatus.PUBLISHED
    score_before = page.locator("[data-testid=visit-score]").inner_text()

    # The store manager: the report under the pseudonym, its PDF, an appeal, an action.
    store = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    store_page = store.new_page()
    login(store_page, base, manager.email, PASSWORD)
    store_page.goto(f"{base}/audits/visits/{visit.pk}/")
    expect(store_page.locator("[data-testid=visit-shopper]")).to_have_text(visit.pseudonym)
    assert auditor.last_name not in store_page.content()
    pdf = store_page.request.get(f"{base}/audits/visits/{visit.pk}/?format=pdf")
    assert pdf.ok and pdf.headers["content-type"].startswith("application/pdf")
    assert len(pdf.body()) > 1000
    item = store_page.locator(f"[data-testid=visit-item][data-key='{keys[OFFER]}']")
    item.locator("details > summary").click()
    item.locator("[data-testid=appeal-comment]").fill("Кассир предложил карту, есть запись камеры")
    item.locator("[data-testid=appeal-send]").click()
    expect(item.locator("[data-testid=appeal]")).to_contain_text("запись камеры")
    item.locator("details > summary").click()
    item.locator("[data-testid=action-title]").fill("Повторить скрипт с кассирами")
    item.locator("[data-testid=action-owner]").select_option(str(manager.pk))
    item.locator("[data-testid=action-due]").fill(f"{local.date() + timedelta(days=14):%Y-%m-%d}")
    item.locator("[data-testid=action-open]").click()
    expect(item.locator("[data-testid=action]")).to_contain_text("Повторить скрипт")
    assert_accessible(store_page, what="the store manager's report")
    store_page.screenshot(path=str(screenshot_dir / "audit-visit-store.png"), full_page=True)
    store.close()

    # The LP manager accepts the appeal: the visit is rescored from its stored answers.
    page.goto(f"{base}/audits/appeals/")
    row = page.locator("[data-testid=appeal-row]")
    expect(row).to_have_count(1)
    row.locator("[data-testid=appeal-decision]").fill("Запись камеры подтверждает")
    row.locator("[data-testid=appeal-accept]").click()
    expect(page).to_have_url(f"{base}/audits/visits/{visit.pk}/")
    expect(page.locator("[data-testid=visit-score]")).not_to_have_text(score_before)
    before = visit.score
    visit.refresh_from_db()
    stored = VisitAnswer.objects.filter(visit=visit).values_list("question__key", "value", "na")
    answers = {key: Answer(value or None, na) for key, value, na in stored}
    assert answers[keys[OFFER]] == Answer("yes")
    assert visit.score == visit_score(checklist_spec(version=visit.version), answers).score
    assert (before, visit.score) == (55, 95)  # (1 + 0·2 + ¾ + 1) / 5, then (1 + 1·2 + ¾ + 1) / 5
    events = page.locator("[data-testid=visit-events]")
    expect(events).to_contain_text(_ru(VisitEventKind.APPEAL_ACCEPTED.label))
    expect(events).to_contain_text("55 % → 95 %")
    page.screenshot(path=str(screenshot_dir / "audit-visit-appeal-accepted.png"), full_page=True)
