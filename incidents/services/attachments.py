"""Files on a ticket: a photo (re-encoded, metadata dropped, by the shared image cleaner)
or a PDF, at most INCIDENTS_ATTACHMENT_MAX_BYTES, stored privately."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import TicketEventKind
from incidents.models import Ticket, TicketAttachment
from incidents.services.workflow import _event
from portal.files.images import image_clean
from portal.org.models import User

PDF_MAGIC = b"%PDF-"


def attachment_add(
    ticket: Ticket, *, actor: User | None, upload, at: dt.datetime | None = None
) -> TicketAttachment:
    """Check and store one file. A photo is re-encoded as JPEG; a PDF is kept as sent; any
    other content is refused, named."""
    at = at or timezone.now()
    limit = settings.INCIDENTS_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)d MB; at most %(max)d MB.")
            % {"size": upload.size // (1024 * 1024) + 1, "max": limit // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    name = (upload.name or "file").rsplit("/", 1)[-1][:150]
    if head == PDF_MAGIC:
        content = ContentFile(upload.read(), name=name)
    else:
        cleaned = image_clean(upload, max_bytes=limit)  # ValidationError naming what is wrong
        content = ContentFile(cleaned.content, name=name.rsplit(".", 1)[0] + ".jpg")
        name = content.name
    with transaction.atomic():
        attachment = TicketAttachment(
            ticket=ticket, name=name, size=content.size, uploaded_by=actor, at=at
        )
        attachment.file.save(content.name, content, save=False)
        try:
            attachment.save()
            _event(ticket, TicketEventKind.ATTACHED, actor=actor, at=at, name=name)
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment
