"""HR's terms file (FTE and variable bonus per person) through the house's file intake:
a good file in any of HR's encodings and separators, a bad row named with nothing
written, a file too large refused, the batch log, and HQ's page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kpi.bonus.models import StaffTerms
from kpi.bonus.services.terms import terms_import
from portal.imports.errors import ImportRejected
from portal.imports.limits import size_message
from portal.imports.models import ImportLog
from portal.org.choices import Role
from portal.org.tests.factories import StoreFactory, person

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def staff():
    store = StoreFactory(code="T1")
    return [
        person(Role.STORE_STAFF, store=store, personnel_number=f"70{i:04d}") for i in range(1, 5)
    ]


@pytest.fixture
def hq():
    return person(Role.LP_MANAGER)


def _terms() -> dict[str, tuple]:
    return {
        t.person.personnel_number: (t.fte, t.variable_bonus)
        for t in StaffTerms.objects.select_related("person")
    }


def _rejected(hq, text: str, encoding: str = "utf-8") -> list[tuple[int, str]]:
    with pytest.raises(ImportRejected) as caught:
        terms_import(actor=hq, content=text.encode(encoding), filename="hr.csv")
    return [(e.line, e.field) for e in caught.value.errors]


def test_a_good_file_sets_every_listed_persons_terms_and_is_logged(staff, hq):
    # Given one person with terms already
    StaffTerms.objects.create(person=staff[0], fte=D("1.00"), variable_bonus=D("9000.00"))
    # When HR's file lists two people
    text = "personnel_number;fte;variable_bonus\n700001;0,5;12 500,00\n700002;1.25;\n"
    report = terms_import(actor=hq, content=text.encode(), filename="hr.csv")
    # Then the first is updated, the second created (an empty bonus: the scheme's cap
    # alone), the third keeps having none
    assert (report.rows, report.created, report.updated) == (2, 1, 1)
    assert _terms() == {
        "700001": (D("0.50"), D("12500.00")),
        "700002": (D("1.25"), None),
    }
    (log,) = ImportLog.objects.all()
    assert (log.kind, log.filename, log.status, log.rows, log.created_by) == (
        "bonus_terms",
        "hr.csv",
        "applied",
        2,
        hq,
    )


def test_russian_headers_in_windows_1251_separated_by_commas(staff, hq):
    text = 'Табельный номер,Ставка,Переменная часть\n700003,"0,75",8000\n'
    terms_import(actor=hq, content=text.encode("cp1251"), filename="hr.csv")
    assert _terms() == {"700003": (D("0.75"), D("8000.00"))}


def test_the_same_file_twice_changes_nothing_more(staff, hq):
    text = "personnel_number;fte;variable_bonus\n700001;1;5000\n"
    terms_import(actor=hq, content=text.encode(), filename="hr.csv")
    again = terms_import(actor=hq, content=text.encode(), filename="hr.csv")
    assert (again.created, again.updated) == (0, 1)
    assert _terms() == {"700001": (D("1.00"), D("5000.00"))}


def test_every_bad_row_is_named_and_nothing_is_written(staff, hq):
    # Given terms already in force
    StaffTerms.objects.create(person=staff[0], fte=D("1.00"), variable_bonus=D("9000.00"))
    text = (
        "personnel_number;fte;variable_bonus\n"
        "700001;0.5;1000\n"  # good, but not written: the file has problems
        "999999;1;1000\n"  # nobody has this number
        "700002;много;1000\n"  # not a number
        "700003;1.6;1000\n"  # above 1.5
        "700001;0;-5\n"  # twice, zero FTE, negative bonus
        "700004;1;100.555\n"  # three decimals
    )
    errors = _rejected(hq, text)
    assert errors == [
        (3, "personnel_number"),
        (4, "fte"),
        (5, "fte"),
        (6, "personnel_number"),
        (6, "fte"),
        (6, "variable_bonus"),
        (7, "variable_bonus"),
    ]
    assert _terms() == {"700001": (D("1.00"), D("9000.00"))}
    (log,) = ImportLog.objects.all()
    assert log.status == "rejected" and len(log.errors) == 7


def test_a_missing_column_is_named(staff, hq):
    assert _rejected(hq, "personnel_number;fte\n700001;1\n") == [(1, "variable_bonus")]


def test_a_file_too_large_is_refused_with_a_clear_message(staff, hq, settings, client):
    settings.IMPORT_MAX_BYTES = 200
    text = "personnel_number;fte;variable_bonus\n" + "700001;1;5000\n" * 30
    with pytest.raises(ImportRejected) as caught:
        terms_import(actor=hq, content=text.encode(), filename="big.csv")
    assert caught.value.errors[0].message == size_message(200)  # «the file is larger than…»
    client.force_login(hq)
    upload = SimpleUploadedFile("big.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("bonus:terms"), {"file": upload})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [size_message(200)]
    assert not StaffTerms.objects.exists()


# --- the page --------------------------------------------------------------------------


def _upload(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("hr.csv", text.encode(), content_type="text/csv")


def test_hq_uploads_the_file_on_the_page_and_sees_terms_and_history(staff, hq, client):
    client.force_login(hq)
    response = client.post(
        reverse("bonus:terms"),
        {"file": _upload("personnel_number;fte;variable_bonus\n700001;0.5;3000\n")},
    )
    assert response.status_code == 302
    page = client.get(reverse("bonus:terms"))
    body = page.content.decode()
    assert 'data-person="700001"' in body
    assert [log.status for log in page.context["history"]] == ["applied"]


def test_a_bad_file_on_the_page_shows_its_rows_and_writes_nothing(staff, hq, client):
    client.force_login(hq)
    response = client.post(
        reverse("bonus:terms"),
        {"file": _upload("personnel_number;fte;variable_bonus\n999999;1;1000\n")},
    )
    assert response.status_code == 200
    assert 'data-testid="import-error" data-line="2"' in response.content.decode()
    assert not StaffTerms.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        Role.REGIONAL_MANAGER,
        Role.STORE_MANAGER,
        Role.STORE_STAFF,
        Role.AUDITOR,
        Role.CALL_CENTER_SUPERVISOR,
    ],
)
def test_only_hq_opens_the_terms(client, role):
    client.force_login(person(role))
    assert client.get(reverse("bonus:terms")).status_code == 403
    assert client.post(reverse("bonus:terms"), {"file": _upload("x")}).status_code == 403


def test_the_page_costs_the_same_queries_for_more_terms(hq, client):
    store = StoreFactory(code="T9")
    client.force_login(hq)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("bonus:terms")).status_code == 200
        return len(captured)

    StaffTerms.objects.create(person=person(Role.STORE_STAFF, store=store))
    few = queries()
    for _i in range(60):
        StaffTerms.objects.create(person=person(Role.STORE_STAFF, store=store), fte=D("0.5"))
    assert queries() == few
