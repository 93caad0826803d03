"""The learner's exam flow, certificates, their public check and their withdrawal by
HQ. Thin by design."""

from __future__ import annotations

import logging

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.pdf import pdf_response
from training.forms import CertificateCodeForm, CertificateRevokeForm
from training.models import Certificate, Exam
from training.presentation import answer_from_post
from training.selectors import learner
from training.selectors.status import open_attempt
from training.services.attempts import (
    AttemptRefused,
    answer_save,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
)
from training.services.certificates import CertificateRevokeRefused, certificate_revoke

logger = logging.getLogger(__name__)


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/my_training.html", {"cards": learner.my_exams(user=request.user)}
    )


@login_required
@require_POST
def attempt_begin(request: HttpRequest, code: str) -> HttpResponse:
    exam = get_object_or_404(Exam, code=code, is_active=True)
    if not rules.test_rule("training.take_exam", request.user, exam):
        return render(request, "training/not_addressed.html", {"exam": exam}, status=403)
    try:
        attempt = attempt_start(person=request.user, exam=exam)
    except AttemptRefused as refusal:
        current = open_attempt(person=request.user, exam=exam)
        if current:
            return redirect("training:attempt", current.pk)
        messages.error(request, str(refusal))
        return redirect("training:home")
    return redirect("training:attempt", attempt.pk)


@login_required
def attempt_page(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = learner.attempt_of(user=request.user, attempt_id=attempt_id)
    # Past the deadline and grace the attempt closes with what was saved; within the grace
    # the page shows 0:00 and its timer submits.
    attempt = attempt_close_if_expired(attempt=attempt) or attempt
    if not attempt.is_open:
        return redirect("training:result", attempt.pk)
    return render(
        request,
        "training/attempt.html",
        {
            "attempt": attempt,
            "sheet": learner.attempt_sheet(attempt=attempt),
            "seconds_left": learner.seconds_left(attempt=attempt),
        },
    )


@login_required
@require_POST
def attempt_answer(request: HttpRequest, attempt_id: int, position: int) -> HttpResponse:
    item = learner.attempt_item_of(user=request.user, attempt_id=attempt_id, position=position)
    question = item.question
    answer = answer_from_post(question.qtype, question.data, item.presented, request.POST)
    error, status = "", 200
    try:
        item = answer_save(person=request.user, item=item, answer=answer or {})
    except AttemptRefused as refusal:
        error = str(refusal)
    except OperationalError:  # e.g. the embedded SQLite busy past its timeout: not saved
        logger.warning("answer not saved: attempt %s, question %s", attempt_id, position)
        error, status = _("Not saved: the server is busy. Change the answer again."), 503
    if request.htmx:  # a fragment: no context processors (they would read permissions)
        fragment = render_to_string("training/_saved.html", {"item": item, "error": error})
        return HttpResponse(fragment, status=status)
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('training:attempt', args=[attempt_id])}#q{position}")


@login_required
@require_POST
def attempt_finish(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = learner.attempt_of(user=request.user, attempt_id=attempt_id)
    attempt_submit(person=request.user, attempt=attempt)
    return redirect("training:result", attempt.pk)


@login_required
def attempt_result(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = learner.attempt_of(user=request.user, attempt_id=attempt_id)
    if attempt.is_open:
        return redirect("training:attempt", attempt.pk)
    return render(
        request,
        "training/result.html",
        {
            "attempt": attempt,
            "review": learner.attempt_review(attempt=attempt),
            "certificate": Certificate.objects.filter(attempt=attempt).first(),
        },
    )


def _verify_url(request: HttpRequest, certificate: Certificate) -> str:
    """The public check's address: PORTAL_BASE_URL when set, else the one the reader used.

    `build_absolute_uri` goes through `request.get_host()`, which refuses a Host outside
    ALLOWED_HOSTS, so a forged header cannot end up printed on a certificate.
    """
    path = reverse("training:verify", args=[certificate.code])
    if settings.PORTAL_BASE_URL:
        return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"
    return request.build_absolute_uri(path)


@login_required
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    import segno

    certificate = _certificate_visible(request, code)
    url = _verify_url(request, certificate)
    return pdf_response(
        "pdf/training/certificate.html",
        {
            "certificate": certificate,
            "verify_url": url,
            "qr": segno.make(url, error="m").svg_data_uri(scale=4),
        },
        f"certificate-{certificate.code}.pdf",
    )


def _certificate_visible(request: HttpRequest, code: str) -> Certificate:
    """The certificate if this user may open it (its holder, managers in scope), else 404."""
    certificate = get_object_or_404(
        Certificate.objects.select_related("person", "person__store", "exam"), code=code
    )
    if not request.user.has_perm("training.open_certificate", certificate):
        raise Http404
    return certificate


@login_required
def certificate_revoke_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """HQ withdraws a certificate: GET asks for the reason (the confirm step), POST
    withdraws it and goes back to the certificate's check."""
    certificate = _certificate_visible(request, code)
    if not request.user.has_perm("training.revoke_certificate", certificate):
        raise PermissionDenied
    if request.method == "POST" and certificate.revoked_at is not None:
        return redirect("training:verify", certificate.code)  # withdrawn already: as it was
    form = CertificateRevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(certificate, actor=request.user, reason=form.cleaned_data["reason"])
        except CertificateRevokeRefused as refusal:
            form.add_error("reason", str(refusal))
        else:
            messages.success(request, _("The certificate was withdrawn."))
            return redirect("training:verify", certificate.code)
    return render(
        request, "training/certificate_revoke.html", {"certificate": certificate, "form": form}
    )


def certificate_verify_form(request: HttpRequest) -> HttpResponse:
    """Public: a box to type the code printed on a certificate; sends on to its check."""
    form = CertificateCodeForm(request.GET or None)
    if form.is_valid():
        return redirect("training:verify", form.cleaned_data["code"])
    return render(request, "training/verify_form.html", {"form": form})


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a certificate (or its QR code) checks it against our records."""
    certificate = (
        Certificate.objects.select_related("person", "exam").filter(code=code.upper()).first()
    )
    if certificate is None:
        return render(request, "training/verify.html", {"code": code}, status=404)
    return render(
        request,
        "training/verify.html",
        {
            "code": code,
            "certificate": certificate,
            "valid": certificate.is_valid_on(timezone.localdate()),
            "can_revoke": certificate.revoked_at is None
            and request.user.has_perm("training.revoke_certificate", certificate),
        },
    )
