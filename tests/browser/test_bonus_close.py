"""A full close of an Avtorus-style scheme, through the pages only.

HQ sets the scheme up for a region of eight stores (zero-sum on LP penetration, monthly,
all store staff, equal shares, the 3 best and the 3 worst, 3,000 ₽ deducted, capped at
10,000 ₽) and closes last month from the scheme's page: the statement opens for
disputes with HQ as its preparer. The regional manager reviews the ranking and the lines
(they balance to 0.00); the manager of the worst store disputes a seller's deduction;
the regional manager rejects the dispute with a reason and approves. The preparer is
shown why there is no approve button for them (and a forged POST is refused); a second
HQ person approves and the statement locks. The payroll XLSX and the store's PDF
download; the seller, on a phone, sees their −3,000 ₽ line and why."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from kpi.bonus.choices import (
    DisputeStatus,
    LineKind,
    Mode,
    Payees,
    PeriodKind,
    Scope,
    Split,
    StatementEventKind,
    StatementStatus,
)
from kpi.bonus.explain import line_explanation
from kpi.bonus.models import Dispute, Line, Scheme, Statement, StatementEvent
from kpi.bonus.scheme_display import scheme_rules
from kpi.periods import Period, month_of
from portal.numbers import Kind, format_number
from portal.org.models import Store, User
from portal.org.tests.factories import PASSWORD

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCHEME_NAME = "Мотивация — демотивация: Регион RX"
# Stores RX001…RX008: the 3 best are RX001-RX003, the 3 worst RX006-RX008.
PENETRATIONS = [72, 66, 61, 55, 50, 44, 38, 31]
STAFF_PER_STORE = 3  # sellers; each store has its manager too
DEDUCTION = Decimal(3000)
CAP = Decimal(10_000)
DISPUTE = "Продавец была на больничном две недели — просим не удерживать."
DECISION = "Больничный начался после периода: удержание верно."
SELLER = {"last_name": "Соколова", "first_name": "Дарья", "middle_name": "Игоревна"}
MANAGER = {"last_name": "Орлов", "first_name": "Пётр", "middle_name": "Ильич"}


def _ru(text) -> str:
    with translation.override("ru"):
        return str(text)


def _ru_gettext(message: str, **values) -> str:
    with translation.override("ru"):
        return translation.gettext(message) % values if values else translation.gettext(message)


def _money(value: Decimal, *, signed: bool = False) -> str:
    with translation.override("ru"):
        return format_number(value, Kind.MONEY, signed=signed)


def _said(text: str) -> str:
    """A line of a page's text, its spaces as the browser gives them (no-break ones
    included) made plain."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()


@dataclass
class World:
    base: str
    period: Period
    region_pk: int
    stores: list[Store]
    hq: User
    hq_second: User
    regional: User
    manager: User  # of the worst store
    seller: User  # of the worst store


@pytest.fixture
def world(browser, live_server) -> World:
    """A region of eight stores with last month's store days at distinct penetrations,
    four people each (the manager and three sellers), its regional manager and two LP
    managers (HQ), everyone with the factories' known password."""
    from kpi.bonus.tests.factories import chain

    period = month_of(timezone.localdate()).previous()
    c = chain(PENETRATIONS, period=period, staff_per_store=STAFF_PER_STORE)
    worst = c.stores[-1]
    manager, seller = c.staff[worst.pk][0], c.staff[worst.pk][1]
    for person, names in ((manager, MANAGER), (seller, SELLER)):
        for field, value in names.items():
            setattr(person, field, value)
        person.save()
    return World(
        base=live_server.url,
        period=period,
        region_pk=c.region.pk,
        stores=c.stores,
        hq=c.hq,
        hq_second=c.hq_second,
        regional=c.regional,
        manager=manager,
        seller=seller,
    )


def _signed_in(browser, w: World, person: User, *, phone: bool = False):
    """A browser of `person`'s own, signed in (the second factor enrolled at the first
    login, as HQ and regional managers do)."""
    if phone:
        options = {
            "viewport": {"width": 390, "height": 844},
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
        }
    else:
        options = {"viewport": {"width": 1280, "height": 900}}
    context = browser.new_context(locale="ru-RU", **options)
    context.set_default_timeout(15_000)
    page = context.new_page()
    login(page, w.base, person.email, PASSWORD)
    assert page.url == f"{w.base}/", f"{person.role} did not reach the dashboard: {page.url}"
    return page


