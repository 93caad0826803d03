"""Row errors of an imported file and the rejection that carries them."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

log = logging.getLogger("portal.imports")


@dataclass(frozen=True)
class RowError:
    """One problem: the file's line, the field (our name for it) and the reason.

    `column` is the field as the person's file names it (their header, Russian if they
    wrote it in Russian), or a readable name when the file has no such column; pages
    and logs show it, while the API keeps speaking in field names.
    """

    line: int
    field: str
    message: str
    column: str = ""

    @property
    def label(self) -> str:
        return self.column or self.field

    def __str__(self) -> str:
        return _("line %(line)s, %(field)s: %(message)s") % {
            "line": self.line,
            "field": self.label,
            "message": self.message,
        }


class ImportRejected(Exception):
    """The file has problems; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors


def import_rejected_log(*, kind: str, filename: str, actor, errors: list) -> None:
    """One warning line per rejected file in the `portal.imports` log."""
    log.warning(
        "import rejected: kind=%s file=%r actor=%s errors=%d first=%r",
        kind,
        filename,
        getattr(actor, "pk", None),
        len(errors),
        [str(e) for e in errors[:5]],
    )
