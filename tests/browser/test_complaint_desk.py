"""«Points not credited» from the call to the customer's rating, end to end.

An agent takes a call: finds the customer by phone (their earlier ticket shows), picks
«bonus points not credited» with its digit key (the script shows beside the form), gives
the store and the receipt number and files with Ctrl+Enter; the ticket page shows the
script. The receipt is in the store's POS data (loaded by the real import) but was rung up
without a card: the lookup says «found, not identified», and the agent requests a manual
credit. A supervisor (second factor) approves it; the agent resolves with «points credited
by hand». The customer, on a phone, rates the answer through the e-mailed one-use link
(a second visit is told it was used) and follows every step on the public status page."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone, translation
from playwright.sync_api import expect

from incidents.choices import (
    Category,
    Channel,
    CreditStatus,
    ReceiptFinding,
    ResolutionCode,
    RootCause,
    Status,
    TicketEventKind,
)
from incidents.models import Ticket
from portal.org.choices import Role
from portal.org.tests.factories import PASSWORD

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PHONE = "+7 916 123-45-67"
EMAIL = "maria@example.ru"
CARD = "2771234567"
SCRIPT_TITLE = "Скрипт: бонусы не начислены"
SCRIPT_TRIGGER = "Я купила продукты, а баллы на карту не пришли"
POINTS = 350


def _ru(text) -> str:
    """A label or message as the portal (in Russian) renders it, whatever the catalogue
    holds today."""
    with translation.override("ru"):
        return str(text)


def _ru_gettext(message: str, **values) -> str:
    with translation.override("ru"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def _ids_unique(page) -> None:
    """Each id once on the page: a label `for` a repeated id names only the first control."""
    repeated = page.evaluate(
        """() => { const seen = {}; document.querySelectorAll("[id]").forEach(
            (el) => { seen[el.id] = (seen[el.id] || 0) + 1; });
            return Object.keys(seen).filter((id) => seen[id] > 1); }"""
    )
    assert not repeated, f"ids repeated on {page.url}: {repeated}"


def _script_publish():
    """The live script of «bonus points not credited» in the SOP library, as editors make it."""
    import json
    import uuid

    from portal.sop.choices import ChangeKind, ComplaintCategory
    from portal.sop.models import ScriptPage
    from portal.sop.tests.factories import sop_index

    page = ScriptPage(
        title=SCRIPT_TITLE,
        slug="script-bonus-not-credited",
        summary="Что делать, если баллы за покупку не начислены",
        audience_roles=["store_staff", "call_center_agent", "call_center_supervisor"],
        category=ComplaintCategory.BONUS_NOT_CREDITED,
        trigger=SCRIPT_TRIGGER,
        steps=json.dumps(
            [
                {
                    "type": "step",
                    "value": {"say": "Продиктуйте, пожалуйста, номер чека.", "do": ""},
                    "id": str(uuid.uuid4()),
                }
            ]
        ),
        phrases_to_use="Сейчас проверим ваш чек",
        phrases_to_avoid="Это не к нам",
        escalation="Чек не идентифицирован — ручное начисление через старшего оператора.",
        change_kind=ChangeKind.MATERIAL,
    )
    sop_index().add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def cast(browser, live_server, world):
    """The desk's people, the customer's earlier ticket, the script and a day of receipts,
    all made by the real services."""
    from incidents.services.intake import Intake, ticket_file
    from incidents.tests.factories import desk_member
    from kpi.services import receipts_import
    from kpi.tests.factories import receipts_file

    agent = world.people[Role.CALL_CENTER_AGENT]
    supervisor = world.people[Role.CALL_CENTER_SUPERVISOR]
    desk_member(agent)  # every queue of the desk's default set-up
    earlier = ticket_file(
        Intake(
            channel=Channel.PHONE,
            category=Category.ACCOUNT_LOGIN,
            description="Не приходит код для входа в личный кабинет.",
            customer_name="Иванова Мария",
            customer_phone=PHONE,
            card_number=CARD,
        ),
        actor=agent,
    )
    _script_publish()
    # Yesterday's three receipts of store A1, the first with a card: the customer's is the
    # third (rung up without the card).
    day = timezone.localdate() - timedelta(days=1)
    store = world.store_a1
    receipts_import(actor=None, content=receipts_file(store.code, day, receipts=3, identified=1))
    return live_server.url, agent, supervisor, earlier, store, f"{day:%y%m%d}-2"


def test_points_not_credited_from_the_call_to_the_customers_rating(
    browser, page, phone, cast, screenshot_dir
):
    base, agent, supervisor, earlier, store, receipt = cast
    mail.outbox.clear()

    # The agent takes the call and finds the customer by phone: the earlier ticket shows.
    login(page, base, agent.email, PASSWORD)
    page.goto(f"{base}/incidents/")
    expect(page.locator("[data-testid=tickets]")).to_be_visible()
    assert_accessible(page, what="the desk's list")
    page.click("[data-testid=new-ticket]")
    expect(page).to_have_url(f"{base}/incidents/new/")
    search = page.locator("[data-testid=customer-search]")
    expect(search).to_be_focused()
    search.fill(PHONE)
    search.press("Enter")
    history = page.locator("[data-testid=customer-history]")
    expect(history).to_contain_text(earlier.number)
    form = page.locator("[data-testid=intake-form]")
    expect(form.locator("[name=customer_phone]")).to_have_value(PHONE)
    expect(form.locator("[name=customer_name]")).to_have_value("Иванова Мария")
    expect(form.locator("[name=card_number]")).to_have_value(CARD)
    form.locator("[name=customer_email]").fill(EMAIL)

    # Keyboard first: Tab into the categories, «4» picks «bonus points not credited».
    script_panel = page.locator("[data-testid=intake-script]")
    expect(script_panel).to_be_hidden()
    page.keyboard.press("Tab")
    page.keyboard.press("4")
    expect(
        form.locator(f"input[name=category][value={Category.BONUS_NOT_CREDITED}]")
    ).to_be_checked()
    expect(script_panel).to_be_visible()
    expect(script_panel).to_contain_text(SCRIPT_TITLE)
    expect(script_panel).to_contain_text(SCRIPT_TRIGGER)
    form.locator("[name=store]").fill(store.code)
    form.locator("[name=receipt_number]").fill(receipt)
    description = form.locator("[name=description]")
    description.fill("Купила продукты вчера в A1, баллы за покупку не начислены.")
    assert_accessible(page, what="the agent's intake form")
    _ids_unique(page)
    page.screenshot(path=str(screenshot_dir / "desk-intake.png"), full_page=True)
    description.press("Control+Enter")
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert page.url == f"{base}{ticket.get_absolute_url()}"
    assert (ticket.category, ticket.store, ticket.receipt_number) == (
        Category.BONUS_NOT_CREDITED,
        store,
        receipt,
    )
    assert (ticket.customer_phone, ticket.customer_email, ticket.assignee) == (
        "79161234567",
        EMAIL,
        agent,
    )

    # The ticket page: the script beside it, the receipt looked up in the POS data.
    script = page.locator("[data-testid=script]")
    expect(script).to_contain_text(SCRIPT_TITLE)
    expect(script).to_contain_text("Продиктуйте, пожалуйста, номер чека.")
    lookup = page.locator("[data-testid=receipt] form:has([data-testid=lookup])")
    expect(lookup.locator("[name=store]")).to_have_value(store.code)
    expect(lookup.locator("[name=number]")).to_have_value(receipt)
    lookup.locator("[data-testid=lookup]").click()
    finding = page.locator("[data-testid=receipt-finding]")
    expect(finding).to_contain_text(_ru(ReceiptFinding.NOT_IDENTIFIED.label))
    expect(finding).to_contain_text(receipt)
    expect(page.locator("[data-testid=next-step]")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.receipt_finding, ticket.receipt_card) == (ReceiptFinding.NOT_IDENTIFIED, "")
    assert ticket.receipt_loaded_at is not None

    # The manual credit, requested by the agent.
    credit_form = page.locator("form:has([data-testid=request-credit])")
    credit_form.locator("[name=points]").fill(str(POINTS))
    credit_form.locator("[name=reason]").fill("Чек найден без карты, покупательница назвала карту.")
    assert_accessible(page, what="the ticket page, the credit being requested")
    _ids_unique(page)
    credit_form.locator("[data-testid=request-credit]").click()
    credit = page.locator("[data-testid=credit]")
    expect(credit).to_have_count(1)
    expect(credit).to_contain_text(_ru(CreditStatus.PENDING.label))
    expect(credit).to_contain_text(str(POINTS))
    expect(page.locator("[data-testid=approve-credit]")).to_have_count(0)  # a supervisor decides
    expect(page.locator("[data-testid=request-credit]")).to_have_count(0)  # one at a time

    # The supervisor signs in (second factor) and approves it.
    boss_context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    boss_context.set_default_timeout(15_000)
    boss = boss_context.new_page()
    login(boss, base, supervisor.email, PASSWORD)
    boss.goto(f"{base}{ticket.get_absolute_url()}")
    boss.locator("[data-testid=approve-credit]").click()
    expect(boss.locator("[data-testid=credit]")).to_contain_text(_ru(CreditStatus.APPROVED.label))
    expect(boss.locator("[data-testid=approve-credit]")).to_have_count(0)
    boss_context.close()
    decided = ticket.credits.get()
    assert (decided.status, decided.decided_by, decided.points) == (
        CreditStatus.APPROVED,
        supervisor,
        Decimal(POINTS),
    )

    # The agent resolves: points credited by hand, the cashier did not identify the receipt.
    page.reload()
    expect(page.locator("[data-testid=credit]")).to_contain_text(_ru(CreditStatus.APPROVED.label))
    resolve = page.locator("[data-testid=resolve-form]")
    resolve.locator("[name=code]").select_option(ResolutionCode.CREDITED.value)
    resolve.locator("[name=root_cause]").select_option(RootCause.CASHIER_NOT_IDENTIFIED.value)
    resolve.locator("[name=note]").fill(f"Начислено вручную {POINTS} баллов.")
    resolve.locator("[data-testid=resolve]").click()
    expect(page.locator("[data-testid=ticket-status]")).to_have_text(_ru(Status.RESOLVED.label))
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolution_code, ticket.root_cause) == (
        Status.RESOLVED,
        ResolutionCode.CREDITED,
        RootCause.CASHIER_NOT_IDENTIFIED,
    )
    page.screenshot(path=str(screenshot_dir / "desk-ticket-resolved.png"), full_page=True)

    # The customer's e-mail carries the one-use rating link.
    rating_mails = [m for m in mail.outbox if EMAIL in m.to and "/rate/" in m.body]
    assert len(rating_mails) == 1, [(m.to, m.subject) for m in mail.outbox]
    found = re.search(r"https?://[^/\s]+(/incidents/rate/[^/\s]+/)", rating_mails[0].body)
    assert found, rating_mails[0].body
    rate_url = f"{base}{found.group(1)}"

    # On the phone, no login: rate 5 with a comment; the link then says it was used.
    phone.goto(rate_url)
    rate_form = phone.locator("[data-testid=public-rate-form]")
    rate_form.locator("input[name=rating][value='5']").check()
    rate_form.locator("[name=comment]").fill("Быстро разобрались, спасибо!")
    rate_form.locator("button[type=submit]").click()
    expect(phone.locator("[data-testid=public-rated]")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.csat_rating, ticket.csat_comment) == (5, "Быстро разобрались, спасибо!")
    again = phone.goto(rate_url)
    assert again.status == 410
    expect(phone.locator("[data-testid=public-rate-gone]")).to_be_visible()
    expect(phone.locator("[data-testid=public-rate-form]")).to_have_count(0)

    # The public status page by number and phone: each step, in order.
    phone.goto(f"{base}/incidents/complaint/status/")
    lookup_form = phone.locator("[data-testid=public-lookup-form]")
    lookup_form.locator("[name=number]").fill(ticket.number)
    lookup_form.locator("[name=customer_phone]").fill("8 916 123 45 67")
    lookup_form.locator("button[type=submit]").click()
    expect(phone.locator("[data-testid=public-ticket-status]")).to_have_attribute(
        "data-status", Status.RESOLVED
    )
    timeline = phone.locator("[data-testid=public-timeline] > li")
    with translation.override("ru"):
        from portal.numbers import format_number

        points = format_number(Decimal(POINTS), "decimal")
    expected = [
        _ru_gettext("We received your request."),
        _ru_gettext("We checked your receipt in the store's data."),
        _ru_gettext("We asked for the points to be credited by hand."),
        _ru_gettext("The manual credit of %(points)s points is approved.", points=points),
        _ru_gettext("Your request is resolved."),
        _ru_gettext("You rated our answer: %(rating)s of 5.", rating=5),
    ]
    expect(timeline.first).to_be_visible()
    steps = [text.strip() for text in timeline.all_inner_texts()]
    at = 0
    for words in expected:  # each step present, after the one before it
        later = [n for n, text in enumerate(steps) if n >= at and words in text]
        assert later, f"«{words}» is missing after step {at} of the timeline: {steps}"
        at = later[0] + 1
    assert_accessible(phone, what="the customer's status page on a phone")
    phone.screenshot(path=str(screenshot_dir / "desk-public-status-phone.png"), full_page=True)

    # The desk's own history has every step too.
    page.reload()
    desk_history = page.locator("[data-testid=history]")
    for kind in (
        TicketEventKind.CREATED,
        TicketEventKind.RECEIPT_CHECKED,
        TicketEventKind.CREDIT_REQUESTED,
        TicketEventKind.CREDIT_DECIDED,
        TicketEventKind.RATED,
    ):
        expect(desk_history).to_contain_text(_ru(kind.label))