def _scheme_set_up(page, w: World) -> Scheme:
    """HQ fills «new scheme» as Avtorus ran it and saves."""
    starts_on = w.period.shifted(-2).start  # three months ago, last month included
    page.goto(f"{w.base}{reverse('bonus:scheme_new')}")
    form = page.locator("[data-testid=scheme-form]")
    expect(form).to_be_visible()
    form.locator("[name=name]").fill(SCHEME_NAME)
    form.locator("[name=metric]").select_option("penetration")
    form.locator("[name=period]").select_option(PeriodKind.MONTH.value)
    form.locator("[name=scope]").select_option(Scope.REGION.value)
    form.locator(f"input[name=regions][value='{w.region_pk}']").check()
    form.locator("[name=payees]").select_option(Payees.STAFF.value)
    form.locator("[name=mode]").select_option(Mode.ZERO_SUM.value)
    form.locator("[name=split]").select_option(Split.EQUAL.value)
    form.locator("[name=top_n]").fill("3")
    form.locator("[name=bottom_n]").fill("3")
    form.locator("[name=deduction]").fill("3000")
    form.locator("[name=deduction_cap]").fill("10000")
    form.locator("[name=starts_on]").fill(starts_on.isoformat())
    assert_accessible(page, what="the new scheme form, filled")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/bonus/schemes/\d+/$"))
    scheme = Scheme.objects.get(name=SCHEME_NAME)
    assert page.url == f"{w.base}{reverse('bonus:scheme', args=[scheme.pk])}"
    assert (scheme.mode, scheme.metric, scheme.period, scheme.scope, scheme.payees) == (
        Mode.ZERO_SUM,
        "penetration",
        PeriodKind.MONTH,
        Scope.REGION,
        Payees.STAFF,
    )
    assert (scheme.split, scheme.top_n, scheme.bottom_n) == (Split.EQUAL, 3, 3)
    assert (scheme.award, scheme.deduction, scheme.deduction_cap, scheme.budget_cap) == (
        Decimal("0.00"),
        DEDUCTION,
        CAP,
        None,
    )
    assert scheme.starts_on == starts_on and scheme.created_by == w.hq
    assert list(scheme.regions.values_list("pk", flat=True)) == [w.region_pk]
    return scheme


