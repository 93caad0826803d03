"""CSV import of stores and staff: clear per-row errors, all or nothing, idempotent."""

from __future__ import annotations

import pytest

from portal.imports.errors import ImportRejected
from portal.org import services
from portal.org.choices import OrgEventKind, Role
from portal.org.models import OrgEvent, Region, Store, User

STORES_CSV = (
    "region_code;region_name;code;name;city;address;format;opened_on;lp_launch_date;is_active\n"
    "MSK;Москва;M001;Тверская;Москва;ул. Тверская, 1;super;2019-03-01;2025-02-01;1\n"
    "MSK;Москва;M002;Арбат;Москва;ул. Арбат, 10;convenience;01.06.2020;;да\n"
    "SZ;Северо-Запад;P001;Невский;Санкт-Петербург;Невский пр., 28;hyper;2018-09-15;2025-03-10;1\n"
)
PEOPLE_HEADER = (
    "personnel_number;last_name;first_name;middle_name;email;role;store_code;region_code;"
    "hire_date;is_active\n"
)
PEOPLE_CSV = PEOPLE_HEADER + (
    "100001;Иванова;Анна;Сергеевна;a.ivanova@example.ru;store_staff;M001;;2024-05-13;1\n"
    "100002;Петров;Олег;Ильич;o.petrov@example.ru;Store manager;M001;;2023-01-10;1\n"
    "100003;Орлов;Игорь;;i.orlov@example.ru;regional_manager;;MSK;2022-02-01;1\n"
)


def _import_stores(text: str = STORES_CSV, encoding: str = "utf-8"):
    return services.org_stores_import(actor=None, content=text.encode(encoding), filename="s.csv")


def _import_people(text: str = PEOPLE_CSV, encoding: str = "utf-8"):
    return services.org_people_import(actor=None, content=text.encode(encoding), filename="p.csv")


def _rejected_errors(func, *args) -> list[tuple[int, str]]:
    with pytest.raises(ImportRejected) as caught:
        func(*args)
    return [(e.line, e.field) for e in caught.value.errors]


@pytest.mark.django_db
def test_stores_import_creates_regions_and_stores():
    report = _import_stores()

    assert (report.rows, report.created, report.updated) == (3, 3, 0)
    assert set(Region.objects.values_list("code", flat=True)) == {"MSK", "SZ"}
    arbat = Store.objects.get(code="M002")
    assert arbat.opened_on.isoformat() == "2020-06-01"
    assert arbat.lp_launch_date is None
    assert arbat.region.code == "MSK"


@pytest.mark.django_db
def test_reimporting_the_same_files_changes_nothing():
    _import_stores()
    _import_people()
    events_before = OrgEvent.objects.exclude(kind=OrgEventKind.IMPORT_APPLIED).count()
    snapshot = list(User.objects.order_by("pk").values())

    stores_again = _import_stores()
    people_again = _import_people()

    assert (stores_again.unchanged, stores_again.changed) == (3, 0)
    assert (people_again.unchanged, people_again.changed) == (3, 0)
    assert OrgEvent.objects.exclude(kind=OrgEventKind.IMPORT_APPLIED).count() == events_before
    assert list(User.objects.order_by("pk").values()) == snapshot


@pytest.mark.django_db
def test_people_import_in_cp1251_with_commas():
    _import_stores()
    text = PEOPLE_CSV.replace(";", ",")

    report = _import_people(text, encoding="cp1251")

    assert report.created == 3
    manager = User.objects.get(personnel_number="100002")
    assert manager.role == Role.STORE_MANAGER
    assert manager.store.code == "M001"
    assert not manager.has_usable_password()
    assert manager.groups.filter(name=Role.STORE_MANAGER).exists()
    assert User.objects.get(personnel_number="100003").region.code == "MSK"


