"""Exams and courses edited in the CMS are event rows too (`portal.events.cms`): an
exam's inline rows (draws) count as its values."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.events.changes import instance_values, jsonable
from portal.events.testing import snippet_events as _events
from portal.org.choices import Role
from training.models import Course, Exam
from training.tests.factories import sample_exam
from training.tests.test_cms import _edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def lp(client, world):
    manager = world.people[Role.LP_MANAGER]
    client.force_login(manager)
    return manager


def test_an_exams_inline_rows_count_as_its_values(client, lp):
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


def test_saving_an_unchanged_exam_records_nothing(client, lp):
    exam = sample_exam()
    url = reverse("wagtailsnippets_training_exam:edit", args=[exam.pk])

    response = client.post(url, _edit_data(client, url))

    assert response.status_code == 302
    assert _events(Exam, exam.pk) == []


def test_a_deleted_course_leaves_its_values_and_its_items(client, lp):
    course = Course.objects.create(title="Основы", description="")
    pk = course.pk

    response = client.post(reverse("wagtailsnippets_training_course:delete", args=[pk]))

    assert response.status_code == 302 and not Course.objects.filter(pk=pk).exists()
    [event] = _events(Course, pk)
    assert (event.kind, event.actor, event.object_repr) == ("deleted", lp, "Основы")
    assert event.payload["values"]["title"] == "Основы"
    assert event.payload["values"]["items"] == []


def test_instance_values_include_an_inline_panels_rows():
    exam = sample_exam()

    values = instance_values(exam)

    assert values["title"] == exam.title
    assert values["pass_mark"] == jsonable(exam.pass_mark)
    assert len(values["draws"]) == exam.draws.count() > 0
    assert "exam" not in values["draws"][0]  # the parent key is implied
