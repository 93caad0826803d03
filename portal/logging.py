"""One time zone in every log line, and the line says which: ISO 8601 with the offset."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo


class IsoTimeFormatter(logging.Formatter):
    """`2026-12-02T17:03:24.123+03:00 INFO name: message`, in the `tz` given (the portal's
    TIME_ZONE), whatever the machine's own zone."""

    def __init__(self, *args, tz: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = ZoneInfo(tz)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        moment = datetime.fromtimestamp(record.created, tz=self.tz)
        return moment.isoformat(timespec="milliseconds")
