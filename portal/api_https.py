"""Plain-HTTP calls to the POS API get a clear JSON error, never a redirect.

With `SECURE_SSL_REDIRECT` the site answers plain HTTP with 301 to HTTPS. A browser follows
that; a POS client that POSTs receipts would follow it with a GET (or not at all) and the
receipts would be lost without an error. So /api/ (and the desk's /incidents/api/) is
exempt from the redirect (`SECURE_REDIRECT_EXEMPT` in production settings) and this
middleware refuses it instead.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIXES = ("/api/", "/incidents/api/")  # the POS API and the desk's channel API


class ApiHttpsOnlyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.SECURE_SSL_REDIRECT
            and request.path.startswith(API_PREFIXES)
            and not request.is_secure()
        ):
            detail = _(
                "The API answers over HTTPS only: send the request to https://%(host)s%(path)s"
            )
            return JsonResponse(
                {"detail": detail % {"host": request.get_host(), "path": request.path}},
                status=403,
            )
        return self.get_response(request)
