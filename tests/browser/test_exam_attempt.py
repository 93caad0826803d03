"""A seller takes the LP exam on a phone: start, answer, autosave survives a reload,
submit, see the result, download the certificate; the public page confirms it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.org.choices import Role
from portal.org.tests.factories import PASSWORD, person
from training.models import AssignmentRule, Attempt
from training.scoring import score
from training.services.assignments import assignments_sync
from training.tests.factories import right_answer, sample_exam

from .conftest import assert_accessible, login

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _tokens(item) -> dict[str, str]:
    """The attempt's page tokens by authoring id (the page itself carries only tokens)."""
    return {i: t for part in item.presented.values() for t, i in part}


def _answer(question_form, item, answer):
    qtype, token = item.question.qtype, _tokens(item)
    if qtype == "single":
        question_form.locator(f"input[value='{token[answer['option']]}']").check()
    elif qtype == "multi":
        for option in answer["options"]:
            question_form.locator(f"input[value='{token[option]}']").check()
    elif qtype == "truefalse":
        question_form.locator(f"input[value={'true' if answer['value'] else 'false'}]").check()
    elif qtype in ("numeric", "shorttext"):
        question_form.locator("input[name=value]").fill(answer["value"])
    elif qtype == "matching":
        for left, right in answer["pairs"].items():
            rights = {i: t for t, i in item.presented["rights"]}
            lefts = {i: t for t, i in item.presented["lefts"]}
            question_form.locator(f"select[name='pair-{lefts[left]}']").select_option(rights[right])
    elif qtype == "ordering":
        for place, item_id in enumerate(answer["order"], 1):
            question_form.locator(f"select[name='place-{token[item_id]}']").select_option(
                str(place)
            )
    expect(question_form.locator("[data-testid=saved]")).to_be_visible()
    # Each change posts on its own: let the last one land before the next step (or a reload).
    question_form.page.wait_for_load_state("networkidle")


def _secrets(question) -> list[str]:
    data = question.data
    secrets = [question.general_feedback, data.get("feedback_true"), data.get("feedback_false")]
    secrets += [o.get("feedback") for o in data.get("options", [])]
    secrets += list(data.get("answers", []))
    return [s for s in secrets if s] + ['"fraction"']


def test_full_attempt_on_a_phone(browser, live_server, screenshot_dir):
    exam = sample_exam()
    seller = person(Role.STORE_STAFF, email="learner@example.ru")
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF)
    assignments_sync()
    phone = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = phone.new_page()
    base = live_server.url

    login(page, base, seller.email, PASSWORD)
    page.goto(f"{base}/training/")
    assert_accessible(page, what="the seller's training page")
    page.click("[data-testid=exam-start]")
    expect(page.locator("[data-testid=question]")).to_have_count(7)
    attempt = Attempt.objects.get(person=seller)
    sheet = {i.position: i for i in attempt.questions.select_related("question")}
    items = {position: i.question for position, i in sheet.items()}

    html = page.content()
    for question in items.values():  # nothing of the key reaches the browser
        for secret in _secrets(question):
            assert secret not in html, f"{question.name}: «{secret}» is in the page"
    forms = page.locator("[data-testid=question]")
    for position in (1, 2, 3):
        _answer(forms.nth(position - 1), sheet[position], right_answer(items[position]))

    page.reload()
    expect(forms).to_have_count(7)
    for position in (1, 2, 3):
        saved = attempt.questions.get(position=position)
        assert score(items[position].qtype, items[position].data, saved.answer) == 1
        expect(forms.nth(position - 1).locator(".saved-status")).to_contain_text("Сохран")

    for position in range(4, 8):
        _answer(forms.nth(position - 1), sheet[position], right_answer(items[position]))
    assert_accessible(page, what="the attempt page")
    page.screenshot(path=str(screenshot_dir / "exam-attempt-phone.png"), full_page=True)
    page.click("[data-testid=submit-attempt]")

    result = page.locator("[data-testid=result]")
    expect(result).to_have_attribute("data-passed", "true")
    assert_accessible(page, what="the result page")
    page.screenshot(path=str(screenshot_dir / "exam-result-phone.png"), full_page=True)
    href = page.locator("[data-testid=certificate-link]").get_attribute("href")
    pdf = phone.request.get(f"{base}{href}")
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    code = href.split("/")[-1].removesuffix(".pdf")
    anonymous = browser.new_context(locale="ru-RU").new_page()
    anonymous.goto(f"{base}/training/verify/")
    assert_accessible(anonymous, what="the certificate check's form")
    anonymous.fill("input[name=code]", code.lower())
    anonymous.click("[data-testid=verify-form] button[type=submit]")
    assert anonymous.url == f"{base}/training/verify/{code}/"
    expect(anonymous.locator("[data-testid=verify-result]")).to_have_attribute("data-valid", "true")
    expect(anonymous.locator("[data-testid=verify-fields]")).to_contain_text(seller.last_name)
    assert_accessible(anonymous, what="the certificate check")
    anonymous.context.close()
    phone.close()


def _seller_in_an_attempt(browser, live_server, email: str):
    """A seller the sample exam is addressed to, signed in, who has just started it: the
    page, the attempt and its short-text question."""
    exam = sample_exam()
    seller = person(Role.STORE_STAFF, email=email)
    AssignmentRule.objects.create(exam=exam, role=Role.STORE_STAFF)
    assignments_sync()
    page = browser.new_context(locale="ru-RU").new_page()
    login(page, live_server.url, seller.email, PASSWORD)
    page.goto(f"{live_server.url}/training/")
    page.click("[data-testid=exam-start]")
    expect(page.locator("[data-testid=question]")).to_have_count(7)
    attempt = Attempt.objects.get(person=seller)
    return page, attempt, attempt.questions.get(question__qtype="shorttext")


def test_typing_in_one_answer_saves_only_that_answer(browser, live_server):
    page, attempt, typed = _seller_in_an_attempt(browser, live_server, "typist@example.ru")
    base = live_server.url
    saves = []
    page.on(
        "request",
        lambda request: (
            saves.append(request.url)
            if request.method == "POST" and "/answers/" in request.url
            else None
        ),
    )

    form = page.locator(f"#q{typed.position}")
    form.locator("input[name=value]").press_sequentially("88005553535", delay=60)
    expect(form.locator("[data-testid=saved]")).to_be_visible()
    page.wait_for_timeout(1500)  # a second debounce window: nothing more may follow

    assert saves == [f"{base}/training/attempts/{attempt.pk}/answers/{typed.position}/"]
    typed.refresh_from_db()
    assert typed.answer == {"value": "88005553535"}
    assert attempt.questions.exclude(answer=None).count() == 1
    expect(page.locator("[data-testid=save-error]")).to_have_count(0)
    page.context.close()


def test_a_failed_save_shows_an_error_never_saved(browser, live_server):
    page, attempt, typed = _seller_in_an_attempt(browser, live_server, "offline@example.ru")
    form = page.locator(f"#q{typed.position}")
    form.locator("input[name=value]").fill("8 800")
    expect(form.locator("[data-testid=saved]")).to_be_visible()

    page.route(
        "**/answers/**",
        lambda route: route.fulfill(status=500, body="database is locked"),
    )
    form.locator("input[name=value]").fill("8 800 555 35 35")

    expect(form.locator("[data-testid=save-error]")).to_be_visible()
    expect(form.locator(".saved-status")).not_to_contain_text("Сохранено")
    page.context.close()
