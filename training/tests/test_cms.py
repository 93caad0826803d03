"""LP managers build exams, courses and question topics in the CMS; nobody else can."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.org.choices import Role
from training.models import Exam
from training.tests.factories import sample_exam

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.LP_MANAGER, Role.STORE_MANAGER, Role.REGIONAL_MANAGER])
def test_only_lp_managers_edit_exams(world, client, role):
    exam = sample_exam()
    client.force_login(world.people[role])

    listing = client.get(reverse("wagtailsnippets_training_exam:list"))
    edit = client.get(reverse("wagtailsnippets_training_exam:edit", args=[exam.pk]))

    allowed = role == Role.LP_MANAGER
    assert listing.status_code == (200 if allowed else 302)
    assert edit.status_code == (200 if allowed else 302)
    if allowed:
        assert exam.title in listing.content.decode()


def _edit_data(client, url: str) -> dict:
    """The CMS edit form's fields as the browser would post them unchanged."""
    form = client.get(url).context["form"]
    data = {}
    for bound in form:
        value = bound.value()
        if value is not None and not isinstance(value, list | tuple):
            data[bound.html_name] = value
    for formset in form.formsets.values():
        for name, bound_value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = bound_value
        for n, child in enumerate(formset.forms):
            for bound in child:
                if bound.value() is not None:
                    data[bound.html_name] = bound.value()
            data[f"{formset.prefix}-{n}-ORDER"] = n
    return data


def test_an_lp_manager_changes_the_pass_mark_and_draws_in_the_cms(world, client):
    exam = sample_exam()
    client.force_login(world.people[Role.LP_MANAGER])
    url = reverse("wagtailsnippets_training_exam:edit", args=[exam.pk])
    data = _edit_data(client, url)
    data["pass_mark"] = "85"
    data["draws-0-count"] = "4"

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    exam = Exam.objects.get(pk=exam.pk)
    assert exam.pass_mark == 85
    assert 4 in exam.draws.values_list("count", flat=True)
