"""Hold a session that needs a second factor at the code page until it is verified."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.urls import reverse

from portal.org.second_factor.services import second_factor_required

# What an unverified session may still reach: the second-factor pages, logging out,
# switching the language, the health check. The POS API (namespace "api") and the desk's
# channel API authenticate by their token only and ignore the session, so the session's
# factor does not apply.
OPEN_VIEWS = frozenset(
    {
        "second_factor_verify",
        "second_factor_enrol",
        "login",
        "logout",
        "set_language",
        "health",
        "incidents:api_tickets",
        "incidents:api_ticket",
        "incidents:api_not_found",
    }
)


class SecondFactorRequiredMiddleware:
    """After django-otp's OTPMiddleware: every view, `/cms/` and `/admin/` included,
    refuses a session of a second-factor role that has not been verified in this session
    and sends it to the code page (which sends a person without an authenticator on to
    enrolment). Other roles pass untouched, at no query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not second_factor_required(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match is not None and (match.view_name in OPEN_VIEWS or "api" in match.namespaces):
            return None
        verify_url = reverse("second_factor_verify")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = verify_url
            return response
        return redirect_to_login(request.get_full_path(), verify_url)
