"""The audits room adds its checklists to `seed_demo` through the demo registry."""

from __future__ import annotations

import pytest

from audits.choices import ChecklistStatus, Critical
from audits.models import Checklist, ChecklistEvent, ChecklistVersion
from portal.home import demo
from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS
from portal.org.tests.factories import person

pytestmark = pytest.mark.django_db


def test_the_demo_builder_is_registered_and_idempotent():
    email = next(login.email for login in DEMO_LOGINS if login.role == Role.LP_MANAGER)
    person(Role.LP_MANAGER, email=email)
    build = dict(demo.builders())["audits"]

    first, second = build(), build()

    assert (first, second) == ("audits: 2 checklists", "audits: 0 checklists")
    statuses = sorted(Checklist.objects.values_list("status", flat=True))
    assert statuses == [ChecklistStatus.DRAFT, ChecklistStatus.PUBLISHED]
    assert ChecklistEvent.objects.count() == 3  # two created, one published
    version = ChecklistVersion.objects.get()
    questions = version.questions.all()
    assert (version.sections.count(), len(questions)) == (5, 30)
    assert sum(q.critical == Critical.VISIT for q in questions) == 3
