"""The visits' CSV: one row per visit, the auditor's name only for the network scope."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from audits.models import Visit


def VISITS_CSV(shows_auditor: bool) -> list[str]:  # noqa: N802 (a header, like the tables')
    return [
        _("Visit"),
        _("Store code"),
        _("Store"),
        _("Region"),
        _("Reason"),
        _("Status"),
        _("Due"),
        _("Auditor") if shows_auditor else _("Mystery shopper"),
        _("Submitted"),
        _("Score, %"),
        _("Passed"),
        _("Receipt in the POS data"),
        *([_("Purchase amount"), _("To reimburse")] if shows_auditor else []),
    ]


def visit_csv_rows(visits: Iterable[Visit], *, names: bool) -> Iterator[list]:
    for visit in visits:
        yield [
            visit.number,
            visit.store.code,
            visit.store.name,
            visit.store.region.name,
            visit.get_reason_display(),
            visit.get_status_display(),
            visit.due_on,
            (visit.auditor.get_full_name() if visit.auditor else "") if names else visit.pseudonym,
            visit.submitted_at.strftime("%Y-%m-%d %H:%M") if visit.submitted_at else "",
            visit.score if visit.score is not None else "",
            "" if visit.passed is None else (_("yes") if visit.passed else _("no")),
            visit.get_receipt_check_display(),
            *([visit.receipt_amount, visit.reimbursement] if names else []),
        ]
