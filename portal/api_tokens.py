"""What the token APIs share (the POS API, the desk's channel API): the header
`Authorization: Token <token>` read once, the caller it names returned as DRF's `auth`,
and 401 (never 403) for a missing, malformed or unknown token."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Token <token>` → (anonymous user, the caller) as (user, auth).
    A subclass says who a token names (`caller_for`, None when nobody) and what an unknown
    token is called (`unknown`)."""

    keyword = "Token"
    unknown: Any = gettext_lazy("Unknown or deactivated token.")

    def caller_for(self, raw: str) -> Any | None:
        raise NotImplementedError

    def authenticate(self, request: Request) -> tuple[AnonymousUser, Any] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(
                gettext_lazy("Send the header as «Authorization: Token <token>».")
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeError:
            raw = ""
        caller = self.caller_for(raw)
        if caller is None:
            raise AuthenticationFailed(self.unknown)
        return AnonymousUser(), caller

    def authenticate_header(self, request: Request) -> str:
        return self.keyword  # makes DRF answer 401 (with WWW-Authenticate), not 403
