"""portal.imports as a building block: one declared row, read from CSV in any of the
encodings and delimiters people send, from an Excel workbook and from a dict payload,
gives the same typed rows; every problem is named (line, column as the file names it,
reason); limits reject a file before it is read."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from portal.imports import fields as parse
from portal.imports.errors import ImportRejected
from portal.imports.fields import Invalid
from portal.imports.rows import (
    Field,
    RowSpec,
    Unique,
    csv_table,
    file_table,
    records_table,
    rows_read,
)


def _amount(value) -> Decimal:
    text = parse.as_text(value).replace(",", ".")
    try:
        return Decimal(text)
    except ArithmeticError as error:
        raise Invalid("not an amount") from error


@dataclass(frozen=True)
class VisitRow:
    line: int
    code: str
    visited_on: date | None
    amount: Decimal
    member: bool


VISITS = RowSpec(
    VisitRow,
    fields=(
        Field("code", parse.code(), ("код магазина",), required=True),
        Field("visited_on", parse.day(required=True), ("дата",), required=True, fallback=None),
        Field("amount", _amount, ("сумма",), required=True, fallback=Decimal(0)),
        Field("member", parse.flag(empty=False), ("участник",), fallback=False),
    ),
    unique=(Unique(("code", "visited_on"), lambda _v, line: f"as on line {line}"),),
)

EXPECTED = [
    VisitRow(2, "M001", date(2026, 11, 30), Decimal("1500.50"), True),
    VisitRow(3, "M002", date(2026, 12, 1), Decimal("20"), False),
]
RUSSIAN = "Код магазина;Дата;Сумма;Участник\nM001;30.11.2026;1500,50;да\nM002;2026-12-01;20;\n"
ENGLISH = "code,visited_on,amount,member\nM001,2026-11-30,1500.50,1\nM002,01.12.2026,20,0\n"


def _read(content: bytes):
    parsed = rows_read(VISITS, file_table(content, VISITS, max_rows=100))
    parsed.reject_if_any()
    return parsed.rows


def _rejected(content: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        _read(content)
    return [(e.line, e.label, e.message) for e in caught.value.errors]


@pytest.mark.parametrize(
    "content",
    [
        RUSSIAN.encode("utf-8"),
        RUSSIAN.encode("utf-8-sig"),
        RUSSIAN.encode("cp1251"),
        RUSSIAN.replace(";", "\t").encode("cp1251"),
        ENGLISH.encode(),
        ENGLISH.replace("\n", "\r\n").encode("utf-8-sig"),
    ],
    ids=["utf8", "utf8-bom", "cp1251", "cp1251-tab", "english-comma", "english-crlf-bom"],
)
def test_every_encoding_delimiter_and_header_language_gives_the_same_rows(content):
    assert _read(content) == EXPECTED


def _workbook(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_csv_excel_and_a_dict_payload_give_the_same_typed_rows():
    workbook = _workbook(
        [
            ["Код магазина", "Дата", "Сумма", "Участник"],
            ["M001", date(2026, 11, 30), 1500.5, 1],
            ["M002", "01.12.2026", 20, None],
        ]
    )
    payload = [
        {
            "code": "M001",
            "visited_on": date(2026, 11, 30),
            "amount": Decimal("1500.50"),
            "member": True,
        },
        {"code": "M002", "visited_on": "2026-12-01", "amount": 20, "member": False},
    ]

    from_csv = _read(RUSSIAN.encode("cp1251"))
    from_excel = _read(workbook)
    from_payload = rows_read(VISITS, records_table(payload, VISITS, first=2)).rows

    assert from_csv == from_excel == from_payload == EXPECTED


def test_every_problem_is_named_by_line_and_the_files_own_column_in_one_pass():
    bad = (
        "Код магазина;Дата;Сумма;Участник\n"
        "M 001;31.02.2026;много;может\n"
        "M002;2026-12-01;20\n"
        "M003;2026-12-01;5;1\n"
        "M003;01.12.2026;6;0\n"
    )

    with translation.override("en"):
        errors = _rejected(bad.encode())

    assert [(line, label) for line, label, _m in errors] == [
        (2, "Код магазина"),
        (2, "Дата"),
        (2, "Сумма"),
        (2, "Участник"),
        (3, "row"),
        (5, "Дата"),
    ]
    assert "expected 4 values, found 3" in errors[4][2]
    assert errors[5][2] == "as on line 4"


def test_a_dict_payload_keeps_the_field_names():
    parsed = rows_read(VISITS, records_table([{"code": "M001", "amount": "x"}], VISITS))

    assert [(e.line, e.field, e.label) for e in parsed.errors] == [
        (1, "visited_on", "visited_on"),
        (1, "amount", "amount"),
    ]
    assert parsed.good == [] and len(parsed.rows) == 1


def test_bad_rows_are_kept_for_reference_checks_but_not_as_good():
    parsed = rows_read(
        VISITS, csv_table(b"code;visited_on;amount\nM001;x;1\nM002;2026-12-01;2\n", VISITS)
    )

    assert [r.code for r in parsed.rows] == ["M001", "M002"]
    assert [r.code for r in parsed.good] == ["M002"]
    assert parsed.rows[0].visited_on is None  # the field's fallback


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "the file is empty"),
        (b"code;amount\nM001;1\n", "required column is missing"),
        (b"code;visited_on;amount\n", "the file has no data rows"),
        (bytes(range(256)) * 4, "neither UTF-8 nor Windows-1251"),
        (
            b"code;visited_on;amount\n" + b"M001;2026-12-01;1\n" + b'"' + b"x" * 140_000 + b'"\n',
            "longer than",
        ),
        (b"PK\x03\x04 not really a zip", "required column is missing"),
    ],
    ids=[
        "empty",
        "missing-column",
        "header-only",
        "binary",
        "huge-field",
        "fake-zip",
    ],
)
def test_malformed_input_is_a_named_rejection_never_an_exception(content, reason):
    with translation.override("en"):
        messages = " ".join(message for _l, _c, message in _rejected(content))

    assert reason in messages


@override_settings(IMPORT_MAX_BYTES=100)
def test_the_size_limit_is_a_setting_checked_before_reading():
    content = (RUSSIAN * 5).encode()

    with translation.override("en"):
        (error,) = _rejected(content)

    assert error[:2] == (1, "file") and "larger than" in error[2]


def test_an_excel_sheet_over_its_row_limit_is_refused():
    rows = [["code", "visited_on", "amount"]] + [[f"M{n}", "2026-12-01", n] for n in range(5)]

    with pytest.raises(ImportRejected) as caught, translation.override("en"):
        rows_read(VISITS, file_table(_workbook(rows), VISITS, max_rows=3)).reject_if_any()

    assert "more than 3 rows" in str(caught.value.errors[0])


def test_a_file_of_the_other_kind_says_so():
    other = RowSpec(VisitRow, fields=(Field("ticket", parse.text(), required=True),))

    with pytest.raises(ImportRejected) as caught:
        csv_table(
            b"code;visited_on;amount\nM001;2026-12-01;1\n", other, other_kind=(VISITS, "visits")
        )

    assert [e.message for e in caught.value.errors] == ["visits"]


def test_the_delimiter_is_the_one_the_header_uses_most():
    from portal.imports.text import sniff_delimiter

    assert sniff_delimiter("a;b;c\n1,5;2;3") == ";"
    assert sniff_delimiter("a,b,c\n") == ","
    assert sniff_delimiter("a\tb\tc\n") == "\t"
    assert sniff_delimiter("a\n") == ";"
