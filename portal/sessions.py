"""Session lifetime: 30 idle minutes and 12 hours at most, whatever the activity.

Store tablets are shared, so a signed-in session ends after `SESSION_IDLE_SECONDS`
without a request and `SESSION_ABSOLUTE_SECONDS` after signing in (OWASP ASVS V7.3).
Both clocks live in the session itself. The idle clock is written at most once every
`SESSION_TOUCH_SECONDS` (not on every request: an exam's answer saves would each write
the session), so it may lag the last request by less than a touch; the idle logout is
therefore exact to the minute. The cookie and the stored session are given one touch
more than the idle limit (`SESSION_COOKIE_AGE`), so they never end before this clock.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY

LAST_ACTIVITY = "_clock_last_activity"
SIGNED_IN_AT = "_clock_signed_in_at"
CLOCK_OF = "_clock_of"


def session_clocks_start(sender, request, user, **kwargs) -> None:
    """`user_logged_in`: signing in (which writes the session anyway) starts both clocks,
    so the requests after it write nothing until the next touch."""
    now = int(time.time())
    request.session.update(
        {CLOCK_OF: request.session[SESSION_KEY], SIGNED_IN_AT: now, LAST_ACTIVITY: now}
    )


def session_ended(session, now: float) -> bool:
    """Has this signed-in session been idle too long, or lived too long?"""
    idle = now - session.get(LAST_ACTIVITY, 0)
    age = now - session.get(SIGNED_IN_AT, 0)
    return idle > settings.SESSION_IDLE_SECONDS or age > settings.SESSION_ABSOLUTE_SECONDS


class SessionClockMiddleware:
    """After SessionMiddleware, before AuthenticationMiddleware: an ended session is
    flushed, so the request is anonymous (login_required sends it to the login page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            user_id = session[SESSION_KEY]
            if session.get(CLOCK_OF) != user_id:  # signed in without the signal: start now
                session.update({CLOCK_OF: user_id, SIGNED_IN_AT: now, LAST_ACTIVITY: now})
            elif session_ended(session, now):
                session.flush()
            elif now - session.get(LAST_ACTIVITY, 0) >= settings.SESSION_TOUCH_SECONDS:
                session[LAST_ACTIVITY] = now
        return self.get_response(request)
