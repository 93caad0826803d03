"""Password reset, throttled per client address and per account (django-ratelimit).

A client address that asks too often gets HTTP 429 and a page saying when to try again;
an account that was sent too many links gets no more for a while, but the page answers
as usual, so the form never tells whether an address has an account.
"""

from __future__ import annotations

import logging

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth.views import PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from portal.org.forms import FirstPasswordResetForm

log = logging.getLogger(__name__)


def client_address(group: str, request: HttpRequest) -> str:
    """The client address as django-axes sees it (the configured proxy header, if any)."""
    return get_client_ip_address(request) or ""


def requested_account(group: str, request: HttpRequest) -> str:
    return "".join(request.POST.get("email", "").split()).casefold()


class ThrottledPasswordResetView(PasswordResetView):
    form_class = FirstPasswordResetForm

    def post(self, request, *args, **kwargs) -> HttpResponse:
        if is_ratelimited(
            request,
            group="password_reset:address",
            key=client_address,
            rate=settings.PASSWORD_RESET_RATE_PER_ADDRESS,
            increment=True,
        ):
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form) -> HttpResponse:
        if is_ratelimited(
            self.request,
            group="password_reset:account",
            key=requested_account,
            rate=settings.PASSWORD_RESET_RATE_PER_ACCOUNT,
            increment=True,
        ):
            log.warning("password reset: too many requests for one account; none sent")
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)
