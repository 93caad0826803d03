"""The desk's pages as their users see them: the agent files a call and opens the ticket
(a fixed number of queries), the store side sees it masked, every clear view is logged,
the list pages by keyset without repeats, the board and the CSV."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from incidents.models import PersonalDataAccess, Ticket
from incidents.tests.factories import desk_member, ticket
from portal.org.choices import Role

pytestmark = pytest.mark.django_db
TICKET_PAGE_QUERIES = 15


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_the_agent_files_a_call_and_lands_on_the_ticket(client, world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    client.force_login(agent)
    response = client.post(
        reverse("incidents:intake"),
        {
            "customer_phone": "+7 916 555-44-33",
            "customer_name": "Сидоров Пётр",
            "category": "lost_card",
            "priority": "normal",
            "store": "a1",
            "description": "Потерял карту, просит заблокировать",
        },
    )
    made = Ticket.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.assignee == agent and made.store == world.store_a1
    assert made.customer_phone == "79165554433"
    page = client.get(made.get_absolute_url())
    assert "+7 916 555-44-33" in page.content.decode()
    assert PersonalDataAccess.objects.filter(ticket=made, person=agent).count() == 1


def test_a_duplicate_is_warned_before_filing_again(client, world):
    client.force_login(world.people[Role.CALL_CENTER_AGENT])
    ticket(category="lost_card", customer_phone="+7 916 555-44-33")
    data = {
        "customer_phone": "89165554433",
        "category": "lost_card",
        "priority": "normal",
        "description": "Снова про карту",
    }
    response = client.post(reverse("incidents:intake"), data)
    assert response.status_code == 200 and 'data-testid="duplicates"' in response.content.decode()
    assert Ticket.objects.count() == 1
    response = client.post(reverse("incidents:intake"), {**data, "confirm_duplicate": "on"})
    assert response.status_code == 302 and Ticket.objects.count() == 2


def test_the_ticket_page_costs_the_same_queries_with_a_long_history(client, world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    desk_member(agent)
    client.force_login(agent)
    first = ticket(store=world.store_a1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(first.get_absolute_url()).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(12):
        ticket(store=world.store_a1)  # the same customer's earlier tickets
    from incidents.services.workflow import ticket_note, ticket_reply

    for n in range(5):
        ticket_note(first, actor=agent, body=f"Заметка {n}")
        ticket_reply(first, actor=agent, body=f"Ответ {n}")
    many = queries()
    assert few == many
    assert many <= TICKET_PAGE_QUERIES


def test_the_store_side_sees_its_ticket_masked_and_is_not_logged(client, world):
    made = ticket(store=world.store_a1, customer_email="anna@example.ru", card_number="1234567890")
    manager = world.people[Role.STORE_MANAGER]
    client.force_login(manager)
    html = client.get(made.get_absolute_url()).content.decode()
    assert "916 123-45-67" not in html and "+7 ••• •••-45-67" in html
    assert "anna@example.ru" not in html and "a•••@example.ru" in html
    assert "•••• 7890" in html
    assert not PersonalDataAccess.objects.filter(person=manager).exists()
    other = ticket(store=world.store_b1)
    assert client.get(other.get_absolute_url()).status_code == 404


def test_the_list_pages_by_keyset_without_repeats(client, world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    client.force_login(agent)
    made = {ticket().pk for _ in range(30)}
    seen, url = [], reverse("incidents:desk") + "?view=all"
    for _ in range(3):
        response = client.get(url)
        seen += [t.pk for t, _state in response.context["rows"]]
        after = response.context["next_after"]
        if not after:
            break
        url = reverse("incidents:desk") + f"?view=all&after={after}"
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def test_the_csv_masks_the_customer(client, world):
    ticket(store=world.store_a1)
    client.force_login(world.people[Role.CALL_CENTER_SUPERVISOR])
    response = client.get(reverse("incidents:desk") + "?view=all&format=csv")
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "+7 ••• •••-45-67" in body and "916" not in body


def test_the_board_shows_overdue_and_next(client, world):
    import datetime as dt

    from django.utils import timezone

    old = ticket(at=timezone.now() - dt.timedelta(days=10))
    fresh = ticket()
    client.force_login(world.people[Role.CALL_CENTER_SUPERVISOR])
    response = client.get(reverse("incidents:board"))
    assert [t.pk for t, _s in response.context["breached"]] == [old.pk]
    assert fresh.pk in [t.pk for t, _s in response.context["at_risk"]]


def test_the_category_asks_its_own_questions(client, world):
    client.force_login(world.people[Role.CALL_CENTER_AGENT])
    form = client.get(reverse("incidents:intake")).content.decode()
    assert 'data-category-fields="account_login"' in form
    client.post(
        reverse("incidents:intake"),
        {
            "customer_phone": "+7 916 555-44-33",
            "category": "account_login",
            "priority": "normal",
            "description": "Не приходит код",
            "detail_account_login_problem": "no_code",
            "detail_lost_card_blocked": "yes",  # another category's field: ignored
        },
    )
    made = Ticket.objects.get()
    assert made.details == {"problem": "no_code"}
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Не приходит SMS-код" in page  # the site speaks Russian


def test_paused_tickets_come_last_and_pages_cross_into_them(world):
    from incidents.selectors.tickets import Filters, ticket_page
    from incidents.services.workflow import ticket_reply

    agent = world.people[Role.CALL_CENTER_AGENT]
    dated = [ticket() for _ in range(6)]
    paused = [ticket() for _ in range(3)]
    for made in paused:
        ticket_reply(made, actor=agent, body="Уточните, пожалуйста", wait_for_customer=True)
    seen, after = [], ""
    for _ in range(5):
        page = ticket_page(Ticket.objects.all(), filters=Filters(), after=after, size=4)
        seen += [t.pk for t in page.rows]
        after = page.next_after
        if not after:
            break
    assert len(seen) == 9 and len(set(seen)) == 9
    assert set(seen[-3:]) == {t.pk for t in paused}
    assert set(seen[:6]) == {t.pk for t in dated}


def test_the_partial_indexes_name_the_open_statuses():
    from incidents.choices import OPEN_STATUSES
    from incidents.models.tickets import OPEN_STATUS_VALUES

    assert [str(status) for status in OPEN_STATUSES] == OPEN_STATUS_VALUES


@pytest.mark.parametrize(
    "after", ["1e400_5", "1700000000.0_99999999999999999999999", "-_-1", "x", "_", "nan_1"]
)
def test_a_hand_made_cursor_never_fails(client, world, after):
    ticket()
    client.force_login(world.people[Role.CALL_CENTER_AGENT])
    response = client.get(reverse("incidents:desk"), {"view": "all", "after": after})
    assert response.status_code == 200
