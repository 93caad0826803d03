"""The nightly close on beat: the entry names the task, and the task closes what is due."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kpi.bonus.choices import StatementStatus
from kpi.bonus.models import Statement
from kpi.bonus.tasks import periods_close
from kpi.bonus.tests.factories import chain, scheme
from portal.celery import BEAT_SCHEDULE

pytestmark = pytest.mark.django_db


def test_the_close_is_on_beat_every_night():
    entry = BEAT_SCHEDULE["bonus-periods-close"]
    assert entry["task"] == periods_close.name == "kpi.bonus.tasks.periods_close"


def test_the_task_closes_the_due_period_once():
    c = chain([80, 75, 70, 60, 55, 50, 45, 40])
    scheme(c.hq, [c.region], starts_on=dt.date(2026, 10, 1))
    with time_machine.travel(dt.datetime(2026, 11, 3, 5, 15, tzinfo=dt.UTC), tick=False):
        assert periods_close.delay().get() == 1
        assert periods_close.delay().get() == 0
    statement = Statement.objects.get()
    assert statement.status == StatementStatus.REVIEW
    assert statement.lines.count() == 24
