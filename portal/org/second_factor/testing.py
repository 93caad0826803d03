"""For tests and benchmarks only: a logged-in test client that has passed the second factor.

The session is marked verified through django-otp's own `login`, with a real confirmed
authenticator enrolled through the real service, just as after typing a code.
"""

from __future__ import annotations

import django_otp
from django.http import HttpRequest
from django.test import Client

from portal.org.models import User
from portal.org.second_factor.services import (
    second_factor_enrol_with_secret,
    second_factor_required,
    totp_device_confirmed,
)

TEST_TOTP_SECRET = "TESTTOTPTESTTOTPTESTTOTPTESTTOTP"


def client_second_factor_pass(client: Client, person: User) -> None:
    """Mark the client's (logged-in) session as verified by `person`'s authenticator."""
    device = totp_device_confirmed(person=person)
    if device is None:
        second_factor_enrol_with_secret(person=person, secret=TEST_TOTP_SECRET)
        device = totp_device_confirmed(person=person)
    request = HttpRequest()
    request.session = client.session
    request.user = person
    django_otp.login(request, device)
    request.session.save()


class SecondFactorClient(Client):
    """Django's test client whose `force_login` also passes the second factor, as a person
    of a second-factor role does right after logging in. `second_factor=False` leaves the
    session as it is between the password and the code."""

    def force_login(self, user, backend=None, *, second_factor: bool = True):
        super().force_login(user, backend)
        if second_factor and second_factor_required(user):
            client_second_factor_pass(self, user)
