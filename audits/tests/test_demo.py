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
    """The demo chain's stores, the demo checklist published, and the demo builder's first
    step (`launch_visits_schedule`); the builder's filing of those visits runs end to end
    in the browser tests' demo chain (`tests/browser/test_role_dashboards.py`)."""
    from datetime import timedelta

    from audits.choices import VisitReason
    from audits.demo_checklist import checklist_sections
    from audits.models import Visit
    from audits.services import checklist_create, checklist_publish
    from audits.services.planning import launch_visits_schedule
    from portal.org import services
    from portal.org.demo import demo_people_csv, demo_stores_csv
    from portal.org.models import Store, User

    services.org_stores_import(actor=None, content=demo_stores_csv(), filename="stores.csv")
    services.org_people_import(actor=None, content=demo_people_csv(), filename="people.csv")
    lp = User.objects.filter(role=Role.LP_MANAGER).first()
    made = checklist_create(actor=lp, title="Демо", sections=checklist_sections({}))
    checklist_publish(actor=lp, checklist=made)

    scheduled = launch_visits_schedule()

    launched = Store.objects.filter(lp_launch_date__isnull=False, is_active=True)
    visits = {v.store_id: v for v in Visit.objects.filter(reason=VisitReason.LAUNCH)}
    assert scheduled == launched.count() > 50
    assert set(visits) == set(launched.values_list("pk", flat=True))
    for store in launched:
        assert visits[store.pk].not_before == store.lp_launch_date + timedelta(days=2)
    assert launch_visits_schedule() == 0  # the nightly run again changes nothing
