"""The stores and staff import through the page: any unreadable file is named, never a
server error; every problem of a file is listed in one pass, in the file's own column
names; a file of the other kind says so."""

from __future__ import annotations

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from portal.org import services
from portal.org.choices import Role
from portal.org.models import Store, User
from portal.org.tests.factories import RegionFactory, StoreFactory, person
from portal.org.tests.test_import import PEOPLE_CSV, PEOPLE_HEADER, STORES_CSV

pytestmark = pytest.mark.django_db

LONG_VALUE = "x" * (1024 * 1024)
GARBAGE = bytes(range(256)) * 64


@pytest.fixture
def admin_client(client):
    client.force_login(person(Role.ADMIN))
    return client


def _post(client, kind: str, content: bytes):
    with translation.override("ru"):
        page = client.post(
            reverse("org:import"),
            {"kind": kind, "file": SimpleUploadedFile(f"{kind}.csv", content)},
        )
    assert page.status_code == 200
    return page.content.decode()


LONG_ROWS = {
    "stores": STORES_CSV + f"MSK;Москва;M009;{LONG_VALUE};Москва;ул. 1;super;2019-03-01;;1\n",
    "people": PEOPLE_CSV + f"100009;{LONG_VALUE};Анна;;x@example.ru;store_staff;M001;;;1\n",
}


@pytest.mark.parametrize("kind", ["stores", "people"])
@pytest.mark.parametrize(
    ("content", "reason"),
    [(None, "длиннее 131072 символов"), (GARBAGE, "UTF-8 или Windows-1251")],
    ids=["megabyte-field", "binary"],
)
def test_an_unreadable_file_is_named_on_the_page_and_logged(
    admin_client, caplog, kind, content, reason
):
    content = content or LONG_ROWS[kind].encode()
    with caplog.at_level(logging.WARNING, logger="portal.imports"):
        body = _post(admin_client, kind, content)

    assert 'data-testid="import-errors"' in body and reason in body
    assert f"import rejected: kind={kind}" in caplog.text
    assert Store.objects.count() == 0


@override_settings(IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_setting_is_refused_with_the_limit():
    from portal.imports.errors import ImportRejected

    with pytest.raises(ImportRejected) as caught, translation.override("en"):
        services.org_stores_import(actor=None, content=(STORES_CSV * 20).encode())

    assert "larger than 0.000953674 MB" in str(caught.value.errors[0])


def test_every_problem_of_a_staff_file_is_listed_in_one_pass(admin_client):
    StoreFactory(code="M001", region=RegionFactory(code="MSK"))
    person(Role.STORE_STAFF, email="taken@example.ru", personnel_number="777777")
    bad = PEOPLE_HEADER + (
        "100001;Иванова;Анна;;a@example.ru;кассир-стажёр;M001;;2024-05-13;1\n"
        "100002;Петров;Олег;;o@example.ru;store_staff;M001;;31.02.2024;1\n"
        "100003;Сидоров;;;s@example.ru;store_staff;M001;;;1\n"
        "100004;Орлова;Ирина;;taken@example.ru;store_staff;M001;;;1\n"
        "100005;Котов;Иван;;k@example.ru;store_staff;Z999;;;1\n"
    )

    body = _post(admin_client, "people", bad.encode())

    lines = [f'data-line="{n}"' for n in range(2, 7)]
    assert all(line in body for line in lines)
    assert body.count('data-testid="import-error"') == 5
    assert User.objects.filter(personnel_number__startswith="10000").count() == 0


def test_errors_name_columns_as_the_file_does_in_russian(admin_client):
    StoreFactory(code="M001", region=RegionFactory(code="MSK"))
    russian = (
        "Табельный номер;Фамилия;Имя;Отчество;E-mail;Роль;Код магазина;Код региона;"
        "Дата приёма;Активен\n"
        "100001;Иванова;Анна;;a@example.ru;store_staff;Z999;;2024-05-13;1\n"
    )

    body = _post(admin_client, "people", russian.encode())

    assert "<code>Код магазина</code>" in body
    assert "store_code" not in body


def test_a_staff_file_uploaded_as_stores_says_it_looks_like_staff(admin_client):
    body = _post(admin_client, "stores", PEOPLE_CSV.encode())

    assert "похож на файл сотрудников" in body
    assert body.count('data-testid="import-error"') == 1


def test_a_stores_file_uploaded_as_staff_says_it_looks_like_stores(admin_client):
    body = _post(admin_client, "people", STORES_CSV.encode())

    assert "похож на файл магазинов" in body
