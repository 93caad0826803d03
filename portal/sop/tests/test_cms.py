"""The CMS side: only LP managers and admins edit, through a review workflow, and say for
every change whether readers must confirm again; uploads are restricted to safe files."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import Page

from portal.org.choices import Role
from portal.sop.choices import ChangeKind
from portal.sop.services import sop_editorial_setup
from portal.sop.tests.factories import publish_sop

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role.values))
def test_only_lp_managers_and_admins_may_edit(world, client, role):
    page = publish_sop()
    client.force_login(world.people[role])

    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    may_edit = role in (Role.LP_MANAGER, Role.ADMIN)
    assert response.status_code == (200 if may_edit else 302)
    if not may_edit:
        assert "/cms/login/" in response["Location"] or response["Location"].startswith("/")


def test_sop_pages_go_through_the_review_workflow(world):
    page = publish_sop()
    workflow = sop_editorial_setup()

    assert page.get_workflow() == workflow
    task = workflow.tasks.first().specific
    assert list(task.groups.values_list("name", flat=True)) == [Role.LP_MANAGER]
    home = Page.objects.filter(depth=2).first()
    assert home.group_permissions.filter(group__name=Role.LP_MANAGER).count() == 5


def _edit_data(page, **overrides):
    data = {
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "aspect": page.aspect,
        "audience_roles": page.audience_roles,
        "due_days": page.due_days,
        "mandatory": "on",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-value": json.dumps(
            {
                "blocks": [
                    {
                        "key": "a",
                        "text": "Новый текст",
                        "type": "unstyled",
                        "depth": 0,
                        "inlineStyleRanges": [],
                        "entityRanges": [],
                    }
                ],
                "entityMap": {},
            }
        ),
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": page.body[0].id,
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "action-publish": "action-publish",
    }
    data.update(overrides)
    return data


def test_the_editor_must_say_whether_a_change_is_material(world, client):
    page = publish_sop()
    client.force_login(world.people["lp_manager"])
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])

    form = client.get(url).context["form"]
    assert form.initial.get("change_kind") == ""  # never carried over from the last edit

    missing = client.post(url, _edit_data(page))
    assert missing.status_code == 200
    assert "change_kind" in missing.context["form"].errors
    no_summary = client.post(url, _edit_data(page, change_kind=ChangeKind.MATERIAL))
    assert "change_summary" in no_summary.context["form"].errors
    assert page.versions.count() == 1


def test_a_draft_in_review_shows_its_authors_choice_to_the_reviewer(world, client):
    page = publish_sop()
    page.change_kind, page.change_summary = ChangeKind.MATERIAL, "Новый срок"
    page.save_revision(user=world.people["lp_manager"])
    client.force_login(world.people["lp_manager"])

    form = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).context["form"]

    assert form.initial["change_kind"] == ChangeKind.MATERIAL
    assert form.initial["change_summary"] == "Новый срок"


def test_a_material_change_approved_in_the_cms_is_recorded(world, client):
    sop_editorial_setup()
    page = publish_sop()
    client.force_login(world.people["lp_manager"])
    submit = _edit_data(page, change_kind=ChangeKind.MATERIAL, change_summary="Новый порядок")
    del submit["action-publish"]
    client.post(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), {**submit, "action-submit": "1"}
    )
    task_state = page.current_workflow_state.current_task_state
    client.force_login(world.people["admin"])  # a second person approves

    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    )

    newest = page.versions.order_by("-revision_id").first()
    assert (newest.kind, newest.change_summary) == (ChangeKind.MATERIAL, "Новый порядок")


@override_settings(WAGTAILDOCS_MAX_UPLOAD_SIZE=1024)
@pytest.mark.parametrize(
    ("name", "size", "accepted"),
    [
        ("регламент.pdf", 100, True),
        ("page.html", 100, False),
        ("macro.exe", 100, False),
        ("huge.pdf", 4096, False),
        ("image.svg", 100, False),
    ],
)
def test_uploaded_documents_are_safe_types_and_sizes(world, client, name, size, accepted):
    client.force_login(world.people["lp_manager"])

    client.post(
        reverse("wagtaildocs:add"),
        {
            "title": name,
            "file": SimpleUploadedFile(name, b"%PDF-1.4 " + b"x" * size),
            "collection": 1,
        },
    )

    assert Document.objects.filter(title=name).exists() == accepted


def test_a_change_waits_for_review_and_is_recorded_when_approved(world):
    from portal.sop.models import SopPage

    author, reviewer = world.people["lp_manager"], world.people["admin"]
    page = publish_sop(text=["Старый порядок."])
    page = SopPage.objects.get(pk=page.pk)
    page.change_kind = ChangeKind.MATERIAL
    page.change_summary = "Новый порядок регистрации"
    page.save_revision(user=author)

    state = page.get_workflow().start(page, author)
    assert page.versions.count() == 1  # submitted, not published

    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, reviewer, "approve")

    newest = page.versions.order_by("-revision_id").first()
    assert page.versions.count() == 2
    assert (newest.kind, newest.change_summary) == (
        ChangeKind.MATERIAL,
        "Новый порядок регистрации",
    )
    assert newest.author == author


def test_scheduled_publication_goes_live_from_the_beat_task(world):
    import datetime

    from django.utils import timezone

    from portal.sop.models import SopPage
    from portal.sop.tasks import publish_scheduled

    page = publish_sop(text=["Сейчас."])
    page = SopPage.objects.get(pk=page.pk)
    page.change_kind = ChangeKind.MINOR
    revision = page.save_revision()
    revision.approved_go_live_at = timezone.now() - datetime.timedelta(minutes=1)
    revision.save(update_fields=["approved_go_live_at"])

    publish_scheduled()

    page.refresh_from_db()
    assert page.live_revision_id == revision.pk
    assert page.versions.order_by("-revision_id").first().kind == ChangeKind.MINOR
