"""Reading on the portal: audience-only pages, confirming, what changed, print and search."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from portal.org.choices import Role
from portal.sop.choices import ChangeKind
from portal.sop.models import Acknowledgement
from portal.sop.services import acknowledgement_record
from portal.sop.tests.factories import publish_script, publish_sop, revise

pytestmark = pytest.mark.django_db


def test_a_page_outside_the_audience_is_not_found(world, client):
    page = publish_sop(roles=[Role.STORE_STAFF], stores=[world.store_b1])

    client.force_login(world.people["store_staff"])
    assert client.get(page.url).status_code == 404
    assert client.get(reverse("sop:print", args=[page.pk])).status_code == 404
    assert client.post(reverse("sop:acknowledge", args=[page.pk])).status_code == 404

    client.force_login(world.staff_b1)
    assert client.get(page.url).status_code == 200


def test_seller_confirms_through_the_page(world, client):
    seller = world.people["store_staff"]
    page = publish_sop(title="Регистрация на кассе")
    client.force_login(seller)

    html = client.get(page.url).content.decode()
    assert 'data-testid="sop-confirm-form"' in html
    response = client.post(
        reverse("sop:acknowledge", args=[page.pk]),
        {"revision": page.live_revision_id, "understood": "on"},
        follow=True,
    )

    assert Acknowledgement.objects.filter(person=seller, revision_id=page.live_revision_id).exists()
    html = response.content.decode()
    assert 'data-testid="sop-confirmed"' in html
    assert 'data-testid="sop-confirm-form"' not in html


def test_confirming_without_the_tick_writes_nothing(world, client):
    page = publish_sop()
    client.force_login(world.people["store_staff"])

    response = client.post(
        reverse("sop:acknowledge", args=[page.pk]), {"revision": page.live_revision_id}, follow=True
    )

    assert not Acknowledgement.objects.exists()
    assert "alert-danger" in response.content.decode() or "alert-error" in response.content.decode()


def test_after_a_material_revision_the_changes_are_highlighted(world, client):
    seller = world.people["store_staff"]
    page = publish_sop(text=["Пригласите покупателя в программу.", "Спросите телефон."])
    client.force_login(seller)
    client.post(
        reverse("sop:acknowledge", args=[page.pk]),
        {"revision": page.live_revision_id, "understood": "on"},
    )

    revise(
        page,
        kind=ChangeKind.MATERIAL,
        text=["Пригласите покупателя в программу.", "Спросите телефон и e-mail.", "Новый шаг."],
        summary="Теперь собираем e-mail",
        keep_ids=2,
    )
    html = client.get(page.url).content.decode()

    assert 'data-testid="sop-changed-notice"' in html
    assert "Теперь собираем e-mail" in html
    assert html.count('data-change="changed"') == 1
    assert html.count('data-change="added"') == 1
    assert "Спросите телефон." in html  # the old wording, shown as «how it read before»
    assert 'data-status="reconfirm"' in html


def test_script_page_shows_its_parts(world, client):
    script = publish_script()
    client.force_login(world.people["call_center_agent"])

    html = client.get(script.url).content.decode()

    assert "Я потерял карту" in html
    assert "Это ваши проблемы" in html
    assert "горячую линию" in html


def test_print_is_an_a4_pdf_with_the_revision(world, client):
    page = publish_sop(title="Блокировка карты")
    client.force_login(world.people["store_staff"])

    response = client.get(reverse("sop:print", args=[page.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(response.content) > 2000


@pytest.mark.skipif(connection.vendor != "postgresql", reason="Russian stemming needs PostgreSQL")
def test_search_stems_russian_and_filters_by_audience(world, client):
    visible = publish_sop(title="Утеря карты", text=["Клиент потерял карту: заблокируйте её."])
    hidden = publish_sop(
        title="Карты для региона Б", text=["Карты выдаются."], regions=[world.region_b]
    )
    client.force_login(world.people["store_staff"])

    html = client.get(reverse("sop:search"), {"q": "карты"}).content.decode()

    assert visible.title in html
    assert hidden.title not in html


def test_library_lists_what_is_addressed_with_status(world, client):
    mine = publish_sop(title="Моя страница")
    other = publish_sop(title="Чужая", roles=[Role.CALL_CENTER_AGENT])
    client.force_login(world.people["store_staff"])

    html = client.get(reverse("sop:library")).content.decode()
    pending = client.get(reverse("sop:library"), {"status": "pending"}).content.decode()

    assert mine.title in html and other.title not in html
    assert 'data-status="to_read"' in pending


def test_csv_exports(world, client):
    publish_sop()
    client.force_login(world.people["lp_manager"])

    network = client.get(reverse("sop:compliance"), {"format": "csv"})
    store = client.get(reverse("sop:compliance_store", args=["A1"]), {"format": "csv"})

    assert network["Content-Type"].startswith("text/csv")
    lines = network.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Регион;")
    assert {line.split(";")[1] for line in lines[1:]} == {"A1", "A2", "B1"}
    assert world.people["store_staff"].personnel_number in store.content.decode("utf-8-sig")


def test_reminders_then_escalations_once_each(world, django_capture_on_commit_callbacks):
    import datetime

    from django.utils import timezone

    from portal.notify.models import Notification
    from portal.sop.services import sop_reminders_send

    publish_sop(title="Срочно", roles=[Role.STORE_STAFF], stores=[world.store_a1], due_days=7)
    today = timezone.localdate()

    with django_capture_on_commit_callbacks(execute=True):
        early = sop_reminders_send(today=today)
        near = sop_reminders_send(today=today + datetime.timedelta(days=6))
        late = sop_reminders_send(today=today + datetime.timedelta(days=8))
        later = sop_reminders_send(today=today + datetime.timedelta(days=16))
        again = sop_reminders_send(today=today + datetime.timedelta(days=16))

    staff_a1 = 2  # the world's seller and colleague in A1
    assert (early.reminders, near.reminders) == (0, staff_a1)
    assert (late.store_escalations, late.region_escalations) == (staff_a1, 0)
    assert later.region_escalations == staff_a1
    assert vars(again) == {
        "reminders": 0,
        "store_escalations": 0,
        "region_escalations": 0,
        "notifications": 0,
    }
    # One store manager and one regional manager: each rung once per seller.
    assert Notification.objects.count() == 3 * staff_a1
    recipients = {address for message in mail.outbox for address in message.to}
    assert world.people["store_manager"].email in recipients
    assert world.people["regional_manager"].email in recipients
    assert world.staff_b1.email not in recipients
    manager_inbox = world.people["store_manager"].notifications.values_list("title", flat=True)
    assert sorted(manager_inbox) == sorted(
        f"{seller.full_name} не подтвердил(а) «Срочно»"
        for seller in (world.people["store_staff"], world.colleague_a1)
    )


def test_an_auditor_with_nothing_addressed_is_not_told_they_confirmed_everything(world, client):
    # Given SOPs addressed to the store floor only, and an auditor
    publish_sop(roles=[Role.STORE_STAFF, Role.STORE_MANAGER])
    client.force_login(world.people["auditor"])

    # When the auditor opens the dashboard and the library's «to read» filter
    dashboard = client.get("/").content.decode()
    pending = client.get(reverse("sop:library"), {"status": "pending"}).content.decode()

    # Then both say nothing is addressed to them, not that they confirmed it all
    for html in (dashboard, pending):
        assert "Вам не адресовано ни одного регламента" in html
        assert "вы подтвердили ознакомление" not in html


def test_a_seller_who_confirmed_everything_is_told_so(world, client):
    # Given a seller who confirmed the one SOP addressed to them
    seller = world.people["store_staff"]
    page = publish_sop(roles=[Role.STORE_STAFF])
    acknowledgement_record(person=seller, page=page, revision_id=page.live_revision_id)
    client.force_login(seller)

    # When they open the dashboard, then it says they confirmed everything addressed to them
    html = client.get("/").content.decode()
    assert "вы подтвердили ознакомление со всеми адресованными вам" in html
    assert "Вам не адресовано ни одного регламента" not in html