def _statement_closed(page, w: World, scheme: Scheme) -> Statement:
    """HQ closes last month with the close form on the scheme's page."""
    close = page.locator("[data-testid=close-form]")
    close.locator("[name=period]").select_option(w.period.slug)
    close.locator("[data-testid=close-submit]").click()
    page.wait_for_load_state("networkidle")
    with translation.override("ru"):
        label = w.period.label  # «Ноябрь 2026»
    closed = _ru_gettext(
        "%(period)s is closed: %(n)s statement(s) open for disputes. You prepared them, "
        "so another person approves them.",
        period=label,
        n=1,
    )
    expect(page.locator("body")).to_contain_text(closed)
    statement = Statement.objects.get(scheme=scheme)
    assert (statement.status, statement.starts_on, statement.ends_on) == (
        StatementStatus.REVIEW,
        w.period.start,
        w.period.end,
    )
    assert statement.prepared_by == w.hq
    rows = page.locator("[data-testid=scheme-statements] [data-testid=statement-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(_ru(StatementStatus.REVIEW.label))
    return statement


def _xlsx_rows(path) -> list[tuple]:
    from openpyxl import load_workbook

    # A download's path has no extension, which openpyxl reads as «not a workbook».
    sheet = load_workbook(io.BytesIO(path.read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    # The header, one row per line, then a total per code (its first cell empty).
    return [row for row in rows[1:] if row[0]]


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return _said(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def test_a_full_close_from_the_scheme_to_the_sellers_line(browser, world):
    w = world
    stores_by_rank = w.stores  # the penetrations fall with the store's number
    worst = stores_by_rank[-1]

    # HQ sets the scheme up; its page shows the cap and the tie rule.
    hq = _signed_in(browser, w, w.hq)
    hq.goto(f"{w.base}{reverse('bonus:scheme_new')}")
    assert_accessible(hq, what="the new scheme form")
    scheme = _scheme_set_up(hq, w)
    with translation.override("ru"):
        rules = scheme_rules(scheme)
    expect(hq.locator("[data-testid=setting-cap]")).to_have_text(_money(CAP))
    assert _said(hq.locator("[data-testid=rule-cap]").inner_text()) == _said(rules["cap"])
    assert _said(hq.locator("[data-testid=rule-ties]").inner_text()) == _said(rules["ties"])
    assert_accessible(hq, what="the scheme's page")

    # HQ closes last month: the statement opens for disputes, HQ its preparer.
    statement = _statement_closed(hq, w, scheme)
    statement_url = f"{w.base}{reverse('bonus:statement', args=[statement.pk])}"

    # The regional manager reviews: the ranking, the lines, a balance of 0.00.
    regional = _signed_in(browser, w, w.regional)
    regional.goto(statement_url)
    expect(regional.locator("[data-testid=statement-status]")).to_have_attribute(
        "data-status", StatementStatus.REVIEW
    )
    ranking = regional.locator("[data-testid=store-results] tbody tr")
    expect(ranking).to_have_count(len(PENETRATIONS))
    assert [row.get_attribute("data-store") for row in ranking.all()] == [
        s.code for s in stores_by_rank
    ]
    assert [row.get_attribute("data-outcome") for row in ranking.all()] == (
        ["top"] * 3 + ["middle"] * 2 + ["bottom"] * 3
    )
    people = 1 + STAFF_PER_STORE
    lines = regional.locator("[data-testid=line]")
    expect(lines).to_have_count(6 * people)
    pool = 3 * people * DEDUCTION
    expect(regional.locator("[data-testid=total-awarded]")).to_have_text(_money(pool))
    expect(regional.locator("[data-testid=total-deducted]")).to_have_text(_money(pool))
    expect(regional.locator("[data-testid=total-balance]")).to_have_text(
        _money(Decimal("0.00"), signed=True)
    )
    expect(regional.locator("[data-testid=statement-approve]")).to_have_count(1)
    assert_accessible(regional, what="the statement, open for disputes, as the regional manager")

    # The worst store's manager disputes the seller's deduction with a comment.
    manager = _signed_in(browser, w, w.manager)
    manager.goto(statement_url)
    seller_line = Line.objects.get(statement=statement, person=w.seller)
    assert (seller_line.kind, seller_line.amount) == (LineKind.DEDUCTION, -DEDUCTION)
    own_lines = manager.locator("[data-testid=line]")
    expect(own_lines).to_have_count(people)  # only their own store's
    line = manager.locator(f"[data-testid=line][data-line='{seller_line.pk}']")
    expect(line.locator("[data-testid=line-amount]")).to_have_text(_money(-DEDUCTION, signed=True))
    line.locator("[data-testid=line-dispute]").click()
    manager.wait_for_url(re.compile(r"/bonus/lines/\d+/dispute/$"))
    assert_accessible(manager, what="the dispute form")
    manager.locator("[data-testid=dispute-form] [name=comment]").fill(DISPUTE)
    manager.locator("[data-testid=dispute-send]").click()
    manager.wait_for_url(statement_url)
    expect(
        manager.locator(
            f"[data-testid=line][data-line='{seller_line.pk}'] [data-testid=line-disputed]"
        )
    ).to_be_visible()
    dispute = Dispute.objects.get(statement=statement)
    assert (dispute.person, dispute.raised_by, dispute.amount, dispute.comment) == (
        w.seller,
        w.manager,
        -DEDUCTION,
        DISPUTE,
    )

    # The regional manager rejects it with a reason, then approves.
    regional.reload()
    expect(regional.locator("[data-testid=statement-approve]")).to_have_count(0)
    expect(regional.locator("[data-testid=approval-refusal]")).to_have_text(
        [_ru_gettext("Decide the open disputes first.")]
    )
    decision = regional.locator(f"[data-testid=dispute][data-dispute='{dispute.pk}']")
    expect(decision).to_contain_text(DISPUTE)
    decision.locator(f"#reject-{dispute.pk}").check()
    decision.locator(f"#decision-{dispute.pk}").fill(DECISION)
    decision.locator("[data-testid=decide]").click()
    regional.wait_for_load_state("networkidle")
    decided = regional.locator(f"[data-testid=dispute][data-dispute='{dispute.pk}']")
    expect(decided).to_have_attribute("data-status", DisputeStatus.REJECTED)
    expect(decided.locator("[data-testid=dispute-decision]")).to_contain_text(DECISION)
    regional.locator("[data-testid=statement-approve]").click()
    expect(regional.locator("[data-testid=statement-status]")).to_have_attribute(
        "data-status", StatementStatus.REGION_APPROVED
    )

    # The preparer has no approve button, and is told why; a forged POST is refused too.
    hq.goto(statement_url)
    expect(hq.locator("[data-testid=statement-status]")).to_have_attribute(
        "data-status", StatementStatus.REGION_APPROVED
    )
    expect(hq.locator("[data-testid=statement-approve]")).to_have_count(0)
    expect(hq.locator("[data-testid=approval-refusal]")).to_contain_text(
        [_ru_gettext("You prepared this statement.")]
    )
    token = hq.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    forged = hq.request.post(
        f"{w.base}{reverse('bonus:statement_approve', args=[statement.pk])}",
        form={"csrfmiddlewaretoken": token},
        headers={"Referer": statement_url},
    )
    assert forged.ok and forged.url == statement_url
    assert _ru_gettext("You prepared this statement.") in _said(
        re.sub(r"<[^>]+>", " ", forged.text().replace("&#x27;", "'"))
    )
    statement.refresh_from_db()
    assert (statement.status, statement.hq_approved_by) == (StatementStatus.REGION_APPROVED, None)

    # The second HQ person approves: locked. The payroll XLSX and the store's PDF download.
    second = _signed_in(browser, w, w.hq_second)
    second.goto(statement_url)
    second.locator("[data-testid=statement-approve]").click()
    expect(second.locator("[data-testid=statement-status]")).to_have_attribute(
        "data-status", StatementStatus.LOCKED
    )
    assert_accessible(second, what="the locked statement, as HQ")
    with second.expect_download() as download_info:
        second.click("[data-testid=payroll-xlsx]")
    payroll = download_info.value
    assert payroll.suggested_filename.endswith(f"-{w.period.slug}.xlsx")
    exported = _xlsx_rows(payroll.path())
    locked = list(
        Line.objects.filter(statement=statement)
        .select_related("store")
        .order_by("store__code", "personnel_number", "pk")
    )
    assert [
        (
            row[0],
            row[1],
            row[2],
            row[3],
            Decimal(str(row[5])) * (-1 if row[4] == scheme.deduction_code else 1),
        )
        for row in exported
    ] == [
        (line.personnel_number, line.name, line.store.code, w.period.slug, line.amount)
        for line in locked
    ]
    assert {row[4] for row in exported} == {scheme.accrual_code, scheme.deduction_code}
    assert sum(Decimal(str(r[5])) for r in exported if r[4] == scheme.deduction_code) == pool
    # The store's PDF is served inline: Chromium opens it in its viewer (no download
    # event, and the viewer's navigation keeps no body), so the link the page shows is
    # fetched with the page's own session.
    store_link = second.locator(
        f"[data-testid=store-lines][data-store='{worst.code}'] [data-testid=store-pdf]"
    )
    store_pdf = second.request.get(f"{w.base}{store_link.get_attribute('href')}")
    assert store_pdf.status == 200
    assert store_pdf.headers["content-type"] == "application/pdf"
    assert f"-{w.period.slug}.pdf" in store_pdf.headers["content-disposition"]
    text = _pdf_text(store_pdf.body())
    assert worst.code in text and worst.name in text, text[:500]
    assert seller_line.name in text and w.seller.personnel_number in text, text[:800]

    # The seller, on a phone: «My bonus» and the dashboard show the line and why.
    with translation.override("ru"):
        why = line_explanation(seller_line)
    assert str(len(PENETRATIONS)) in why  # ranked 8 of 8
    seller = _signed_in(browser, w, w.seller, phone=True)
    panel = seller.locator("[data-testid=panel-own-bonus]")
    expect(panel.locator("[data-testid=panel-own-amount]")).to_have_text(
        _money(-DEDUCTION, signed=True)
    )
    assert _said(panel.locator("[data-testid=panel-own-explanation]").inner_text()) == _said(why)
    seller.goto(f"{w.base}{reverse('bonus:mine')}")
    own = seller.locator("[data-testid=own-line]")
    expect(own).to_have_count(1)
    expect(own.locator("[data-testid=own-amount]")).to_have_text(_money(-DEDUCTION, signed=True))
    assert _said(own.locator("[data-testid=own-explanation]").inner_text()) == _said(why)
    overflow = seller.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"«My bonus» scrolls sideways by {overflow}px on a phone"
    assert_accessible(seller, what="«My bonus» on a phone")

    # What the database keeps: every step in order, by whom, and the file as the lines.
    kinds = list(
        StatementEvent.objects.filter(statement=statement)
        .order_by("at", "pk")
        .values_list("kind", "actor")
    )
    assert kinds == [
        (StatementEventKind.DRAFTED, w.hq.pk),
        (StatementEventKind.OPENED, w.hq.pk),
        (StatementEventKind.DISPUTED, w.manager.pk),
        (StatementEventKind.DISPUTE_REJECTED, w.regional.pk),
        (StatementEventKind.REGION_APPROVED, w.regional.pk),
        (StatementEventKind.LOCKED, w.hq_second.pk),
        (StatementEventKind.EXPORTED, w.hq_second.pk),
    ]
    statement.refresh_from_db()
    assert (statement.status, statement.prepared_by, statement.changed_by) == (
        StatementStatus.LOCKED,
        w.hq,
        None,
    )
    assert (statement.region_approved_by, statement.hq_approved_by) == (w.regional, w.hq_second)
    assert statement.awarded == statement.deducted == pool
    assert sum(line.amount for line in locked) == Decimal("0.00")
    assert len(exported) == len(locked) == 6 * people

    for page in (hq, regional, manager, second, seller):
        page.context.close()
