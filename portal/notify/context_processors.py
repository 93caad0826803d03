"""The bell in the navigation: the unread count, one COUNT query when a page shows it."""

from __future__ import annotations

from functools import cached_property

from portal.notify.selectors import inbox_unread_count


class InboxBell:
    def __init__(self, person) -> None:
        self.person = person

    @cached_property
    def unread(self) -> int:
        return inbox_unread_count(person=self.person)


def inbox(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_bell": InboxBell(user)}
