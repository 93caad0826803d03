"""A period that does not exist is an error on the form that names the field (HTTP 200);
its exports answer 400 saying what is wrong."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from kpi.tests.factories import receipts_file
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.tests.factories import StoreFactory, person

pytestmark = pytest.mark.django_db

BAD = [
    pytest.param(
        {"period": "custom", "start": "", "end": ""},
        ["С: Укажите первый день периода.", "По: Укажите последний день периода."],
        id="empty dates",
    ),
    pytest.param(
        {"period": "custom", "start": "2026-10-10", "end": "2026-10-01"},
        ["По: Период заканчивается раньше, чем начинается."],
        id="end before start",
    ),
    pytest.param(
        {"period": "custom", "start": "2025-01-01", "end": "2026-10-01"},
        ["По: Произвольный период — не длиннее года."],
        id="over a year",
    ),
    pytest.param(
        {"period": "custom", "start": "вчера", "end": "2026-10-01"},
        ["С: Введите дату в виде 2026-10-01."],
        id="not a date",
    ),
    pytest.param(
        {"period": "month", "month": "2026-13"},
        ["Месяц: Введите месяц в виде 2026-10."],
        id="no such month",
    ),
    pytest.param(
        {"period": "week", "week": "2026-W60"},
        ["Неделя: Введите неделю в виде 2026-W47."],
        id="no such week",
    ),
    pytest.param({"period": "decade"}, ["Период: Выберите корректный вариант."], id="bad kind"),
    pytest.param({"kpi": "profit"}, ["Показатель: Выберите корректный вариант."], id="bad KPI"),
]


@pytest.fixture
def lp(client, load):
    StoreFactory(code="S1")
    load(receipts_file("S1", date(2026, 10, 14), receipts=20, identified=10))
    client.force_login(person(Role.LP_MANAGER))
    return client


def _errors(response) -> list[str]:
    page = BeautifulSoup(response.content.decode(), "html.parser")
    return [li.get_text(" ", strip=True) for li in page.select("[data-testid=period-errors] li")]


def _starts(errors: list[str], expected: list[str]) -> bool:
    return len(errors) == len(expected) and all(
        error.replace(" :", ":").startswith(want)
        for error, want in zip(errors, expected, strict=True)
    )


@pytest.mark.parametrize(("params", "expected"), BAD)
def test_the_leaderboard_names_the_wrong_field(lp, params, expected):
    response = lp.get(reverse("kpi:leaderboard"), params)

    assert response.status_code == 200
    assert _starts(_errors(response), expected), _errors(response)
    body = response.content.decode()
    assert 'data-testid="board-row"' not in body and 'data-testid="board-csv"' not in body
    assert BeautifulSoup(body, "html.parser").select("[data-testid=period-form] .is-invalid")


@pytest.mark.parametrize(("params", "expected"), BAD)
def test_the_store_page_names_the_wrong_field(lp, params, expected):
    response = lp.get(reverse("kpi:store", args=["S1"]), params)

    assert response.status_code == 200
    assert _starts(_errors(response), expected), _errors(response)
    assert 'data-testid="scorecard"' not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "extra"),
    [
        ("kpi:leaderboard", {"format": "csv"}),
        ("kpi:leaderboard_pdf", {}),
        ("kpi:store", {"format": "csv"}),
    ],
)
def test_exports_of_a_wrong_period_answer_400_naming_the_field(lp, url, extra):
    args = ["S1"] if url == "kpi:store" else []
    params = {"period": "custom", "start": "2026-10-10", "end": "2026-10-01", **extra}

    response = lp.get(reverse(url, args=args), params)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "По: Период заканчивается раньше, чем начинается." in response.content.decode()


def test_the_form_keeps_what_was_typed(lp):
    params = {
        "period": "custom",
        "start": "2026-10-10",
        "end": "2026-10-01",
        "kpi": "contact_capture",
    }

    page = BeautifulSoup(lp.get(reverse("kpi:leaderboard"), params).content, "html.parser")

    assert page.select_one("#f-period option[selected]")["value"] == "custom"
    assert page.select_one("#f-start")["value"] == "2026-10-10"
    assert page.select_one("#f-end")["value"] == "2026-10-01"
    assert "is-invalid" in page.select_one("#f-end")["class"]


def test_a_good_custom_period_still_shows_the_board(lp):
    response = lp.get(
        reverse("kpi:leaderboard"), {"period": "custom", "start": "2026-10-01", "end": "2026-10-31"}
    )

    assert response.status_code == 200 and not _errors(response)
    assert Store.objects.get(code="S1").code in response.content.decode()
