"""Snippets edited in the CMS record before/after values through `event_record`: tested
through Wagtail's own admin views, as an LP manager uses them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from wagtail.actions import action_registry
from wagtail.snippets.models import get_snippet_models

from portal.events.cms import RECORDED_ACTIONS
from portal.events.models import SnippetEvent
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def lp(client, world):
    manager = world.people[Role.LP_MANAGER]
    client.force_login(manager)
    return manager


def _events(model, pk) -> list[SnippetEvent]:
    from django.contrib.contenttypes.models import ContentType

    return list(
        SnippetEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).order_by("pk")
    )


def _plan(**overrides):
    from kpi.models import Plan

    values = {
        "kpi": "penetration",
        "starts_on": date(2026, 12, 1),
        "ends_on": date(2026, 12, 31),
        "target": Decimal("65"),
    }
    return Plan.objects.create(**(values | overrides))


def test_every_snippet_model_saves_through_a_recorded_action():
    for model in get_snippet_models():
        for recorded in RECORDED_ACTIONS:
            action = action_registry.get_action_class(model, recorded.action_name)
            assert issubclass(action, recorded), (model, action)


def test_a_responsibility_created_in_the_cms_records_its_values(client, lp, world):
    from portal.sop.models import Responsibility

    response = client.post(
        reverse("wagtailsnippets_sop_responsibility:add"),
        {
            "aspect": "customer_work",
            "region": "",
            "store": world.store_a1.pk,
            "person": world.people[Role.STORE_MANAGER].pk,
            "note": "утренняя смена",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    row = Responsibility.objects.get()
    [event] = _events(Responsibility, row.pk)
    assert (event.kind, event.actor, event.object_repr) == ("created", lp, str(row))
    assert event.payload == {
        "values": {
            "aspect": "customer_work",
            "region": None,
            "store": world.store_a1.pk,
            "person": world.people[Role.STORE_MANAGER].pk,
            "note": "утренняя смена",
        }
    }


def test_a_plan_edited_in_the_cms_records_each_changed_field_before_and_after(client, lp):
    from kpi.models import Plan

    plan = _plan()
    stored_target = str(Plan.objects.get(pk=plan.pk).target)

    response = client.post(
        reverse("wagtailsnippets_kpi_plan:edit", args=[plan.pk]),
        {
            "kpi": "penetration",
            "region": "",
            "store": "",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-15",
            "target": "70",
        },
    )

    assert response.status_code == 302
    [event] = _events(Plan, plan.pk)
    assert (event.kind, event.actor) == ("edited", lp)
    assert event.payload["changes"] == {
        "ends_on": ["2026-12-31", "2026-12-15"],
        "target": [stored_target, str(Plan.objects.get(pk=plan.pk).target)],
    }


def test_an_exams_inline_rows_count_as_its_values(client, lp):
    from training.models import Exam
    from training.tests.factories import sample_exam
    from training.tests.test_cms import _edit_data

    exam = sample_exam()
    url = reverse("wagtailsnippets_training_exam:edit", args=[exam.pk])
    data = _edit_data(client, url)
    old_count = data["draws-0-count"]
    data["pass_mark"] = "85"
    data["draws-0-count"] = "4"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    [event] = _events(Exam, exam.pk)
    before, after = event.payload["changes"]["draws"]
    assert event.payload["changes"]["pass_mark"] == ["60.00", "85.00"]
    assert [row["count"] for row in before][0] == int(old_count)
    assert 4 in [row["count"] for row in after]


def test_saving_an_unchanged_snippet_records_nothing(client, lp):
    from training.models import Exam
    from training.tests.factories import sample_exam
    from training.tests.test_cms import _edit_data

    exam = sample_exam()
    url = reverse("wagtailsnippets_training_exam:edit", args=[exam.pk])

    response = client.post(url, _edit_data(client, url))

    assert response.status_code == 302
    assert _events(Exam, exam.pk) == []


def test_a_deleted_snippet_leaves_its_values(client, lp):
    from training.models import Course

    course = Course.objects.create(title="Основы", description="")
    pk = course.pk

    response = client.post(reverse("wagtailsnippets_training_course:delete", args=[pk]))

    assert response.status_code == 302 and not Course.objects.filter(pk=pk).exists()
    [event] = _events(Course, pk)
    assert (event.kind, event.actor, event.object_repr) == ("deleted", lp, "Основы")
    assert event.payload["values"]["title"] == "Основы"
    assert event.payload["values"]["items"] == []


def test_plans_deleted_in_bulk_each_leave_their_values(client, lp):
    from kpi.models import Plan

    first, second = _plan(), _plan(target=Decimal("80"))

    response = client.post(
        f"/cms/bulk/kpi/plan/delete/?id={first.pk}&id={second.pk}",
        {"id": [first.pk, second.pk]},
    )

    assert response.status_code == 302 and not Plan.objects.exists()
    targets = [
        Decimal(event.payload["values"]["target"])
        for pk in (first.pk, second.pk)
        for event in _events(Plan, pk)
    ]
    assert targets == [Decimal("65"), Decimal("80")]


def test_a_refused_edit_records_nothing(client, lp):
    from kpi.models import Plan

    plan = _plan()

    page = client.post(
        reverse("wagtailsnippets_kpi_plan:edit", args=[plan.pk]),
        {"kpi": "penetration", "starts_on": "2026-12-31", "ends_on": "2026-12-01", "target": "1"},
    )

    assert page.status_code == 200
    assert _events(Plan, plan.pk) == []
