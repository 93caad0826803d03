"""Organisation pages: the import screen, exports, printing, and fixed query budgets."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.org.models import User
from portal.org.tests.factories import StoreFactory, UserFactory
from portal.org.tests.test_import import PEOPLE_CSV, STORES_CSV


def _upload(client, kind: str, text: str, encoding: str = "utf-8"):
    upload = SimpleUploadedFile("file.csv", text.encode(encoding), content_type="text/csv")
    return client.post(reverse("org:import"), {"kind": kind, "file": upload})


@pytest.mark.django_db
def test_admin_imports_stores_then_staff_in_the_browser_form(client, world):
    client.force_login(world.people["admin"])

    stores = _upload(client, "stores", STORES_CSV, "cp1251")
    people = _upload(client, "people", PEOPLE_CSV)

    assert stores.context["report"].created == 3
    assert people.context["report"].created == 3
    assert b'data-testid="import-report"' in people.content


@pytest.mark.django_db
def test_import_screen_lists_each_bad_row_and_writes_nothing(client, world):
    client.force_login(world.people["admin"])
    _upload(client, "stores", STORES_CSV)
    before = User.objects.count()
    bad = PEOPLE_CSV.replace(";M001;;2024-05-13", ";ZZZ9;;2024-05-13", 1)

    response = _upload(client, "people", bad)

    assert response.status_code == 200
    errors = response.context["errors"]
    assert [(e.line, e.field) for e in errors] == [(2, "store_code")]
    assert "ZZZ9" in errors[0].message
    assert b'data-testid="import-errors"' in response.content
    assert User.objects.count() == before


@pytest.mark.django_db
def test_store_people_exports_csv_and_prints_pdf(client, world):
    client.force_login(world.people["store_manager"])
    url = reverse("org:store_people", kwargs={"code": "A1"})

    csv_response = client.get(url, {"format": "csv"})
    pdf_response = client.get(url, {"format": "pdf"})

    rows = csv_response.content.decode("utf-8-sig").splitlines()
    numbers = {row.split(";")[0] for row in rows[1:]}
    expected = set(world.store_a1.people.values_list("personnel_number", flat=True))
    assert numbers == expected
    assert pdf_response["Content-Type"] == "application/pdf"
    assert pdf_response.content.startswith(b"%PDF")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role, url",
    [
        ("lp_manager", "/"),
        ("regional_manager", "/"),
        ("store_manager", "/"),
        ("lp_manager", "/org/stores/"),
        ("lp_manager", "/org/stores/A1/people/"),
        ("regional_manager", "/org/regions/RA/"),
    ],
)
def test_query_count_does_not_grow_with_stores_or_staff(client, world, role, url):
    client.force_login(world.people[role])
    small = _queries(client, url)

    for n in range(12):
        store = StoreFactory(code=f"X{n:02d}", region=world.region_a)
        for _ in range(3):
            UserFactory(store=store)
            UserFactory(store=world.store_a1)

    assert _queries(client, url) == small
