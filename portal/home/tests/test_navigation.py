"""The navigation each role sees, pinned as rendered (labels, links, the «Reports and
tools» menu), and what building it costs."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.utils import translation

from portal.home.context_processors import navigation
from portal.org.choices import Role
from portal.org.models import User

NAV = re.compile(r'<ul class="navbar-nav me-auto">(.*?)</ul>\s*<ul class="navbar-nav">', re.S)
LINK = re.compile(
    r'<a class="(?P<cls>[^"]*)"[^>]*href="(?P<href>[^"]*)"[^>]*>(?P<text>.*?)</a>', re.S
)
TOOLS = "Отчёты и инструменты"


def rendered_navigation(html: str) -> list[tuple[str, str]]:
    """(label, link) of every entry in order; a menu's entries are labelled «menu / entry»."""
    entries, menu = [], None
    for link in LINK.finditer(NAV.search(html).group(1)):
        label = " ".join(re.sub(r"<[^>]+>", "", link["text"]).split())
        if "dropdown-toggle" in link["cls"]:
            menu = label
            continue
        in_menu = "dropdown-item" in link["cls"]
        entries.append((f"{menu} / {label}" if in_menu else label, link["href"]))
    return entries


MAIN = [("Главная", "/"), ("Регламенты", "/sop/"), ("Экзамены", "/training/")]
STORE = [
    ("Главная", "/"),
    ("Мой магазин", "/org/stores/A1/"),
    ("Регламенты", "/sop/"),
    ("Экзамены", "/training/"),
    ("KPI магазина", "/kpi/my-store/"),
]
FOLLOWS_STORES = [
    (f"{TOOLS} / Магазины", "/org/stores/"),
    (f"{TOOLS} / Ознакомление", "/sop/compliance/"),
    (f"{TOOLS} / Сертификация", "/training/reports/"),
]
CHECKLISTS = ("Чек-листы", "/audits/checklists/")
VISITS = ("Тайный покупатель", "/audits/visits/")
# The complaint desk: «Обращения» in the desk's bar and in HQ's tools, «Мои обращения» in
# the store side's tools (the same list, scoped to their store or region): their bars are
# full.
COMPLAINTS = ("Обращения", "/incidents/")
ALL_COMPLAINTS = (f"{TOOLS} / Обращения", "/incidents/")
MY_COMPLAINTS = (f"{TOOLS} / Мои обращения", "/incidents/")
COMPLAINT_REPORTS = (f"{TOOLS} / Отчёты по обращениям", "/incidents/reports/")
PROMOTIONS = (f"{TOOLS} / Акции", "/incidents/promotions/")


def _ru(msgid: str) -> str:
    """A label as the Russian catalogue has it (the English msgid until it is translated)."""
    with translation.override("ru"):
        return translation.gettext(msgid)


# Bonuses: the statements for HQ, regional and store managers, «My bonus» for the store's
# people; both in the tools menu (the bar is full at 1280 px).
BONUSES = (f"{TOOLS} / {_ru('Bonuses')}", "/bonus/statements/")
MY_BONUS = (f"{TOOLS} / {_ru('My bonus')}", "/bonus/mine/")
SCORECARD = (f"{TOOLS} / {_ru('Store scorecard')}", "/bonus/scorecard/")
FLAGS = (f"{TOOLS} / {_ru('Abuse flags')}", "/bonus/flags/")
HQ = [
    *MAIN,
    ("Рейтинг", "/kpi/"),
    VISITS,
    CHECKLISTS,
    *FOLLOWS_STORES,
    (f"{TOOLS} / Банк вопросов", "/training/bank/"),
]

EXPECTED = {
    # «Акции» is everyone's; a single tool is shown in the bar itself, not in a menu of one
    # (the auditor's); the seller's «My bonus» makes theirs a menu.
    Role.STORE_STAFF: [*STORE, PROMOTIONS, MY_BONUS],
    Role.STORE_MANAGER: [
        *STORE,
        VISITS,
        *FOLLOWS_STORES,
        MY_COMPLAINTS,
        COMPLAINT_REPORTS,
        PROMOTIONS,
        BONUSES,
        MY_BONUS,
    ],
    Role.AUDITOR: [*MAIN, VISITS, CHECKLISTS, ("Акции", "/incidents/promotions/")],
    Role.REGIONAL_MANAGER: [
        ("Главная", "/"),
        ("Мой регион", "/org/regions/RA/"),
        ("Регламенты", "/sop/"),
        ("Экзамены", "/training/"),
        ("Рейтинг", "/kpi/"),
        VISITS,
        *FOLLOWS_STORES,
        (f"{TOOLS} / Загрузка чеков", "/kpi/imports/"),
        MY_COMPLAINTS,
        COMPLAINT_REPORTS,
        PROMOTIONS,
        BONUSES,
        SCORECARD,
        FLAGS,
    ],
    # The desk's reports are the supervisors', not the operators'.
    Role.CALL_CENTER_AGENT: [
        *MAIN,
        COMPLAINTS,
        (f"{TOOLS} / Магазины", "/org/stores/"),
        PROMOTIONS,
    ],
    Role.CALL_CENTER_SUPERVISOR: [
        *MAIN,
        COMPLAINTS,
        (f"{TOOLS} / Магазины", "/org/stores/"),
        COMPLAINT_REPORTS,
        PROMOTIONS,
    ],
    Role.LP_MANAGER: [
        *HQ,
        (f"{TOOLS} / Загрузка чеков", "/kpi/imports/"),
        ALL_COMPLAINTS,
        COMPLAINT_REPORTS,
        PROMOTIONS,
        BONUSES,
        SCORECARD,
        FLAGS,
        (f"{TOOLS} / Контент (CMS)", "/cms/"),
    ],
    Role.ADMIN: [
        *HQ,
        (f"{TOOLS} / Загрузка чеков", "/kpi/imports/"),
        (f"{TOOLS} / Импорт", "/org/import/"),
        ALL_COMPLAINTS,
        COMPLAINT_REPORTS,
        PROMOTIONS,
        BONUSES,
        SCORECARD,
        FLAGS,
        (f"{TOOLS} / Контент (CMS)", "/cms/"),
        (f"{TOOLS} / Администрирование", "/admin/"),
    ],
}


# Two reads of the user's and their groups' Django permissions (the CMS entry), none for
# a superuser (the admin), whatever is registered.
QUERIES = {**{role: 2 for role in Role.values}, Role.ADMIN: 0}


@pytest.fixture
def navigation_of(client, world):
    def render(role: str) -> list[tuple[str, str]]:
        client.force_login(world.people[role])
        response = client.get("/")
        assert response.status_code == 200
        return rendered_navigation(response.content.decode())

    return render


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_each_role_sees_its_navigation(navigation_of, role):
    assert navigation_of(role) == EXPECTED[role]


@pytest.mark.django_db
def test_the_current_page_is_marked_in_the_menu(client, world):
    client.force_login(world.people[Role.LP_MANAGER])

    html = client.get("/training/reports/").content.decode()

    assert re.search(r'dropdown-item active" href="/training/reports/" aria-current="page"', html)


@pytest.mark.django_db
@pytest.mark.parametrize("role", Role.values)
def test_navigation_costs_queries_only_for_permissions(world, role, django_assert_num_queries):
    """Loaded as the login backend loads a user (store and region joined); the only reads
    are the Django permissions of the CMS entry (cached on the user for the request)."""
    user = User.objects.select_related("store", "region").get(pk=world.people[role].pk)
    request = RequestFactory().get("/")
    request.user = user

    with django_assert_num_queries(QUERIES[role]):
        navigation(request)
