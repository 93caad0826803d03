"""The SOP reminder run on portal/notify: a mail server failing or a worker stopped half-way
through the run's mails never makes anyone get a mail twice; repeating the run records
nothing new."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from portal.notify.delivery import deliveries_retry
from portal.notify.models import Delivery, Notification
from portal.notify.tests.backends import KilledOnThirdMessage, RefusesThirdMessage, WorkerStopped
from portal.org.choices import Role
from portal.org.tests.factories import person
from portal.sop.services import sop_reminders_send
from portal.sop.tests.factories import publish_sop

pytestmark = pytest.mark.django_db


def _late_readers(world) -> list:
    """Six sellers of A1 (the world's two and four more) late with a mandatory page."""
    for _n in range(4):
        person(Role.STORE_STAFF, store=world.store_a1)
    publish_sop(title="Срочно", roles=[Role.STORE_STAFF], stores=[world.store_a1], due_days=7)
    return list(world.store_a1.people.filter(role=Role.STORE_STAFF))


def _mails_per_address() -> Counter:
    return Counter(address for message in mail.outbox for address in message.to)


@pytest.mark.parametrize(
    ("backend", "stops_the_task"), [(RefusesThirdMessage, False), (KilledOnThirdMessage, True)]
)
def test_a_send_failing_half_way_is_finished_by_the_next_run_and_nobody_gets_two(
    world, settings, django_capture_on_commit_callbacks, backend, stops_the_task
):
    # Given six late sellers, a store manager, a regional manager, and a mail server that
    # fails on the third message of the run (refuses it, or the worker is stopped there)
    sellers = _late_readers(world)
    settings.EMAIL_BACKEND = f"{backend.__module__}.{backend.__name__}"
    backend.calls = 0
    late_day = timezone.localdate() + datetime.timedelta(days=16)

    # When the daily run records reminders and escalations and its task sends them
    if stops_the_task:
        with pytest.raises(WorkerStopped), django_capture_on_commit_callbacks(execute=True):
            report = sop_reminders_send(today=late_day)
    else:
        with django_capture_on_commit_callbacks(execute=True):
            report = sop_reminders_send(today=late_day)

    # Then the run's records stand and the mails sent before the failure stay sent
    readers = len(sellers)
    assert Notification.objects.count() == 3 * readers  # reader, store and region rungs
    sent_first = Counter(_mails_per_address())
    assert sum(sent_first.values()) == (2 if stops_the_task else readers + 2 - 1)
    marked = Delivery.objects.filter(channel="email").exclude(sent_at=None)
    assert {d.address for d in marked} == set(sent_first)

    # When the beat task runs again, twice, and the whole daily run is repeated
    deliveries_retry()
    deliveries_retry()
    with django_capture_on_commit_callbacks(execute=True):
        again = sop_reminders_send(today=late_day)

    # Then every person got exactly one digest, and the repeated run recorded nothing
    expected = {seller.email: 1 for seller in sellers} | {
        world.people[Role.STORE_MANAGER].email: 1,
        world.people[Role.REGIONAL_MANAGER].email: 1,
    }
    assert _mails_per_address() == expected
    assert again.notifications == 0
    assert Notification.objects.count() == 3 * readers
    assert not Delivery.objects.filter(sent_at=None).exists()
    manager_digest = next(
        m.body for m in mail.outbox if m.to == [world.people[Role.STORE_MANAGER].email]
    )
    assert manager_digest.count("не подтвердил(а) «Срочно»") == readers
    assert report.reminders == readers
