"""A service fed by portal.imports writes all or nothing, whatever the source: the stores
and staff import (portal.org) from an Excel workbook gives what its CSV gives, and a
workbook with one bad row writes no row at all."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest

from portal.imports.errors import ImportRejected
from portal.imports.models import ImportLog
from portal.org import services
from portal.org.models import OrgEvent, Region, Store, User
from portal.org.tests.test_import import PEOPLE_CSV, STORES_CSV

pytestmark = pytest.mark.django_db


def _workbook(csv_text: str, *, bad_cell: tuple[int, int, str] | None = None) -> bytes:
    """The CSV's rows as the first sheet of a workbook (cells typed as Excel would keep
    them: numbers and dates), one cell replaced when `bad_cell` = (row, column, value)."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in csv_text.strip().splitlines():
        workbook.active.append([_typed(value) for value in row.split(";")])
    if bad_cell is not None:
        row, column, value = bad_cell
        workbook.active.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _typed(value: str):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return date.fromisoformat(value)  # openpyxl reads it back as a datetime
    if value in ("0", "1"):
        return int(value)
    return value


def _state() -> list:
    return [
        list(Region.objects.order_by("code").values_list("code", "name")),
        list(Store.objects.order_by("code").values_list("code", "name", "opened_on", "format")),
        list(User.objects.order_by("personnel_number").values_list("personnel_number", "email")),
    ]


def test_excel_files_import_as_their_csv_does():
    services.org_stores_import(actor=None, content=_workbook(STORES_CSV), filename="s.xlsx")
    services.org_people_import(actor=None, content=_workbook(PEOPLE_CSV), filename="p.xlsx")
    from_excel = _state()
    report = services.org_stores_import(actor=None, content=STORES_CSV.encode(), filename="s.csv")
    people = services.org_people_import(actor=None, content=PEOPLE_CSV.encode(), filename="p.csv")

    assert (report.unchanged, people.unchanged) == (3, 3)  # the CSV changes nothing
    assert _state() == from_excel and len(from_excel[1]) == 3 and len(from_excel[2]) == 3


def test_one_bad_row_of_a_workbook_writes_nothing_and_names_the_cell():
    content = _workbook(STORES_CSV, bad_cell=(3, 8, "31.02.2020"))

    with pytest.raises(ImportRejected) as caught:
        services.org_stores_import(actor=None, content=content, filename="s.xlsx")

    assert [(e.line, e.column) for e in caught.value.errors] == [(3, "opened_on")]
    assert not Region.objects.exists() and not Store.objects.exists()
    assert not OrgEvent.objects.exists()
    (log,) = ImportLog.objects.all()
    assert (log.kind, log.filename, log.status, log.rows) == ("stores", "s.xlsx", "rejected", 0)
    assert len(log.errors) == 1 and "opened_on" in log.errors[0]


def test_every_file_taken_in_or_refused_is_in_the_batch_log(django_user_model):
    from portal.org.choices import Role
    from portal.org.tests.factories import person

    admin = person(Role.ADMIN)
    services.org_stores_import(actor=admin, content=STORES_CSV.encode(), filename="s.csv")
    with pytest.raises(ImportRejected):
        services.org_people_import(actor=None, content=b"\x00\x01", filename="p.csv")

    assert list(
        ImportLog.objects.order_by("pk").values_list("kind", "status", "rows", "created_by")
    ) == [("stores", "applied", 3, admin.pk), ("people", "rejected", 0, None)]
