"""`tickets_history_build`: the specs replayed and written chunk by chunk, in one
transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db import transaction

from incidents.history.desk import _Desk
from incidents.history.replay import _Replay
from incidents.history.specs import HistorySpec
from incidents.history.writing import _Rows

CHUNK = 2000  # tickets replayed and written together


def tickets_history_build(
    specs: Iterable[HistorySpec], *, now: dt.datetime, chunk: int = CHUNK
) -> int:
    """Write the tickets `specs` describe, as the services and the SLA beat would have left
    them at `now` (steps after `now` must not be given). Specs are replayed in the order
    given, which should be the order they were filed (round robin takes turns in it; a
    merge's target comes before its source). Atomic; returns the number of tickets."""
    desk = _Desk.load()
    built = 0
    with transaction.atomic():
        for batch in _chunks(specs, chunk):
            desk.numbers_draw(len(batch))
            rows = _Rows()
            for spec in batch:
                _Replay(spec, desk, rows, now=now).run()
            rows.save()
            built += len(batch)
        desk.save()
    return built


def _chunks(specs: Iterable[HistorySpec], size: int) -> Iterator[list[HistorySpec]]:
    batch: list[HistorySpec] = []
    for spec in specs:
        batch.append(spec)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
