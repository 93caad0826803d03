"""The inbox: a person's notifications, marked read one by one or all at once."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from portal.notify import selectors, services


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = selectors.inbox_page(person=request.user, number=request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read; with `open`, go on to what the notification is about."""
    notification = selectors.notification_get_own(person=request.user, pk=pk)
    services.notification_mark_read(person=request.user, notification=notification)
    if "open" in request.POST and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(notification.url)
    return redirect("notify:inbox")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(person=request.user)
    return redirect("notify:inbox")
