"""The public complaint page's filing: the ticket and the customer's photo of the receipt
are stored together or not at all."""

from __future__ import annotations

import datetime as dt
import posixpath

from django.core.files.base import ContentFile
from django.db import transaction

from incidents.models import Ticket, TicketAttachment
from incidents.services.attachments import attachment_add
from incidents.services.intake import Intake, ticket_file


def _files_remove(ticket_id: int) -> None:
    """Remove whatever was written to the storage for a ticket whose filing was undone.
    Its folder is its own (attachments are stored under the ticket's id, and an id is
    never given again), so everything in it belongs to the failed filing."""
    field = TicketAttachment._meta.get_field("file")
    folder = posixpath.dirname(field.generate_filename(TicketAttachment(ticket_id=ticket_id), "x"))
    try:
        _folders, files = field.storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        field.storage.delete(posixpath.join(folder, name))


def ticket_file_public(
    intake: Intake, *, photo: ContentFile | None = None, at: dt.datetime | None = None
) -> Ticket:
    """File the customer's complaint (`ticket_file`, no actor) with its receipt photo in
    one transaction. ValidationError by field when the intake is refused. Whatever fails,
    nothing stays: no ticket, and no file in the storage (a rollback does not undo the
    storage, so a file written before the transaction failed is removed again)."""
    filed: Ticket | None = None
    try:
        with transaction.atomic():
            filed = ticket_file(intake, actor=None, at=at)
            if photo is not None:
                attachment_add(filed, actor=None, upload=photo, at=filed.created_at)
    except BaseException:
        if filed is not None and photo is not None:
            _files_remove(filed.pk)
        raise
    return filed
