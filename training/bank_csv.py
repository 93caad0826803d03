"""The question bank as CSV (what trainers edit in Excel): one question a row.

Columns: category; type; name; question; feedback; answers. The answers column, by type:
- single / multi: ``100%: right | 0%: wrong`` (percent of the marks per option; wrong
  options of a multi question may be negative);
- truefalse: ``true`` or ``false``;  numeric: ``answer | tolerance | unit``;
- shorttext: ``accepted | also accepted``;  matching: ``left = right | left = right``;
- ordering: ``first | second | third``.
Each kind reads and writes its own cell (`csv_cell`, `csv_data` in `training.kinds`).
Per-answer feedback lives only in Moodle XML. Reading reports every bad row (line,
field, reason) and returns nothing partial; the file is capped at `IMPORT_MAX_BYTES`.
Exported cells that Excel would run as a formula carry a leading apostrophe
(`portal.exports.csv_cell`); reading takes it off again, so a file round-trips.
"""

from __future__ import annotations

import csv
import io
from decimal import InvalidOperation

from django.utils.translation import gettext as _

from portal.exports import csv_cell, csv_cell_restore
from portal.imports.errors import ImportRejected
from portal.imports.limits import size_check
from portal.imports.text import csv_lines, decode_upload, sniff_delimiter
from training.bank import question_data_errors
from training.kinds import KINDS, kind
from training.kinds.base import unknown
from training.moodle import MoodleError, MoodleRejected, QuestionData

COLUMNS = ["category", "type", "name", "question", "feedback", "answers"]


def _answers_cell(item: QuestionData) -> str:
    return kind(item.qtype).csv_cell(item.data)


def questions_to_rows(items: list[QuestionData]) -> list[list[str]]:
    """One row of `COLUMNS` per question, values as they are (the writer neutralises)."""
    return [
        [
            item.category,
            item.qtype,
            item.name,
            item.text,
            item.general_feedback,
            _answers_cell(item),
        ]
        for item in items
    ]


def questions_to_csv(items: list[QuestionData]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for row in questions_to_rows(items):
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()


def _data(qtype: str, cell: str) -> dict:
    if qtype not in KINDS:
        raise ValueError(unknown(qtype))
    return KINDS[qtype].csv_data(cell)


def _line_errors(rejected: ImportRejected) -> MoodleRejected:
    return MoodleRejected(
        [MoodleError(e.line, e.label, e.message, "line") for e in rejected.errors]
    )


def _csv_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line, {column: value}) of every data line; a file that cannot be read as CSV
    (too big, binary, a value over the field limit) raises `MoodleRejected` naming why."""
    try:
        size_check(content)
        text = decode_upload(content)
        lines = csv_lines(text, sniff_delimiter(text))
        header = [h.strip() for h in next(lines, (1, []))[1]]
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise MoodleRejected([MoodleError(1, ", ".join(missing), _("missing column"), "line")])
        return [
            (line, {h: csv_cell_restore(v) for h, v in zip(header, values, strict=False)})
            for line, values in lines
            if any(v.strip() for v in values)
        ]
    except ImportRejected as rejected:
        raise _line_errors(rejected) from rejected


def questions_from_csv(content: bytes) -> list[QuestionData]:
    items, errors = [], []
    for line, row in _csv_rows(content):
        qtype = (row.get("type") or "").strip()
        try:
            data = _data(qtype, row.get("answers") or "")
        except (ValueError, InvalidOperation) as error:
            errors.append(MoodleError(line, "answers", str(error) or _("cannot be read"), "line"))
            continue
        item = QuestionData(
            (row.get("category") or "").strip(),
            qtype,
            (row.get("name") or "").strip(),
            (row.get("question") or "").strip(),
            (row.get("feedback") or "").strip(),
            data,
        )
        problems = question_data_errors(item)
        errors.extend(MoodleError(line, f, m, "line") for f, m in problems)
        if not problems:
            items.append(item)
    if errors:
        raise MoodleRejected(errors)
    return items
