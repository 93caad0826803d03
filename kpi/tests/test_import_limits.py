"""Receipts files that would crash or stall a worker are refused with a message that
names the problem, and the refusal is in the loading log: a megabyte-long value, a
binary file, an Excel workbook that claims a huge sheet or inflates like a zip bomb."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from kpi.choices import BatchStatus
from kpi.models import ImportBatch, Receipt
from kpi.tests.factories import HEADER, receipts_file
from kpi.xlsx import xlsx_to_csv
from portal.imports.errors import ImportRejected
from portal.org.choices import Role
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db

DAY = date(2026, 10, 14)
LONG_VALUE = "9" * (1024 * 1024)  # one megabyte in one field, no line break


@pytest.fixture
def manager(client):
    north = RegionFactory(code="N")
    StoreFactory(code="N1", region=north)
    user = person(Role.REGIONAL_MANAGER, region=north)
    client.force_login(user)
    return user


def _upload(client, content: bytes, name: str = "pos.csv"):
    return client.post(reverse("kpi:imports"), {"file": SimpleUploadedFile(name, content)})


def _long_field_file() -> bytes:
    good = receipts_file("N1", DAY, receipts=2, identified=1).decode("cp1251")
    return (good + f"N1;X-1;14.10.2026 10:00;{LONG_VALUE};1;;;0;0;0\n").encode("utf-8")


GARBAGE = bytes(range(256)) * 64


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (_long_field_file(), "длиннее 131072 символов"),
        (GARBAGE, "UTF-8 или Windows-1251"),
    ],
    ids=["megabyte-field", "binary"],
)
def test_an_unreadable_receipts_file_is_named_and_logged_not_a_server_error(
    client, manager, content, reason
):
    with translation.override("ru"):
        page = _upload(client, content)

    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="import-errors"' in body and reason in body
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.REJECTED and batch.created_by == manager
    assert any(reason in error for error in batch.errors)
    assert Receipt.objects.count() == 0


@pytest.mark.parametrize("content", [_long_field_file(), GARBAGE], ids=["megabyte-field", "binary"])
def test_the_bulk_command_rejects_an_unreadable_file_by_name(tmp_path, content):
    StoreFactory(code="N1")
    path = tmp_path / "pos.csv"
    path.write_bytes(content)
    errors = io.StringIO()

    with pytest.raises(CommandError):
        call_command("load_receipts", str(path), stderr=errors)

    assert "pos.csv: rejected" in errors.getvalue()
    assert ImportBatch.objects.get().status == BatchStatus.REJECTED


def test_errors_name_the_columns_as_the_file_does_and_the_accepted_time_formats(client, manager):
    content = (HEADER + "N9;A-1;2026/10/14 10:00;-5;2;;;0;0;0\n").encode("utf-8")

    with translation.override("ru"):
        body = _upload(client, content).content.decode()

    fields = {cell for cell in ("магазин", "время", "сумма") if f"<code>{cell}</code>" in body}
    assert fields == {"магазин", "время", "сумма"}
    assert "<code>store_code</code>" not in body and "<code>amount</code>" not in body
    assert "01.12.2026 10:15" in body and "ГГГГ-ММ-ДД ЧЧ:ММ" in body


# --- Excel workbooks ----------------------------------------------------------------------


def _workbook(rows: list[list[object]], far_cells: int = 0) -> bytes:
    """A receipts workbook; `far_cells` rows also carry a cell in column XFD (16384)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    for n in range(far_cells):
        sheet.cell(row=len(rows) + 1 + n, column=16384, value="x")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


HEADER_ROW = HEADER.strip().split(";")
RECEIPT_ROW = ["N1", "A-1", "14.10.2026 10:00", "100,00", 1, "", "", 0, 0, 0]


def test_cells_far_to_the_right_are_not_read_beyond_the_header():
    content = _workbook([HEADER_ROW, RECEIPT_ROW], far_cells=2000)
    assert len(content) < 100_000

    lines = xlsx_to_csv(content).decode().splitlines()

    assert {line.count(";") for line in lines} == {len(HEADER_ROW) - 1}
    assert len(lines) == 2 + 2000


def _rewrite(content: bytes, member: str, transform) -> bytes:
    """The same archive with one member's bytes transformed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == member:
                data = transform(data)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def test_a_declared_sheet_size_is_ignored():
    content = _rewrite(
        _workbook([HEADER_ROW, RECEIPT_ROW]),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<dimension ref=\"A1:J2\"\s*/>", b'<dimension ref="A1:XFD300"/>', xml),
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"A1:XFD300" in archive.read("xl/worksheets/sheet1.xml")

    lines = xlsx_to_csv(content).decode().splitlines()

    assert len(lines) == 2 and lines[1].count(";") == len(HEADER_ROW) - 1


def _with_member(content: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def _rejection(content: bytes) -> str:
    with pytest.raises(ImportRejected) as caught:
        xlsx_to_csv(content)
    return " ".join(str(e) for e in caught.value.errors)


def test_a_zip_bomb_member_is_refused_by_its_compression_ratio():
    content = _with_member(_workbook([HEADER_ROW]), "xl/media/padding.xml", b" " * 8_000_000)
    assert len(content) < 100_000

    with translation.override("en"):
        message = _rejection(content)

    assert "xl/media/padding.xml" in message and "more than 100 times" in message


@override_settings(IMPORT_XLSX_MAX_MEMBER_BYTES=1024 * 1024, IMPORT_XLSX_MAX_RATIO=100_000)
def test_a_member_that_unpacks_over_the_limit_is_refused_naming_the_limit():
    content = _with_member(_workbook([HEADER_ROW]), "xl/media/padding.xml", b" " * 2_000_000)

    with translation.override("en"):
        message = _rejection(content)

    assert "unpacks to more than 1 MB" in message


def test_a_member_whose_header_understates_its_size_is_refused():
    content = bytearray(_workbook([HEADER_ROW, RECEIPT_ROW] * 50))
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    name = info.filename.encode()
    # The uncompressed size in the local header (offset 22) and the central directory
    # entry (offset 24) claims 100 bytes; the data inflates to far more.
    struct.pack_into("<I", content, info.header_offset + 22, 100)
    central = content.find(b"PK\x01\x02")
    while content[central + 46 : central + 46 + len(name)] != name:
        central = content.find(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", content, central + 24, 100)

    with translation.override("en"):
        message = _rejection(bytes(content))

    assert "damaged" in message


@override_settings(IMPORT_XLSX_MAX_TEXT_BYTES=10_000)
def test_a_sheet_producing_more_text_than_the_limit_is_refused():
    content = _workbook([HEADER_ROW] + [RECEIPT_ROW] * 1000)

    with translation.override("en"):
        message = _rejection(content)

    assert "more than 0.00953674 MB of text" in message


def test_an_excel_bomb_uploaded_is_logged_as_rejected(client, manager):
    content = _with_member(_workbook([HEADER_ROW]), "xl/media/padding.xml", b" " * 8_000_000)

    page = _upload(client, content, "pos.xlsx")

    assert page.status_code == 200
    batch = ImportBatch.objects.get()
    assert batch.status == BatchStatus.REJECTED and "padding.xml" in batch.errors[0]
