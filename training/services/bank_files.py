"""The files embedded in questions (Moodle's `<file>`): stored in the bank's collection.

Pictures become Wagtail images, anything else (audio, PDF...) Wagtail documents, in the
collection «Question bank»; the same content is stored once (its SHA-1, Wagtail's own
`file_hash`). A question keeps `extra["files"] = {name: {"sha1", "image" | "document"}}`
and its texts keep Moodle's `@@PLUGINFILE@@/<name>` links; the attempt page points them
at `training:question_file`, which serves a file only to whoever may see the question
(the `training.open_question_file` rule). Like every stored file, none is served from `MEDIA_ROOT`
(architecture rule 8).
"""

from __future__ import annotations

import hashlib
import io
import mimetypes

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from training.models import Question

PICTURES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def bank_collection() -> Collection:
    """The CMS collection of the bank's files (named in the portal's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        name = gettext("Question bank")
    root = Collection.get_first_root_node()
    found = root.get_children().filter(name=name).first()
    return found or root.add_child(name=name)


def _picture_size(name: str, content: bytes) -> tuple[int, int] | None:
    """(width, height) of a picture a browser shows; None for anything else."""
    if mimetypes.guess_type(name)[0] not in PICTURES:
        return None
    try:
        with PILImage.open(io.BytesIO(content)) as picture:
            size = picture.size
            picture.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    return size


@transaction.atomic
def file_store(*, name: str, content: bytes) -> dict:
    """The stored file of this content (created once), as a question refers to it."""
    sha1 = hashlib.sha1(content).hexdigest()  # noqa: S324 - Wagtail's file_hash, not security
    collection = bank_collection()
    filename = name.rpartition("/")[2] or "file"
    size = _picture_size(name, content)
    model, key = (get_image_model(), "image") if size else (get_document_model(), "document")
    stored = model.objects.filter(collection=collection, file_hash=sha1).first()
    if stored is None:
        stored = model(title=filename, collection=collection, file_hash=sha1)
        stored.file.save(filename, ContentFile(content), save=False)
        stored.file_size = len(content)
        if size:  # after the file: assigning it recomputes (and here loses) the size
            stored.width, stored.height = size
        stored.save()
    return {"sha1": sha1, key: stored.pk}


def files_store(files: dict[str, bytes]) -> dict[str, dict]:
    return {name: file_store(name=name, content=content) for name, content in files.items()}


def stored_file(ref: dict):
    """The Wagtail image or document a question's file entry names (or None)."""
    if "image" in ref:
        return get_image_model().objects.filter(pk=ref["image"]).first()
    return get_document_model().objects.filter(pk=ref.get("document")).first()


def files_content(question: Question) -> dict[str, bytes]:
    """The question's embedded files as bytes (for the export)."""
    contents = {}
    for name, ref in (question.extra or {}).get("files", {}).items():
        stored = stored_file(ref)
        if stored is not None:
            with stored.file.open("rb") as f:
                contents[name] = f.read()
    return contents
