"""The «Акции» section: the index lists the promotions on now, coming and ended with
their dates in the reader's language; a promotion's page shows its dates, whether it is
for members only, and its rules; both need a login like every content page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from incidents.models import PromotionIndexPage, PromotionPage
from incidents.selectors.promotions import promotions_by_period
from portal.home.models import HomePage
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


def published(page, parent):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def section(db):
    """The section with one promotion on now, one coming, one ended and one draft."""
    today = timezone.localdate()
    index = published(
        PromotionIndexPage(title="Акции", slug="akcii", intro="<p>Акции программы</p>"),
        HomePage.objects.first(),
    )

    def promotion(title, slug, starts, ends, members_only=True, live=True):
        page = PromotionPage(
            title=title,
            slug=slug,
            starts_on=today + dt.timedelta(days=starts),
            ends_on=today + dt.timedelta(days=ends),
            summary=f"Кратко: {title}",
            members_only=members_only,
            rules="<p>Двойные баллы на кофе по карте участника.</p>",
            live=live,
        )
        if live:
            return published(page, index)
        index.add_child(instance=page)
        return page

    return {
        "index": index,
        "current": promotion("Двойные баллы", "double", -5, 5),
        "coming": promotion("Летняя акция", "summer", 10, 40, members_only=False),
        "past": promotion("Зимняя акция", "winter", -60, -30),
        "draft": promotion("Черновик", "draft", -1, 1, live=False),
    }


@pytest.fixture
def reader(world):
    client = Client(HTTP_ACCEPT_LANGUAGE="ru")
    client.force_login(world.people[Role.STORE_STAFF])
    return client


def test_promotions_are_split_into_current_coming_and_past(section):
    periods = promotions_by_period(index=section["index"], today=timezone.localdate())

    assert periods["current"] == [section["current"]]
    assert periods["coming"] == [section["coming"]]
    assert periods["past"] == [section["past"]]


def test_the_index_lists_each_period_with_russian_dates(section, reader):
    page = reader.get(section["index"].url)

    assert page.status_code == 200
    assert page.context["current"] == [section["current"]]
    assert page.context["coming"] == [section["coming"]]
    assert page.context["past"] == [section["past"]]
    body = page.content.decode()
    for name in ("current", "coming", "past"):
        assert section[name].title in body
    assert section["draft"].title not in body
    with translation.override("ru"):
        starts = date_format(section["current"].starts_on, "j E Y")
    assert starts in body and any("а" <= letter <= "я" for letter in starts)  # «5 марта 2026»
    assert body.index("Двойные баллы") < body.index("Летняя акция") < body.index("Зимняя акция")


def test_a_promotion_page_shows_its_dates_badge_and_rules(section, reader):
    page = reader.get(section["current"].url)

    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="promotion-members-only"' in body
    assert "Двойные баллы на кофе по карте участника." in body
    with translation.override("ru"):
        ends = date_format(section["current"].ends_on, "j E Y")
    assert ends in body
    assert 'data-testid="promotion-state"' in body


def test_a_promotion_open_to_everyone_has_no_members_badge(section, reader):
    body = reader.get(section["coming"].url).content.decode()

    assert 'data-testid="promotion-members-only"' not in body
    assert "text-bg-info" in body  # marked as coming


def test_the_section_needs_a_login(section):
    anonymous = Client().get(section["index"].url)

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_demo_section_has_current_coming_and_past_promotions(world):
    from datetime import date

    from incidents.demo_promotions import promotions_demo_seed
    from incidents.models import PromotionIndexPage
    from incidents.selectors.promotions import promotions_by_period

    today = date(2026, 12, 3)
    assert promotions_demo_seed(today=today) == 6
    assert promotions_demo_seed(today=today) == 0  # idempotent
    index = PromotionIndexPage.objects.get()
    periods = promotions_by_period(index=index, today=today)
    assert [len(periods[key]) for key in ("current", "coming", "past")] == [2, 1, 2]
