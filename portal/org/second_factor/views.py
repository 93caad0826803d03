"""The second-factor pages: enter a code, enrol an authenticator, see recovery codes."""

from __future__ import annotations

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.org.second_factor import services
from portal.org.second_factor.forms import EnrolmentCodeForm, SecondFactorCodeForm

NEW_CODES_SESSION_KEY = "second_factor_new_codes"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home:dashboard")


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{request.GET.urlencode()}" if request.GET else reverse(name)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not services.second_factor_required(person) or person.is_verified():
        return redirect(_next_url(request))
    if services.totp_device_confirmed(person=person) is None:
        return redirect(_with_next("second_factor_enrol", request))
    form = SecondFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.second_factor_check(person=person, token=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            if device.persistent_id != services.totp_device_confirmed(person=person).persistent_id:
                left = services.recovery_codes_left(person=person)
                messages.warning(
                    request,
                    _("You used a recovery code; %(left)d left. Renew them on the codes page.")
                    % {"left": left},
                )
            return redirect(_next_url(request))
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not services.second_factor_required(person) or person.is_verified():
        return redirect(_next_url(request))
    if services.totp_device_confirmed(person=person) is not None:
        # Enrolled already: a new authenticator only after an administrator's reset.
        return redirect(_with_next("second_factor_verify", request))
    device = services.totp_enrolment_start(person=person)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.totp_enrolment_confirm(
            person=person, device=device, token=form.cleaned_data["code"]
        )
        if codes is not None:
            django_otp.login(request, services.totp_device_confirmed(person=person))
            request.session[NEW_CODES_SESSION_KEY] = codes
            return redirect(f"{reverse('second_factor_recovery_codes')}?next={_next_url(request)}")
        form.add_error("code", _("This code is not valid. Check the time on your phone."))
    return render(
        request,
        "registration/second_factor_enrol.html",
        {
            "form": form,
            "qr_svg": services.totp_qr_svg(device),
            "secret": services.totp_secret(device),
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    person = request.user
    if not services.second_factor_required(person):
        return redirect("home:dashboard")
    if request.method == "POST":
        codes = services.recovery_codes_renew(person=person)
    else:
        codes = request.session.pop(NEW_CODES_SESSION_KEY, None)
    return render(
        request,
        "registration/second_factor_recovery_codes.html",
        {
            "codes": codes,
            "left": services.recovery_codes_left(person=person),
            "next": _next_url(request),
        },
    )
