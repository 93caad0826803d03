"""The CMS side of the library: responsibilities as a snippet, pages that keep records, and
no publication that skips the review (every admin path that publishes is covered here)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.sop.choices import ChangeKind
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


def direct_publication_allowed(page: ReadablePage) -> bool:
    """Only a minor fix of a page already published, and only if the chain says so
    (SOP_MINOR_FIX_DIRECT_PUBLISH); everything else goes live through the review."""
    return bool(
        settings.SOP_MINOR_FIX_DIRECT_PUBLISH
        and page.first_published_at
        and page.change_kind == ChangeKind.MINOR
    )


def _refuse_direct_publication(request, page):
    if page.live and page.first_published_at is None:
        # The create view saved the new page live before asking: it stays a draft.
        Page.objects.filter(pk=page.pk).update(live=False, has_unpublished_changes=True)
    messages.error(
        request,
        _(
            "«%(title)s» was saved as a draft, not published: a change to an SOP or script "
            "goes live after a second person approves it. Submit it for review."
        )
        % {"title": page.title},
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def review_before_publication(request, page):
    """«Publish» on the edit or create form (also reverting and scheduling)."""
    if isinstance(page, ReadablePage) and not direct_publication_allowed(page):
        return _refuse_direct_publication(request, page)
    return None


def _is_library_page_form(context) -> bool:
    page = context.get("page")
    if page is not None:
        return issubclass(page.specific_class or type(page), ReadablePage)
    match = context["request"].resolver_match
    kwargs = match.kwargs if match else {}
    content_type = ContentType.objects.filter(
        app_label=kwargs.get("content_type_app_name"),
        model=kwargs.get("content_type_model_name"),
    ).first()
    model = content_type.model_class() if content_type else None
    return bool(model and issubclass(model, ReadablePage))


@hooks.register("construct_page_action_menu")
def offer_review_not_publication(menu_items, request, context):
    """No «Publish» button on library pages unless minor fixes may be published directly."""
    if settings.SOP_MINOR_FIX_DIRECT_PUBLISH or not _is_library_page_form(
        {**context, "request": request}
    ):
        return
    menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_bulk_action")
def no_bulk_publication_of_library_pages(request, action_type, objects, action_class_instance):
    if action_type != "publish":
        return None
    pages = ReadablePage.objects.filter(pk__in=[obj.pk for obj in objects])
    if not pages.exists():
        return None
    messages.error(request, _("SOPs and scripts are published through the review, one by one."))
    return redirect("wagtailadmin_explore", pages.first().get_parent().pk)


@hooks.register("before_copy_page")
def no_published_copies_of_library_pages(request, page):
    if request.method != "POST" or not request.POST.get("publish_copies"):
        return None
    subtree = ReadablePage.objects.descendant_of(page, inclusive=True)
    if not subtree.exists():
        return None
    messages.error(request, _("Copies of SOPs and scripts start as drafts and go through review."))
    return redirect("wagtailadmin_explore", page.get_parent().pk)
