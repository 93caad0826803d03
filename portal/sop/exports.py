"""CSV exports of the compliance views (Russian Excel opens them as they are)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _

from portal.exports import csv_response
from portal.sop.compliance import ComplianceBook, ComplianceFigures


def stores_csv(book: ComplianceFigures, filename: str) -> HttpResponse:
    return csv_response(
        filename,
        [
            _("Region"),
            _("Store code"),
            _("Store"),
            _("People"),
            _("Confirmations required"),
            _("Confirmed"),
            _("Overdue"),
            _("Confirmed, %"),
        ],
        (
            [
                row.store.region.name,
                row.store.code,
                row.store.name,
                row.people,
                row.tally.required,
                row.tally.confirmed,
                row.tally.overdue,
                row.tally.share,
            ]
            for row in book.stores.values()
        ),
    )


def people_csv(book: ComplianceBook, filename: str) -> HttpResponse:
    return csv_response(
        filename,
        [
            _("Personnel number"),
            _("Person"),
            _("Role"),
            _("Page"),
            _("Status"),
            _("Due"),
            _("Confirmed at"),
        ],
        (
            [
                row.person.personnel_number,
                row.person.full_name,
                row.person.get_role_display(),
                page.title,
                req.status.label,
                req.due.isoformat() if req.due else "",
                req.confirmed.acknowledged_at.strftime("%Y-%m-%d %H:%M") if req.confirmed else "",
            ]
            for row in book.people
            for page, req in row.items
        ),
    )
