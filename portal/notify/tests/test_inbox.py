"""The inbox: the bell's unread count on every page, one's own notifications only."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.notify.models import Notification
from portal.notify.services import Message, notify, notify_many
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


def _notifications(person, count: int, start: int = 0) -> None:
    notify_many(
        Message(recipient=person, key=f"test.item:{n}", title=f"Уведомление {n}")
        for n in range(start, start + count)
    )


def _bell(html: str) -> int:
    return int(re.search(r'data-testid="inbox-bell" data-unread="(\d+)"', html).group(1))


def test_the_bell_shows_the_unread_count_in_one_query_whatever_their_number(world, client):
    # Given a seller with one unread notification
    seller = world.people[Role.STORE_STAFF]
    _notifications(seller, 1)
    client.force_login(seller)
    client.get(reverse("home:dashboard"))  # the session's first request writes its clocks

    with CaptureQueriesContext(connection) as few:
        page = client.get(reverse("home:dashboard"))
    assert _bell(page.content.decode()) == 1

    # When forty more arrive
    _notifications(seller, 40, start=1)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("home:dashboard"))

    # Then the bell counts them and the page costs the same queries
    assert _bell(page.content.decode()) == 41
    assert len(many) == len(few)
    assert sum("notify_notification" in q["sql"] for q in many.captured_queries) == 1


def test_the_inbox_lists_own_notifications_newest_first_by_pages(world, client):
    seller, colleague = world.people[Role.STORE_STAFF], world.colleague_a1
    _notifications(seller, 25)
    oldest = Notification.objects.get(recipient=seller, key="test.item:0")
    oldest.created_at += timedelta(minutes=5)  # now the newest
    oldest.save(update_fields=["created_at"])
    notify(colleague, key="test.item:99", title="Чужое")
    client.force_login(seller)

    first = client.get(reverse("notify:inbox")).content.decode()
    second = client.get(reverse("notify:inbox"), {"page": 2}).content.decode()

    assert first.count('data-testid="inbox-item"') == 20
    assert second.count('data-testid="inbox-item"') == 5
    assert first.index("Уведомление 0<") < first.index("Уведомление 24<")
    assert "Уведомление 5<" in second and "Уведомление 6<" in first
    assert "Чужое" not in first + second
    assert "Уведомления" in first  # Russian by default


def test_marking_one_read_then_all(world, client):
    seller = world.people[Role.STORE_STAFF]
    first = notify(seller, key="test.item:1", title="Первое", url="/sop/?status=pending")
    notify(seller, key="test.item:2", title="Второе")
    client.force_login(seller)

    opened = client.post(reverse("notify:read", args=[first.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == "/sop/?status=pending"
    assert _bell(client.get(reverse("notify:inbox")).content.decode()) == 1

    client.post(reverse("notify:read_all"))
    assert not Notification.objects.filter(recipient=seller, read_at=None).exists()
    assert _bell(client.get(reverse("notify:inbox")).content.decode()) == 0


def test_another_persons_notification_is_not_found_and_stays_unread(world, client):
    other = notify(world.colleague_a1, key="test.item:1", title="Чужое")
    client.force_login(world.people[Role.STORE_MANAGER])

    assert client.post(reverse("notify:read", args=[other.pk])).status_code == 404
    client.post(reverse("notify:read_all"))

    other.refresh_from_db()
    assert other.read_at is None


def test_a_link_to_another_site_is_not_followed(world, client):
    seller = world.people[Role.STORE_STAFF]
    notification = notify(seller, key="test.item:1", title="Ссылка", url="https://evil.example/")
    client.force_login(seller)

    response = client.post(reverse("notify:read", args=[notification.pk]), {"open": "1"})

    assert response["Location"] == reverse("notify:inbox")


def test_the_inbox_page_costs_the_same_queries_whatever_the_number(world, client):
    seller = world.people[Role.STORE_STAFF]
    _notifications(seller, 3)
    client.force_login(seller)
    client.get(reverse("notify:inbox"))

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notify:inbox")).status_code == 200
    _notifications(seller, 60, start=3)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("notify:inbox")).status_code == 200

    assert len(many) == len(few)
