"""The desk's private files: ticket attachments, readable by whoever may open the ticket."""

from __future__ import annotations

from portal.files.registry import PrivateFile


def _may_open_ticket(user, ticket_id: int) -> bool:
    from incidents.selectors.tickets import tickets_visible_to

    if not user.is_authenticated or not user.is_active:
        return False
    return tickets_visible_to(user=user).filter(pk=ticket_id).exists()


def ticket_file(path: str) -> PrivateFile | None:
    from incidents.models import TicketAttachment

    if not path.startswith("incidents/tickets/"):
        return None
    attachment = TicketAttachment.objects.filter(file=path).first()
    if attachment is None:
        return None
    ticket_id = attachment.ticket_id
    return PrivateFile(
        file=attachment.file,
        filename=attachment.name,
        inline=attachment.name.lower().rsplit(".", 1)[-1] in ("jpg", "jpeg", "png", "pdf"),
        readable_by=lambda user: _may_open_ticket(user, ticket_id),
    )
