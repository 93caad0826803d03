"""Activation codes on screen: the manager issues one (code, QR code, printed slip); the
person types it on /accounts/activate/ (no login) and sets their first password."""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited

from portal.org import selectors
from portal.org.activation import (
    ActivationFailed,
    activation_code_issue,
    activation_code_open,
    activation_complete,
    code_display,
    may_issue,
)
from portal.org.forms import ActivationForm
from portal.org.models import ActivationCode
from portal.org.password_reset import client_address
from portal.pdf import pdf_response

SESSION_KEY = "activation_codes"  # {code pk: plain code}, for the issuer's screen and slip


def _shown_code(request: HttpRequest, person) -> tuple[ActivationCode | None, str]:
    """The person's open code, and its plain text if this session issued it."""
    record = activation_code_open(person)
    if record is None:
        return None, ""
    return record, request.session.get(SESSION_KEY, {}).get(str(record.pk), "")


def _activation_url(request: HttpRequest, person, code: str) -> str:
    query = urlencode({"n": person.personnel_number, "c": code_display(code)})
    return request.build_absolute_uri(f"{reverse('activate')}?{query}")


@login_required
@require_http_methods(["GET", "POST"])
def person_activation(request: HttpRequest, personnel_number: str) -> HttpResponse:
    person = selectors.person_get_visible(user=request.user, personnel_number=personnel_number)
    if not may_issue(request.user, person):
        raise PermissionDenied
    if request.method == "POST":
        issued = activation_code_issue(actor=request.user, person=person)
        shown = {str(issued.record.pk): issued.code}  # only the newest: older ones are void
        request.session[SESSION_KEY] = shown
        messages.success(request, _("A new activation code is issued; any earlier one is void."))
        return redirect("org:person_activation", personnel_number=person.personnel_number)
    record, code = _shown_code(request, person)
    context = {"person": person, "record": record, "code": code and code_display(code)}
    if code:
        url = _activation_url(request, person, code)
        context["qr_svg"] = segno.make(url, error="m").svg_inline(scale=4, border=2)
        context["activation_url"] = url
    if request.GET.get("format") == "pdf":
        if not code:
            raise Http404
        context["printed_at"] = timezone.now()
        return pdf_response(
            "pdf/org/activation_slip.html", context, f"activation-{person.personnel_number}.pdf"
        )
    context["ttl_hours"] = settings.ACTIVATION_CODE_TTL_HOURS
    return render(request, "org/person_activation.html", context)


@require_http_methods(["GET", "POST"])
def activate(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home:dashboard")
    initial = {"personnel_number": request.GET.get("n", ""), "code": request.GET.get("c", "")}
    form = ActivationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if is_ratelimited(
            request,
            group="activation:address",
            key=client_address,
            rate=settings.ACTIVATION_RATE_PER_ADDRESS,
            increment=True,
        ):
            return render(request, "registration/activate.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                person = activation_complete(
                    personnel_number=form.cleaned_data["personnel_number"],
                    code=form.cleaned_data["code"],
                    password=form.cleaned_data["new_password1"],
                )
            except ActivationFailed as failure:
                form.add_error("code", str(failure))
            except ValidationError as problems:
                form.add_error("new_password1", problems)
            else:
                login(request, person, backend="portal.org.backends.EmailOrPersonnelNumberBackend")
                messages.success(request, _("Your password is set. Welcome to the portal!"))
                return redirect("home:dashboard")
    return render(request, "registration/activate.html", {"form": form})
