"""The certificate's public check: the address printed on it, and the box to type a code."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from portal.org.tests.factories import person
from training.models import Certificate
from training.services.attempts import answers_save, attempt_start, attempt_submit
from training.tests.factories import right_answer, sample_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate() -> Certificate:
    seller = person("store_staff")
    attempt = attempt_start(person=seller, exam=sample_exam())
    answers = {
        item.position: right_answer(item.question)
        for item in attempt.questions.select_related("question")
    }
    answers_save(person=seller, attempt=attempt, answers=answers)
    attempt_submit(person=seller, attempt=attempt)
    return Certificate.objects.get(attempt=attempt)


def _printed_verify_url(client, certificate: Certificate, **headers) -> str:
    client.force_login(certificate.person)
    response = client.get(reverse("training:certificate", args=[certificate.code]), **headers)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return response.context["verify_url"]


@override_settings(PORTAL_BASE_URL="", ALLOWED_HOSTS=["127.0.0.1", "localhost"])
def test_without_a_base_url_the_certificate_links_to_the_address_it_was_opened_on(
    client, certificate
):
    # Given no PORTAL_BASE_URL, when the PDF is opened on the demo's other port
    url = _printed_verify_url(client, certificate, HTTP_HOST="localhost:8123")

    # Then its link (and QR) lead back to that port
    assert url == f"http://localhost:8123/training/verify/{certificate.code}/"


@override_settings(PORTAL_BASE_URL="https://lp.example.ru", ALLOWED_HOSTS=["localhost"])
def test_a_configured_base_url_wins_over_the_request(client, certificate):
    url = _printed_verify_url(client, certificate, HTTP_HOST="localhost:8123")
    assert url == f"https://lp.example.ru/training/verify/{certificate.code}/"


@override_settings(PORTAL_BASE_URL="", ALLOWED_HOSTS=["localhost"])
def test_a_host_outside_allowed_hosts_is_never_printed(client, certificate):
    # Given a forged Host header, when the PDF is asked for, then Django refuses it (400)
    client.force_login(certificate.person)
    response = client.get(
        reverse("training:certificate", args=[certificate.code]), HTTP_HOST="evil.example"
    )
    assert response.status_code == 400


def test_the_verify_page_offers_a_box_for_the_code(client, db):
    # Given an anonymous visitor holding a paper certificate
    response = client.get(reverse("training:verify_form"))

    # Then the page has a labelled box for the code (in Russian)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="code"' in html and "Код проверки" in html


def test_a_typed_code_goes_on_to_its_check(client, certificate):
    # Given a code typed in lower case with a space, as read off the paper
    typed = f"{certificate.code[:6].lower()} {certificate.code[6:].lower()}"

    # When the form is sent, then the check of that certificate answers
    response = client.get(reverse("training:verify_form"), {"code": typed}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("training:verify", args=[certificate.code])
    assert 'data-valid="true"' in response.content.decode()


def test_a_code_with_other_characters_is_refused_on_the_form(client, db):
    response = client.get(reverse("training:verify_form"), {"code": "<script>"})
    assert response.status_code == 200
    assert "латинские буквы и цифры" in response.content.decode()
