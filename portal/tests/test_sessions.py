"""Sessions end after 30 idle minutes and 12 hours after signing in; the idle clock is
written at most once a minute. Time is moved by setting the session's clocks."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.org.tests.factories import PASSWORD, UserFactory
from portal.sessions import LAST_ACTIVITY, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

LOGIN_URL = "/accounts/login/"


@pytest.fixture
def signed_in(client):
    UserFactory(email="a@example.ru")
    client.post(LOGIN_URL, {"username": "a@example.ru", "password": PASSWORD})
    assert client.get(reverse("home:dashboard")).status_code == 200
    return client


def _set_clocks(client, *, idle: int, age: int) -> None:
    """The session was last active `idle` seconds ago and signed in `age` seconds ago."""
    now = int(time.time())
    session = client.session
    session[LAST_ACTIVITY] = now - idle
    session[SIGNED_IN_AT] = now - age
    session.save()


def _signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


def test_signing_in_starts_both_clocks_and_the_next_request_writes_no_session(client):
    UserFactory(email="b@example.ru")
    client.post(LOGIN_URL, {"username": "b@example.ru", "password": PASSWORD})
    assert client.session[SIGNED_IN_AT] == client.session[LAST_ACTIVITY] > 0

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("home:dashboard")).status_code == 200

    writes = [q["sql"] for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert writes == []


def test_the_defaults_are_thirty_idle_minutes_and_twelve_hours(settings):
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 3600
    assert not getattr(settings, "SESSION_SAVE_EVERY_REQUEST", False)


def test_thirty_idle_minutes_and_a_second_end_the_session(signed_in):
    _set_clocks(signed_in, idle=30 * 60 + 1, age=40 * 60)

    response = signed_in.get(reverse("home:dashboard"))

    assert _signed_out(response)
    assert _signed_out(signed_in.get(reverse("home:dashboard")))  # and stays signed out


def test_twenty_nine_idle_minutes_keep_it_and_restart_the_idle_clock(signed_in):
    _set_clocks(signed_in, idle=29 * 60, age=40 * 60)

    assert signed_in.get(reverse("home:dashboard")).status_code == 200

    assert int(time.time()) - signed_in.session[LAST_ACTIVITY] < 5


def test_twelve_hours_after_signing_in_the_session_ends_however_busy(signed_in):
    _set_clocks(signed_in, idle=10, age=12 * 3600 + 1)

    assert _signed_out(signed_in.get(reverse("home:dashboard")))


def test_the_absolute_lifetime_follows_its_setting(signed_in, settings):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    _set_clocks(signed_in, idle=10, age=3500)
    assert signed_in.get(reverse("home:dashboard")).status_code == 200

    _set_clocks(signed_in, idle=10, age=3601)
    assert _signed_out(signed_in.get(reverse("home:dashboard")))


def test_requests_within_a_minute_do_not_write_the_session(signed_in):
    _set_clocks(signed_in, idle=30, age=600)

    with CaptureQueriesContext(connection) as queries:
        assert signed_in.get(reverse("home:dashboard")).status_code == 200

    writes = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert not [sql for sql in writes if not sql.lstrip().upper().startswith("SELECT")], writes


def test_a_request_a_minute_after_the_last_touch_writes_the_clock_once(signed_in, settings):
    _set_clocks(signed_in, idle=61, age=600)

    signed_in.get(reverse("home:dashboard"))

    key = signed_in.session.session_key
    stored = Session.objects.get(session_key=key)
    touched = stored.get_decoded()[LAST_ACTIVITY]
    assert int(time.time()) - touched < 5
    # The stored session outlives the idle clock: it never ends before the idle limit.
    left = (stored.expire_date - timezone.now()).total_seconds()
    assert left >= settings.SESSION_IDLE_SECONDS - 5
