"""Who may read the CMS's documents and images: the readers of a page that uses them.

A Wagtail document or image (and each of an image's renditions) is readable by
- content owners: anyone with a CMS permission on documents (images) — add, change or
  choose — in any collection; superusers;
- everyone else: when a live page that references it (Wagtail's reference index: chooser
  blocks, rich-text links, foreign keys) is readable by them — an SOP or script page when
  they are in its audience (`portal.sop.selectors.pages_readable_by`), any other live page
  of the knowledge base (the root, section indexes) when they are logged in.

A file only a draft uses is for content owners until the draft is published.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry
from wagtail.users.models import UserProfile

from portal.files.registry import PrivateFile, register_resolver
from portal.sop.models import ReadablePage
from portal.sop.selectors import pages_readable_by

OWNER_ACTIONS = {"add", "change", "choose"}


def _live_pages_referencing(obj: Model):
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = [
        int(pk)
        for pk in ReferenceIndex.get_references_to(obj)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    ]
    return Page.objects.live().filter(pk__in=page_ids)


def _used_on_a_page_readable_by(obj: Model, user) -> bool:
    pages = _live_pages_referencing(obj)
    if pages_readable_by(user=user).filter(pk__in=pages.values("pk")).exists():
        return True
    # Pages outside the SOP library carry no audience: the login is their only rule.
    return pages.exclude(pk__in=ReadablePage.objects.values("pk")).exists()


def document_readable_by(*, document: Model, user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if policy_registry.get_by_type(get_document_model()).user_has_any_permission(
        user, OWNER_ACTIONS
    ):
        return True
    return _used_on_a_page_readable_by(document, user)


def image_readable_by(*, image: Model, user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if policy_registry.get_by_type(get_image_model()).user_has_any_permission(user, OWNER_ACTIONS):
        return True
    return _used_on_a_page_readable_by(image, user)


def document_private_file(document: Model) -> PrivateFile:
    return PrivateFile(
        file=document.file,
        filename=document.filename,
        inline=document.content_disposition.startswith("inline"),
        readable_by=lambda user: document_readable_by(document=document, user=user),
    )


@register_resolver
def document_file(path: str) -> PrivateFile | None:
    document = get_document_model().objects.filter(file=path).first()
    return document_private_file(document) if document else None


@register_resolver
def image_file(path: str) -> PrivateFile | None:
    """An original image or one of its renditions (what `{% image %}` links to)."""
    image_model = get_image_model()
    image = image_model.objects.filter(file=path).first()
    stored = image.file if image else None
    if image is None:
        rendition = (
            image_model.get_rendition_model()
            .objects.filter(file=path)
            .select_related("image")
            .first()
        )
        if rendition is None:
            return None
        image, stored = rendition.image, rendition.file
    return PrivateFile(
        file=stored,
        filename=stored.name,
        inline=True,
        readable_by=lambda user: image_readable_by(image=image, user=user),
    )


@register_resolver
def avatar_file(path: str) -> PrivateFile | None:
    """A CMS user's avatar: shown to the people who use the CMS."""
    profile = UserProfile.objects.filter(avatar=path).first()
    if profile is None:
        return None
    return PrivateFile(
        file=profile.avatar,
        filename=profile.avatar.name,
        inline=True,
        readable_by=lambda user: user.is_active and user.has_perm("wagtailadmin.access_admin"),
    )
