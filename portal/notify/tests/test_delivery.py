"""Recorded once, sent after commit, each delivery marked on its own: a send that fails or
is killed half-way is finished by the next run, and nobody gets a mail twice."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core import mail
from django.db import transaction

from portal.notify.choices import Channel
from portal.notify.delivery import deliveries_retry
from portal.notify.models import Delivery, Notification
from portal.notify.services import Message, notify, notify_many
from portal.notify.tests.backends import KilledOnThirdMessage, RefusesThirdMessage, WorkerStopped
from portal.org.choices import Role
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db


def _mails_per_person() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


def test_a_notification_is_recorded_once_and_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    seller = person(Role.STORE_STAFF)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first = notify(seller, key="test.item:1", title="Пройдите экзамен", url="/training/")
        again = notify(seller, key="test.item:1", title="Пройдите экзамен")
        assert mail.outbox == []  # nothing leaves before the commit

    assert first is not None and again is None
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[seller.email]]
    assert "Пройдите экзамен" in mail.outbox[0].subject
    assert "/training/" in mail.outbox[0].body
    assert set(first.deliveries.values_list("channel", flat=True)) == {
        Channel.EMAIL,
        Channel.MESSENGER,
    }
    assert not first.deliveries.filter(sent_at=None).exists()


def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    seller = person(Role.STORE_STAFF)

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(seller, key="test.item:1", title="Никогда")
        raise RuntimeError("the caller's service failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_rolled_back_savepoint_keeps_the_rest_of_the_batch(django_capture_on_commit_callbacks):
    seller = person(Role.STORE_STAFF)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            notify(seller, key="test.item:1", title="Откатили")
            raise RuntimeError
        notify(seller, key="test.item:2", title="Осталось")

    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Портал ПЛ: Осталось"]


def test_one_digest_per_person_and_one_task_per_transaction(django_capture_on_commit_callbacks):
    seller, colleague = person(Role.STORE_STAFF), person(Role.STORE_STAFF)

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        notify(seller, key="test.item:1", title="Первое")
        notify(seller, key="test.item:2", title="Второе")
        notify(colleague, key="test.item:1", title="Первое")

    assert len(callbacks) == 1
    assert _mails_per_person() == {seller.email: 1, colleague.email: 1}
    digest = next(m for m in mail.outbox if m.to == [seller.email])
    assert "Первое" in digest.body and "Второе" in digest.body


def test_a_person_without_email_gets_the_inbox_and_the_messenger(
    django_capture_on_commit_callbacks, caplog
):
    seller = person(Role.STORE_STAFF, email="")

    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("INFO"):
        notification = notify(seller, key="test.item:1", title="Без почты")

    assert mail.outbox == []
    assert list(notification.deliveries.values_list("channel", flat=True)) == [Channel.MESSENGER]
    assert f"messenger to {seller.personnel_number}: Без почты" in caplog.text
    assert seller.notifications.get().read_at is None


def _five_people_notified(django_capture_on_commit_callbacks) -> list:
    people = [person(Role.STORE_STAFF) for _ in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        notify_many(
            Message(recipient=p, key=f"test.item:{n}", title=f"Напоминание {n}")
            for p in people
            for n in (1, 2)
        )
    return people


def test_a_mail_server_failing_half_way_never_makes_anyone_get_a_mail_twice(
    settings, django_capture_on_commit_callbacks
):
    # Given the mail server refuses the third message of the run
    settings.EMAIL_BACKEND = "portal.notify.tests.backends.RefusesThirdMessage"
    RefusesThirdMessage.calls = 0

    # When five people are notified of two items each
    people = _five_people_notified(django_capture_on_commit_callbacks)

    # Then four digests went out and stay marked sent; the third person's wait, with the error
    assert len(mail.outbox) == 4
    unsent = Delivery.objects.filter(channel=Channel.EMAIL, sent_at=None)
    assert {d.notification.recipient_id for d in unsent} == {people[2].pk}
    assert all("SMTPServerDisconnected" in d.error and d.attempts == 1 for d in unsent)
    assert Delivery.objects.filter(channel=Channel.EMAIL).exclude(sent_at=None).count() == 8

    # When the beat task runs again, twice
    first, second = deliveries_retry(), deliveries_retry()

    # Then only the rest went out: everyone has exactly one digest of both items
    assert (first.sent, second.sent) == (1, 0)
    assert _mails_per_person() == {p.email: 1 for p in people}
    assert all("Напоминание 1" in m.body and "Напоминание 2" in m.body for m in mail.outbox)
    assert not Delivery.objects.filter(sent_at=None).exists()


def test_a_worker_killed_half_way_leaves_the_rest_for_the_next_run(
    settings, django_capture_on_commit_callbacks
):
    # Given the worker is stopped while sending the third message
    settings.EMAIL_BACKEND = "portal.notify.tests.backends.KilledOnThirdMessage"
    KilledOnThirdMessage.calls = 0

    # When five people are notified: the task dies at the third person
    with pytest.raises(WorkerStopped):
        _five_people_notified(django_capture_on_commit_callbacks)

    # Then what was sent stays sent, and nothing is left claimed
    assert len(mail.outbox) == 2
    sent_to = {
        d.address for d in Delivery.objects.filter(channel=Channel.EMAIL).exclude(sent_at=None)
    }
    assert sent_to == {m.to[0] for m in mail.outbox}
    assert not Delivery.objects.filter(sent_at=None).exclude(claimed_at=None).exists()
    assert Notification.objects.count() == 10  # the record committed before any send

    # When the beat task runs again, twice
    deliveries_retry()
    deliveries_retry()

    # Then every person got each mail exactly once
    assert _mails_per_person() == {
        address: 1 for address in Notification.objects.values_list("recipient__email", flat=True)
    }
    assert len(mail.outbox) == 5


def test_a_claimed_delivery_is_not_sent_by_another_run(django_capture_on_commit_callbacks):
    # Given a delivery another worker claimed and is sending
    seller = person(Role.STORE_STAFF)
    notification = notify(seller, key="test.item:1", title="В работе")
    Delivery.objects.filter(notification=notification).update(claimed_at=notification.created_at)

    # When the beat task runs
    report = deliveries_retry()

    # Then it leaves it alone
    assert (report.sent, mail.outbox) == (0, [])


def test_a_delivery_that_failed_too_often_is_left_alone(settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    notification = notify(person(Role.STORE_STAFF), key="test.item:1", title="Не доходит")
    Delivery.objects.filter(notification=notification).update(attempts=2, error="refused")

    assert deliveries_retry().sent == 0
    assert mail.outbox == []


def test_ids_read_in_chunks_still_make_one_digest_per_person(
    monkeypatch, django_capture_on_commit_callbacks
):
    # Given chunks of two ids, and two people with three notifications each
    monkeypatch.setattr("portal.notify.delivery.CHUNK", 2)
    seller, colleague = person(Role.STORE_STAFF), person(Role.STORE_STAFF)

    with django_capture_on_commit_callbacks(execute=True):
        notify_many(
            Message(recipient=p, key=f"test.item:{n}", title=f"Пункт {n}")
            for n in (1, 2, 3)
            for p in (seller, colleague)
        )

    assert _mails_per_person() == {seller.email: 1, colleague.email: 1}
    assert all(m.body.count("Пункт") == 3 for m in mail.outbox)
