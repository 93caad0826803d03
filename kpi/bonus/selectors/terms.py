"""Reads of HR's terms page: the terms in force and the files taken in or refused."""

from __future__ import annotations

from django.db.models import QuerySet

from kpi.bonus.models import StaffTerms
from portal.imports.models import ImportLog

HISTORY_ROWS = 20
# The batch log's kind of HR's terms files.
KIND = "bonus_terms"


def terms_listed() -> QuerySet[StaffTerms]:
    """Every person's terms (HQ's page), by store and personnel number."""
    return StaffTerms.objects.select_related("person__store").order_by(
        "person__store__code", "person__personnel_number", "pk"
    )


def terms_history(*, rows: int = HISTORY_ROWS) -> list[ImportLog]:
    """The latest HR terms files, applied or rejected, with who loaded them."""
    return list(
        ImportLog.objects.filter(kind=KIND)
        .select_related("created_by")
        .order_by("-created_at", "-pk")[:rows]
    )
