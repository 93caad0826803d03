"""Documents and images as editors upload them, and SOP pages that use them."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from portal.org.models import Region, Store
from portal.sop.choices import ChangeKind
from portal.sop.models import SopPage
from portal.sop.tests.factories import sop_index


def document(*, title: str = "Бланк анкеты", name: str = "anketa.pdf"):
    return get_document_model().objects.create(
        title=title, file=ContentFile(b"%PDF-1.4\n%demo\n", name=name)
    )


def image(*, title: str = "Стойка с картами", name: str = "stand.png"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "#0d6efd").save(buffer, "PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=name)
    )


def publish_sop_using(
    *,
    documents: Iterable = (),
    images: Iterable = (),
    title: str = "Регламент с бланком",
    roles: Iterable[str] = ("store_staff",),
    regions: Iterable[Region] = (),
    stores: Iterable[Store] = (),
    publish: bool = True,
) -> SopPage:
    """An SOP page whose body shows these documents and images (chooser blocks)."""
    stream = [{"type": "paragraph", "value": "<p>См. вложения.</p>", "id": str(uuid.uuid4())}]
    stream += [
        {"type": "document", "value": {"document": d.pk, "title": ""}, "id": str(uuid.uuid4())}
        for d in documents
    ]
    stream += [
        {"type": "image", "value": {"image": i.pk, "caption": ""}, "id": str(uuid.uuid4())}
        for i in images
    ]
    page = SopPage(
        title=title,
        slug=f"sop-{uuid.uuid4().hex[:10]}",
        summary=title,
        audience_roles=list(roles),
        body=json.dumps(stream, ensure_ascii=False),
        change_kind=ChangeKind.MATERIAL,
    )
    page.live = publish
    page.audience_regions = list(regions)
    page.audience_stores = list(stores)
    sop_index().add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return SopPage.objects.get(pk=page.pk)
