"""The CMS side of audits: LP managers write mystery-shopper checklists (sections and
questions as a StreamField); publishing a version is done on the portal's checklist page
(`audits.services.checklist_publish`), which checks and freezes it."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from audits.choices import ChecklistEventKind
from audits.models import Checklist, ChecklistEvent
from portal.events.cms import RecordedCreateAction
from portal.events.services import event_record


class ChecklistCreateAction(RecordedCreateAction):
    """A checklist made in the CMS is written by whoever made it, and records `created`
    in its own history as one made through the service does."""

    @transaction.atomic
    def _create(self, skip_permission_checks: bool = False):
        self.instance.created_by = self.user
        checklist = super()._create(skip_permission_checks=skip_permission_checks)
        event_record(
            ChecklistEvent,
            checklist=checklist,
            kind=ChecklistEventKind.CREATED,
            actor=self.user,
            payload={"title": checklist.title},
        )
        return checklist


class ChecklistViewSet(SnippetViewSet):
    model = Checklist
    icon = "tasks"
    menu_label = _("Mystery-shopper checklists")
    menu_name = "audit-checklists"
    add_to_admin_menu = True
    list_display = ["title", "status", "published_at"]
    list_filter = ["status"]
    search_fields = ["title"]
    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("pass_mark")]),
        FieldPanel("description"),
        FieldPanel("sections"),
    ]


register_snippet(ChecklistViewSet)


@hooks.register("register_actions")
def register_checklist_actions(registry) -> None:
    registry.register(Checklist, ChecklistCreateAction)
