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


def _answer(question_form, question, answer):
    qtype = question.qtype
    if qtype == "single":
        question_form.locator(f"input[value={answer['option']}]").check()
    elif qtype == "multi":
        for option in answer["options"]:
            question_form.locator(f"input[value={option}]").check()
    elif qtype == "truefalse":
        question_form.locator(f"input[value={'true' if answer['value'] else 'false'}]").check()
    elif qtype in ("numeric", "shorttext"):
        field = question_form.locator("input[name=value]")
        field.fill(answer["value"])
        field.dispatch_event("change")
    elif qtype == "matching":
        for left, right in answer["pairs"].items():
            question_form.locator(f"select[name=pair-{left}]").select_option(right)
    elif qtype == "ordering":
        for place, item in enumerate(answer["order"], 1):
            question_form.locator(f"select[name=place-{item}]").select_option(str(place))
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
    items = {i.position: i.question for i in attempt.questions.select_related("question")}

    html = page.content()
    for question in items.values():  # nothing of the key reaches the browser
        for secret in _secrets(question):
            assert secret not in html, f"{question.name}: «{secret}» is in the page"
    forms = page.locator("[data-testid=question]")
    for position in (1, 2, 3):
        _answer(forms.nth(position - 1), items[position], right_answer(items[position]))

    page.reload()
    expect(forms).to_have_count(7)
    for position in (1, 2, 3):
        saved = attempt.questions.get(position=position)
        assert score(items[position].qtype, items[position].data, saved.answer) == 1
        expect(forms.nth(position - 1).locator(".saved-status")).to_contain_text("Сохран")

    for position in range(4, 8):
        _answer(forms.nth(position - 1), items[position], right_answer(items[position]))
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
