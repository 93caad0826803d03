"""The learner's exam flow, certificates and their public check. Thin by design."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.pdf import pdf_response
from training.forms import CertificateCodeForm, answer_from_post
from training.models import Certificate, Exam
from training.selectors import learner
from training.selectors.status import open_attempt
from training.services.attempts import (
    AttemptRefused,
    answer_save,
    attempt_close_if_expired,
    attempt_start,
    attempt_submit,
)


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    return render(
        request, "training/my_training.html", {"cards": learner.my_exams(user=request.user)}
    )


@login_required
@require_POST
def attempt_begin(request: HttpRequest, code: str) -> HttpResponse:
    exam = get_object_or_404(Exam, code=code, is_active=True)
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
    attempt = learner.attempt_of(user=request.user, attempt_id=attempt_id)
    item = attempt.questions.select_related("question").filter(position=position).first()
    if item is None:
        raise Http404
    answer = answer_from_post(item.question.qtype, item.question.data, request.POST)
    error = ""
    try:
        item = answer_save(
            person=request.user, attempt=attempt, position=position, answer=answer or {}
        )
    except AttemptRefused as refusal:
        error = str(refusal)
    if request.htmx:
        return render(request, "training/_saved.html", {"item": item, "error": error}, status=200)
    if error:
        messages.error(request, error)
    return redirect(f"{reverse('training:attempt', args=[attempt.pk])}#q{position}")


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

    certificate = get_object_or_404(
        Certificate.objects.select_related("person", "person__store", "exam"), code=code
    )
    if not request.user.has_perm("training.open_certificate", certificate):
        raise Http404
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
        },
    )