@pytest.mark.django_db
def test_unknown_store_code_names_row_and_field_and_writes_nothing():
    _import_stores()
    bad = PEOPLE_CSV.replace(
        "100001;Иванова;Анна;Сергеевна;a.ivanova@example.ru;store_staff;M001",
        "100001;Иванова;Анна;Сергеевна;a.ivanova@example.ru;store_staff;X999",
    )

    errors = _rejected_errors(_import_people, bad)

    assert errors == [(2, "store_code")]
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_duplicate_personnel_number_in_file_is_reported_with_both_lines():
    _import_stores()
    bad = (
        PEOPLE_CSV + "100001;Смирнова;Ольга;;o.smirnova@example.ru;store_staff;M002;;2024-01-01;1\n"
    )

    with pytest.raises(ImportRejected) as caught:
        _import_people(bad)

    (error,) = caught.value.errors
    assert (error.line, error.field) == (5, "personnel_number")
    assert "2" in error.message
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_malformed_rows_report_every_problem_at_once():
    _import_stores()
    bad = PEOPLE_HEADER + (
        "100001;Иванова;;;not-an-email;store_staff;;;31.02.2024;maybe\n"
        "100002;Петров;Олег;;o.petrov@example.ru;cashier-boss;M001;;2023-01-10;1\n"
    )

    errors = _rejected_errors(_import_people, bad)

    assert errors == [
        (2, "email"),
        (2, "store_code"),
        (2, "first_name"),
        (2, "hire_date"),
        (2, "is_active"),
        (3, "role"),
    ]
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_one_bad_store_row_writes_no_store_at_all():
    bad = STORES_CSV + "SZ;Северо-Запад;P002;Лиговский;СПб;Лиговский пр., 30;mega;2021-13-01;;1\n"

    errors = _rejected_errors(_import_stores, bad)

    assert errors == [(5, "opened_on"), (5, "format")] or sorted(errors) == [
        (5, "format"),
        (5, "opened_on"),
    ]
    assert Store.objects.count() == 0
    assert Region.objects.count() == 0


@pytest.mark.django_db
def test_missing_columns_and_wrong_value_counts_are_named():
    errors = _rejected_errors(_import_stores, "code;name\nM001;Тверская\n")
    assert (1, "region_code") in errors and (1, "opened_on") in errors

    errors = _rejected_errors(_import_stores, STORES_CSV + "MSK;Москва;M009\n")
    assert errors == [(5, "row")]


@pytest.mark.django_db
def test_email_owned_by_another_person_is_rejected():
    _import_stores()
    _import_people()
    clash = (
        PEOPLE_HEADER
        + "100009;Кузнецова;Ирина;;a.ivanova@example.ru;store_staff;M002;;2024-01-01;1\n"
    )

    errors = _rejected_errors(_import_people, clash)

    assert errors == [(2, "email")]
    assert not User.objects.filter(personnel_number="100009").exists()


@pytest.mark.django_db
def test_deactivation_through_import_leaves_an_event():
    _import_stores()
    _import_people()

    report = _import_people(PEOPLE_CSV.replace("2024-05-13;1", "2024-05-13;0"))

    assert (report.updated, report.deactivated, report.unchanged) == (1, 1, 2)
    person = User.objects.get(personnel_number="100001")
    assert not person.is_active
    event = OrgEvent.objects.get(person=person, kind=OrgEventKind.PERSON_DEACTIVATED)
    assert event.payload == {"is_active": [True, False]}


@pytest.mark.django_db
def test_binary_garbage_is_rejected_as_not_text():
    errors = _rejected_errors(_import_stores, "")
    assert errors == [(1, "file")]
    with pytest.raises(ImportRejected):
        services.org_stores_import(actor=None, content=b"\x98\x00\xff" * 10, filename="x.csv")


@pytest.mark.django_db
def test_a_transfer_restarts_the_reading_clock():
    """New hires start on their hire date; a transfer or new role starts today."""
    from django.utils import timezone

    _import_stores()
    _import_people()
    anna = User.objects.get(personnel_number="100001")
    assert anna.position_since.isoformat() == "2024-05-13"

    _import_people(PEOPLE_CSV.replace("store_staff;M001", "store_staff;M002"))

    anna.refresh_from_db()
    assert anna.position_since == timezone.localdate()
    assert anna.started_on == timezone.localdate()
