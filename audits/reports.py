"""A visit's report as an A4 PDF (through `portal.pdf`) with its photos downscaled into it,
and its sending by e-mail to the store's and the region's managers."""

from __future__ import annotations

import base64
import io
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from PIL import Image

from audits.choices import VisitStatus
from audits.models import Visit, VisitPhoto
from audits.selectors.visits import visit_sections
from audits.services.loop import report_recipients
from portal.pdf import render_pdf

logger = logging.getLogger(__name__)

PDF_PHOTO_SIDE = 900  # px: sharp at the printed width, ~60–120 KB each
PDF_PHOTO_QUALITY = 70


def photo_data_uri(photo: VisitPhoto) -> str:
    """The photo downscaled for print, as a data: URI (the PDF renderer fetches nothing)."""
    with photo.file.open("rb") as stored, Image.open(stored) as image:
        image.thumbnail((PDF_PHOTO_SIDE, PDF_PHOTO_SIDE))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=PDF_PHOTO_QUALITY, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def visit_report_context(*, visit: Visit, shows_auditor: bool) -> dict:
    sections = visit_sections(visit=visit)
    photos = {}
    for section in sections:
        for row in section.rows:
            for photo in row.photos:
                photos[photo.pk] = photo_data_uri(photo)
    general = [photo_data_uri(p) for p in visit.photos.filter(question__isnull=True)]
    return {
        "visit": visit,
        "sections": sections,
        "photo_uris": photos,
        "general_photos": general,
        "shows_auditor": shows_auditor,
    }


def visit_report_pdf(*, visit: Visit, shows_auditor: bool = False) -> bytes:
    return render_pdf(
        "pdf/audits/visit.html", visit_report_context(visit=visit, shows_auditor=shows_auditor)
    )


def visit_report_send(*, visit_id: int) -> int:
    """E-mail the published report (PDF attached) to the managers with an e-mail address;
    returns how many were sent to. A visit not published (any more) sends nothing."""
    visit = (
        Visit.objects.select_related("store__region", "checklist", "version")
        .filter(pk=visit_id, status=VisitStatus.PUBLISHED)
        .first()
    )
    if visit is None:
        return 0
    recipients = [p.email for p in report_recipients(visit) if p.email]
    if not recipients:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        pdf = visit_report_pdf(visit=visit)
        subject = _("Mystery-shopper report %(number)s: %(store)s") % {
            "number": visit.number,
            "store": visit.store.name,
        }
        body = _("The report of the visit is attached; it is also on the portal: %(url)s") % {
            "url": f"{settings.WAGTAILADMIN_BASE_URL}{visit.get_absolute_url()}"
        }
    message = EmailMessage(subject, body, to=recipients)
    message.attach(f"{visit.number}.pdf", pdf, "application/pdf")
    message.send()
    logger.info("visit report %s sent to %d", visit.number, len(recipients))
    return len(recipients)
