"""Reads of notify: a person's own inbox, never anyone else's."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.shortcuts import get_object_or_404

from portal.notify.models import Notification
from portal.org.models import User

INBOX_PAGE_SIZE = 20


def inbox_page(*, person: User, number: str | int | None) -> Page:
    """The person's notifications, newest first, one page of them."""
    notifications = Notification.objects.filter(recipient=person).order_by("-created_at", "-pk")
    return Paginator(notifications, INBOX_PAGE_SIZE).get_page(number)


def inbox_unread_count(*, person: User) -> int:
    return Notification.objects.filter(recipient=person, read_at=None).count()


def notification_get_own(*, person: User, pk: int) -> Notification:
    """One of the person's notifications; 404 for anyone else's (never reveal it exists)."""
    return get_object_or_404(Notification, pk=pk, recipient=person)
