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

    assert first.startswith("2 checklists; visits: ")
    assert second == "0 checklists; visits: kept"
    statuses = sorted(Checklist.objects.values_list("status", flat=True))
    assert statuses == [ChecklistStatus.DRAFT, ChecklistStatus.PUBLISHED]
    assert ChecklistEvent.objects.count() == 3  # two created, one published
    version = ChecklistVersion.objects.get()
    questions = version.questions.all()
    assert (version.sections.count(), len(questions)) == (5, 30)
    assert sum(q.critical == Critical.VISIT for q in questions) == 3


def test_every_demo_store_with_an_lp_launch_date_has_its_visit_two_days_after():
    from datetime import timedelta

    from audits.choices import VisitReason
    from audits.models import Visit
    from portal.org import services
    from portal.org.demo import demo_people_csv, demo_stores_csv
    from portal.org.models import Store

    services.org_stores_import(actor=None, content=demo_stores_csv(), filename="stores.csv")
    services.org_people_import(actor=None, content=demo_people_csv(), filename="people.csv")

    dict(demo.builders())["audits"]()

    launched = Store.objects.filter(lp_launch_date__isnull=False, is_active=True)
    visits = {v.store_id: v for v in Visit.objects.filter(reason=VisitReason.LAUNCH)}
    assert launched.count() > 50
    assert set(visits) == set(launched.values_list("pk", flat=True))
    for store in launched:
        assert visits[store.pk].not_before == store.lp_launch_date + timedelta(days=2)
    # The launch days have passed: the demo's auditors filed and published them.
    assert {v.status for v in visits.values()} == {"published"}
