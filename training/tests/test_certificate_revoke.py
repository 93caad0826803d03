"""Withdrawing a certificate: HQ only, a reason required, an event row; the public check,
the PDF and coverage then treat it as withdrawn."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from portal.org.choices import Role
from portal.org.tests.factories import person
from training.choices import AttemptEventKind
from training.models import AttemptEvent, Certificate
from training.selectors.status import CertStatus, certification_of
from training.services.attempts import answers_save, attempt_start, attempt_submit
from training.services.certificates import CertificateRevokeRefused, certificate_revoke
from training.tests.factories import right_answer, sample_exam

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate() -> Certificate:
    seller = person(Role.STORE_STAFF)
    attempt = attempt_start(person=seller, exam=sample_exam())
    answers = {
        item.position: right_answer(item.question)
        for item in attempt.questions.select_related("question")
    }
    answers_save(person=seller, attempt=attempt, answers=answers)
    attempt_submit(person=seller, attempt=attempt)
    return Certificate.objects.get(attempt=attempt)


@pytest.fixture
def lp_manager():
    return person(Role.LP_MANAGER)


def test_withdrawing_keeps_the_reason_and_records_who_did_it(certificate, lp_manager):
    revoked = certificate_revoke(certificate, actor=lp_manager, reason="  Сдавал  не сам ")

    assert revoked.revoked_at is not None and revoked.revoked_reason == "Сдавал не сам"
    event = AttemptEvent.objects.get(kind=AttemptEventKind.CERTIFICATE_REVOKED)
    assert (event.attempt_id, event.actor, event.payload) == (
        certificate.attempt_id,
        lp_manager,
        {"code": certificate.code, "reason": "Сдавал не сам"},
    )


def test_withdrawing_twice_keeps_the_first_date_and_reason(certificate, lp_manager):
    first = certificate_revoke(certificate, actor=lp_manager, reason="Ошибка выдачи")
    again = certificate_revoke(certificate, actor=person(Role.ADMIN), reason="Другая")

    assert (again.revoked_at, again.revoked_reason) == (first.revoked_at, "Ошибка выдачи")
    assert AttemptEvent.objects.filter(kind=AttemptEventKind.CERTIFICATE_REVOKED).count() == 1


def test_a_reason_is_required(certificate, lp_manager):
    with pytest.raises(CertificateRevokeRefused):
        certificate_revoke(certificate, actor=lp_manager, reason="   ")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


@pytest.mark.parametrize("role", [Role.STORE_MANAGER, Role.REGIONAL_MANAGER, Role.STORE_STAFF])
def test_only_hq_withdraws(certificate, role):
    with pytest.raises(PermissionDenied):
        certificate_revoke(certificate, actor=person(role), reason="Нет")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_check_shows_a_withdrawn_certificate_with_its_date(client, certificate, lp_manager):
    certificate_revoke(certificate, actor=lp_manager, reason="Ошибка выдачи")
    day = timezone.localdate().strftime("%d.%m.%Y")

    page = client.get(reverse("training:verify", args=[certificate.code]))

    body = page.content.decode()
    assert page.context["valid"] is False
    assert f"Сертификат отозван {day}." in body
    assert 'data-testid="verify-withdrawn"' in body and "Ошибка выдачи" not in body


def test_hq_withdraws_from_the_check_page_after_a_confirm_step(client, certificate, lp_manager):
    client.force_login(lp_manager)
    check = reverse("training:verify", args=[certificate.code])
    confirm = reverse("training:certificate_revoke", args=[certificate.code])
    assert f'href="{confirm}"' in client.get(check).content.decode()

    shown = client.get(confirm)
    empty = client.post(confirm, {"reason": ""})
    assert shown.status_code == empty.status_code == 200
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None  # nothing yet

    done = client.post(confirm, {"reason": "Экзамен сдан не самим сотрудником"})

    assert done.status_code == 302 and done["Location"] == check
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Экзамен сдан не самим сотрудником"
    assert f'href="{confirm}"' not in client.get(check).content.decode()


def test_the_holder_sees_no_withdraw_button(client, certificate):
    client.force_login(certificate.person)
    page = client.get(reverse("training:verify", args=[certificate.code]))
    assert 'data-testid="revoke-link"' not in page.content.decode()


def test_the_pdf_of_a_withdrawn_certificate_says_so(client, certificate, lp_manager):
    certificate_revoke(certificate, actor=lp_manager, reason="Ошибка выдачи")
    client.force_login(certificate.person)

    printed = client.get(reverse("training:certificate", args=[certificate.code]))

    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printed.content)).pages)
    day = timezone.localdate().strftime("%d.%m.%Y")
    assert f"Отозван {day}" in " ".join(text.split())


def test_a_withdrawn_certificate_no_longer_certifies(certificate, lp_manager):
    people = type(certificate.person).objects.filter(pk=certificate.person_id)
    assert certification_of(people=people, exam=certificate.exam)[0].status == (
        CertStatus.CERTIFIED
    )

    certificate_revoke(certificate, actor=lp_manager, reason="Ошибка выдачи")

    row = certification_of(people=people, exam=certificate.exam)[0]
    assert row.status != CertStatus.CERTIFIED and row.certificate is None
