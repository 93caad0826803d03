"""What an imported file may cost: sizes from settings, read when used (tests override)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from portal.imports.errors import ImportRejected, RowError


def megabytes(size: int) -> str:
    """A byte limit as people read it: '5', '0.5'."""
    return f"{size / (1024 * 1024):g}"


def upload_max_bytes() -> int:
    """The cap of org and question-bank files (receipts have their own,
    `KPI_UPLOAD_MAX_BYTES`)."""
    return settings.IMPORT_MAX_BYTES


def size_check(content: bytes, *, limit: int | None = None) -> None:
    """Refuse a file over the limit before anything reads it."""
    limit = upload_max_bytes() if limit is None else limit
    if len(content) > limit:
        raise ImportRejected([RowError(1, "file", size_message(limit), _("file"))])


def size_message(limit: int) -> str:
    return _("the file is larger than %(mb)s MB; split it") % {"mb": megabytes(limit)}
