"""The question bank as CSV (what trainers edit in Excel): one question a row.

Columns: category; type; name; question; feedback; answers. The answers column, by type:
- single / multi: ``100%: right | 0%: wrong`` (percent of the marks per option; wrong
  options of a multi question may be negative);
- truefalse: ``true`` or ``false``;  numeric: ``answer | tolerance | unit``;
- shorttext: ``accepted | also accepted``;  matching: ``left = right | left = right``;
- ordering: ``first | second | third``.
Each kind reads and writes its own cell (`csv_cell`, `csv_data` in `training.kinds`).
Per-answer feedback lives only in Moodle XML. The file is read by `portal.imports`
(`BANK`: UTF-8 or cp1251, `;`, `,` or tab, English or Russian column names, or an Excel
workbook's first sheet, capped at `IMPORT_MAX_BYTES`); reading reports every bad row
(line, field, reason) and returns nothing partial.
Exported cells that Excel would run as a formula carry a leading apostrophe
(`portal.exports.csv_cell`); reading takes it off again, so a file round-trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from portal.exports import csv_cell_restore
from portal.imports.errors import ImportRejected
from portal.imports.fields import as_text
from portal.imports.rows import Field, RowSpec, file_table, rows_read
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


def _data(qtype: str, cell: str) -> dict:
    if qtype not in KINDS:
        raise ValueError(unknown(qtype))
    return KINDS[qtype].csv_data(cell)


def _line_errors(rejected: ImportRejected) -> MoodleRejected:
    return MoodleRejected(
        [MoodleError(e.line, e.label, e.message, "line") for e in rejected.errors]
    )


def _cell(value: Any) -> str:
    """A cell as written, without the apostrophe the export puts before a formula."""
    return csv_cell_restore(as_text(value)).strip()


@dataclass(frozen=True)
class BankRow:
    line: int
    category: str
    type: str
    name: str
    question: str
    feedback: str
    answers: str


BANK = RowSpec(
    BankRow,
    fields=(
        Field("category", _cell, ("категория",), required=True),
        Field("type", _cell, ("тип",), required=True),
        Field("name", _cell, ("название",), required=True),
        Field("question", _cell, ("вопрос",), required=True),
        Field("feedback", _cell, ("отзыв",), required=True),
        Field("answers", _cell, ("ответы",), required=True),
    ),
)
# The most data rows of an Excel sheet of questions (its bytes are capped too).
MAX_ROWS = 20_000


def _bank_rows(content: bytes) -> list[BankRow]:
    """Every data row; a file that cannot be read row by row (too big, binary, a value
    over the field limit, a column missing, a ragged line) raises `MoodleRejected`
    naming why."""
    try:
        parsed = rows_read(BANK, file_table(content, BANK, max_rows=MAX_ROWS))
        parsed.reject_if_any()
    except ImportRejected as rejected:
        raise _line_errors(rejected) from rejected
    return parsed.rows


def questions_from_csv(content: bytes) -> list[QuestionData]:
    items, errors = [], []
    for row in _bank_rows(content):
        line = row.line
        try:
            data = _data(row.type, row.answers)
        except (ValueError, InvalidOperation) as error:
            errors.append(MoodleError(line, "answers", str(error) or _("cannot be read"), "line"))
            continue
        item = QuestionData(row.category, row.type, row.name, row.question, row.feedback, data)
        problems = question_data_errors(item)
        errors.extend(MoodleError(line, f, m, "line") for f, m in problems)
        if not problems:
            items.append(item)
    if errors:
        raise MoodleRejected(errors)
    return items
