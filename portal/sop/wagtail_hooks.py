"""The CMS side of the library: responsibilities as a snippet, and pages that keep records."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.sop.models import Acknowledgement, ReadablePage, Responsibility


class ResponsibilityViewSet(SnippetViewSet):
    model = Responsibility
    icon = "group"
    menu_label = gettext_lazy("Responsibilities")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["aspect", Column("level_label", label=gettext_lazy("level")), "person", "note"]
    list_filter = ["aspect"]
    search_fields = ["person__last_name", "person__first_name", "note"]


register_snippet(ResponsibilityViewSet)


@hooks.register("before_delete_page")
def keep_pages_with_confirmations(request, page):
    """Confirmations are records: a page people confirmed is unpublished, never deleted."""
    if not isinstance(page.specific, ReadablePage):
        return None
    if Acknowledgement.objects.filter(page_id=page.pk).exists():
        messages.error(
            request,
            _("«%(title)s» has confirmations on record: unpublish it instead of deleting it.")
            % {"title": page.title},
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
