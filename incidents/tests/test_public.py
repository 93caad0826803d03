"""The customer's side of the desk: the public complaint page (filed with its photo, or
refused with a clear message and nothing stored), the status page by number and phone,
the customer's messages, and the one-use rating link."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from incidents.choices import Channel, MessageKind, Status, TicketEventKind
from incidents.models import Ticket, TicketAttachment, TicketMessage
from incidents.public_forms import RoubleAmountField
from incidents.public_views import SESSION_TICKET, public_story
from incidents.selectors.public import PublicEntry
from incidents.services import workflow
from incidents.services.public import ticket_file_public
from incidents.tests.factories import desk_member, intake, ticket
from portal.org.choices import Role

pytestmark = pytest.mark.django_db

NEW = reverse("incidents:public_new")
FILED = reverse("incidents:public_filed")
STATUS = reverse("incidents:public_status")
MESSAGE = reverse("incidents:public_message")
FORGET = reverse("incidents:public_forget")


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def photo(name: str = "receipt.jpg", size: tuple[int, int] = (60, 40), noisy: bool = False):
    picture = Image.effect_noise(size, 90).convert("RGB") if noisy else Image.new("RGB", size)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def complaint(world, **values) -> dict:
    three_days_ago = timezone.localdate() - dt.timedelta(days=3)
    data = {
        "category": "bonus_not_credited",
        "store": str(world.store_a1.pk),
        "receipt_number": "000123",
        "purchase_date": three_days_ago.strftime("%d.%m.%Y"),
        "receipt_amount": "1 234,50",
        "description": "Бонусы за покупку не начислены.",
        "customer_name": "Мария Иванова",
        "customer_phone": "8 (916) 123-45-67",
        "customer_email": "maria@example.com",
        "consent": "on",
        "website": "",
    }
    data.update(values)
    return {key: value for key, value in data.items() if value is not None}


def stored_files() -> set[str]:
    """Every file under the desk's attachment folder in the storage."""

    def walk(folder: str) -> set[str]:
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return set()
        found = {f"{folder}/{name}" for name in files}
        for sub in folders:
            found |= walk(f"{folder}/{sub}")
        return found

    return walk("incidents/tickets")


# --- Filing -------------------------------------------------------------------------------


def test_a_complaint_with_a_receipt_photo_is_filed_and_its_number_shown(client, world):
    before = stored_files()

    sent = client.post(NEW, complaint(world, photo=photo()))

    assert sent.status_code == 302 and sent["Location"] == FILED
    filed = Ticket.objects.get()
    assert filed.channel == Channel.WEB and filed.created_by is None
    assert filed.customer_phone == "79161234567" and filed.store == world.store_a1
    assert filed.receipt_amount == Decimal("1234.50") and filed.receipt_number == "000123"
    assert timezone.localtime(filed.receipt_at).date() == timezone.localdate() - dt.timedelta(3)
    attachment = TicketAttachment.objects.get(ticket=filed)
    assert stored_files() - before == {attachment.file.name}
    with default_storage.open(attachment.file.name) as stored:
        assert Image.open(stored).format == "JPEG"
    assert filed.events.filter(kind=TicketEventKind.CREATED, public=True).exists()
    confirmation = client.get(FILED)
    assert confirmation.status_code == 200
    assert filed.number in confirmation.content.decode()
    # The one who filed it follows it at once, without typing it again.
    assert client.get(STATUS).context["ticket"] == filed


def test_a_complaint_needs_no_store_receipt_or_photo(client, world):
    data = complaint(world, store="", receipt_number="", purchase_date="", receipt_amount="")

    assert client.post(NEW, data).status_code == 302

    filed = Ticket.objects.get()
    assert filed.store is None and filed.receipt_at is None and filed.receipt_amount is None
    assert not filed.attachments.exists()


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1 234,50", Decimal("1234.50")),
        ("1\u00a0234,5 ₽", Decimal("1234.5")),
        ("1234.50", Decimal("1234.50")),
        ("350", Decimal("350")),
    ],
)
def test_an_amount_is_read_the_russian_way(typed, amount):
    assert RoubleAmountField(required=False).clean(typed) == amount


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("customer_phone", {"customer_phone": "12345"}),
        ("customer_phone", {"customer_phone": ""}),
        ("description", {"description": "я" * 5001}),
        ("description", {"description": "   "}),
        ("purchase_date", {"purchase_date": "31.02.2026"}),
        ("purchase_date", {"purchase_date": "вчера"}),
        ("purchase_date", {"purchase_date": "01.01.2999"}),
        ("receipt_amount", {"receipt_amount": "1,234.50"}),
        ("receipt_amount", {"receipt_amount": "12,345"}),
        ("receipt_amount", {"receipt_amount": "0"}),
        ("customer_email", {"customer_email": "maria@"}),
        ("category", {"category": "complaint"}),
        ("store", {"store": "999999"}),
        ("consent", {"consent": None}),
    ],
)
def test_malformed_input_is_named_by_field_and_nothing_is_stored(client, world, field, values):
    before = stored_files()

    page = client.post(NEW, complaint(world, photo=photo(), **values))

    assert page.status_code == 200
    assert list(page.context["form"].errors) == [field]
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert stored_files() == before


def test_a_closed_store_is_refused_by_the_filing_and_named(client, world):
    """A store closed since the form was loaded: the service's refusal lands on its field."""
    data = complaint(world, photo=photo())
    world.store_a1.is_active = False
    world.store_a1.save(update_fields=["is_active"])

    page = client.post(NEW, data)

    assert page.status_code == 200 and "store" in page.context["form"].errors
    assert not Ticket.objects.exists()


def test_a_file_that_is_not_a_photo_is_named_and_nothing_is_stored(client, world):
    before = stored_files()
    fake = SimpleUploadedFile("receipt.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")

    page = client.post(NEW, complaint(world, photo=fake))

    errors = page.context["form"].errors
    assert list(errors) == ["photo"] and "not a photo" in errors["photo"][0]
    assert not Ticket.objects.exists() and stored_files() == before


@override_settings(INCIDENTS_ATTACHMENT_MAX_BYTES=10_000)
def test_a_photo_over_the_attachment_limit_is_named(client, world):
    page = client.post(NEW, complaint(world, photo=photo(size=(300, 300), noisy=True)))

    assert list(page.context["form"].errors) == ["photo"]
    assert not Ticket.objects.exists()


def test_a_body_over_the_limit_is_refused_before_it_is_read(client, world, settings):
    """The declared length alone decides: the test client's body is far shorter than
    declared, and reading it would fail the request."""
    declared = settings.INCIDENTS_PUBLIC_MAX_BYTES + 1

    page = client.post(NEW, complaint(world), CONTENT_LENGTH=str(declared))

    assert page.status_code == 413
    assert "at most 6 MB" in page.content.decode()
    assert not Ticket.objects.exists()


@override_settings(INCIDENTS_PUBLIC_MAX_BYTES=20_000)
def test_an_oversized_photo_gets_413_and_nothing_is_stored(client, world):
    before = stored_files()

    page = client.post(NEW, complaint(world, photo=photo(size=(300, 300), noisy=True)))

    assert page.status_code == 413
    assert not Ticket.objects.exists() and stored_files() == before


def test_the_form_still_checks_its_csrf_token(world):
    strict = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    refused = strict.post(NEW, complaint(world))

    assert refused.status_code == 403 and not Ticket.objects.exists()


def test_a_robot_filling_the_honeypot_sees_a_confirmation_and_nothing_is_filed(client, world):
    before = stored_files()

    sent = client.post(NEW, complaint(world, photo=photo(), website="http://spam.example"))

    assert sent.status_code == 302 and sent["Location"] == FILED
    confirmation = client.get(FILED)
    assert confirmation.status_code == 200 and confirmation.context["number"]
    assert not Ticket.objects.exists() and stored_files() == before
    # A person never sees the field: it sits in a hidden block of the form.
    form_page = client.get(NEW).content.decode()
    assert '<div class="d-none" aria-hidden="true">' in form_page


@override_settings(INCIDENTS_PUBLIC_RATE_ADDRESS="2/h")
def test_flooding_from_one_address_gets_429_naming_the_limit(client, world):
    phones = ["+7 916 000-00-01", "+7 916 000-00-02", "+7 916 000-00-03"]

    statuses = [client.post(NEW, complaint(world, customer_phone=p)).status_code for p in phones]
    refused = client.post(NEW, complaint(world, customer_phone="+7 916 000-00-04"))

    assert statuses == [302, 302, 429]
    assert refused.status_code == 429 and refused["Retry-After"]
    assert "From one address we accept at most 2 complaints an hour." in refused.content.decode()
    assert Ticket.objects.count() == 2
    # Another address is not held back.
    assert client.post(NEW, complaint(world), REMOTE_ADDR="203.0.113.9").status_code == 302


@override_settings(INCIDENTS_PUBLIC_RATE_ADDRESS="2/h")
def test_a_robot_counts_against_its_address_too(client, world):
    robot = complaint(world, website="http://spam.example")
    for _i in range(2):
        client.post(NEW, robot)

    assert client.post(NEW, complaint(world)).status_code == 429
    assert not Ticket.objects.exists()


@override_settings(INCIDENTS_PUBLIC_RATE_PHONE="2/d", INCIDENTS_PUBLIC_RATE_ADDRESS="50/h")
def test_flooding_for_one_phone_gets_429_naming_the_limit(client, world):
    addresses = ["203.0.113.1", "203.0.113.2", "203.0.113.3"]
    same_phone = complaint(world, customer_phone="+7 916 555-44-33")

    statuses = [client.post(NEW, same_phone, REMOTE_ADDR=a).status_code for a in addresses]
    refused = client.post(NEW, complaint(world, customer_phone="89165554433"))

    assert statuses == [302, 302, 429]
    assert "For one phone number we accept at most 2 complaints a day." in (
        refused.content.decode()
    )
    assert Ticket.objects.filter(customer_phone="79165554433").count() == 2
    assert client.post(NEW, complaint(world, customer_phone="+79160000009")).status_code == 302


def test_a_failed_transaction_leaves_neither_ticket_nor_file(world):
    """The database fails after the photo is written (the attachment's savepoint cannot
    be released): the filing is undone and the file removed from the storage."""
    before = stored_files()
    seen = {"attachment": False, "failed": False}

    def fail_after_the_attachment(execute, sql, params, many, context):
        if sql.startswith('INSERT INTO "incidents_ticketattachment"'):
            seen["attachment"] = True
        elif seen["attachment"] and not seen["failed"] and sql.startswith("RELEASE SAVEPOINT"):
            seen["failed"] = True  # once: the rollback that follows goes through
            raise DatabaseError("the connection dropped")
        return execute(sql, params, many, context)

    upload = SimpleUploadedFile("receipt.jpg", photo().read())
    with (
        pytest.raises(DatabaseError),
        connection.execute_wrapper(fail_after_the_attachment),
    ):
        ticket_file_public(intake(channel=Channel.WEB), photo=upload)

    assert seen["failed"]
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert stored_files() == before


def test_a_refused_intake_stores_no_photo(world):
    before = stored_files()

    with pytest.raises(ValidationError):
        ticket_file_public(intake(channel=Channel.WEB, description=""), photo=photo())

    assert not Ticket.objects.exists() and stored_files() == before


# --- The status page ---------------------------------------------------------------------


def check(client, number: str, phone: str, **extra):
    return client.post(STATUS, {"number": number, "customer_phone": phone}, **extra)


def test_the_status_is_shown_for_the_number_and_phone_and_kept_in_the_session(client, world):
    filed = ticket(channel=Channel.WEB)

    found = check(client, filed.number.replace("-", " "), "+7 (916) 123 45 67")

    assert found.status_code == 302 and found["Location"] == STATUS
    assert client.session[SESSION_TICKET] == filed.pk
    page = client.get(STATUS)
    body = page.content.decode()
    assert page.context["ticket"] == filed
    assert "Received" in body and "We received your request." in body
    assert "79161234567" not in body
    # Reloading shows it again; ending it on the device asks for the number again.
    assert client.get(STATUS).context["ticket"] == filed
    client.post(FORGET)
    assert "ticket" not in client.get(STATUS).context


def test_a_wrong_phone_and_a_wrong_number_get_the_same_words(client, world):
    filed = ticket()
    other = ticket(customer_phone="+7 916 999-99-99")

    wrong_phone = check(client, filed.number, "+7 916 000-00-00")
    wrong_number = check(client, "000-000-001", "+7 916 123-45-67")
    someone_elses = check(client, other.number, "+7 916 123-45-67")

    errors = [r.context["form"].non_field_errors() for r in (wrong_phone, wrong_number)]
    assert errors[0] == errors[1] == someone_elses.context["form"].non_field_errors()
    assert errors[0] == ["No request matches this number and phone. Check both."]
    assert SESSION_TICKET not in client.session


@override_settings(INCIDENTS_PUBLIC_RATE_STATUS="3/h")
def test_guessing_is_throttled_per_address_even_for_the_right_pair(client, world):
    filed = ticket()
    for _i in range(3):
        assert check(client, "000-000-001", "+7 916 123-45-67").status_code == 200

    held = check(client, filed.number, "+7 916 123-45-67")

    assert held.status_code == 429
    assert "at most 3 unsuccessful checks an hour" in held.content.decode()
    assert (
        check(client, filed.number, "+7 916 123-45-67", REMOTE_ADDR="203.0.113.5").status_code
        == 302
    )


def test_the_timeline_tells_each_step_in_plain_words_with_the_replies(client, world):
    agent = world.people[Role.CALL_CENTER_AGENT]
    desk_member(agent)
    filed = ticket(channel=Channel.WEB)
    workflow.take_next(agent)
    filed.refresh_from_db()
    workflow.ticket_reply(filed, actor=agent, body="Пришлите фото чека.", wait_for_customer=True)
    workflow.ticket_note(filed, actor=agent, body="Внутренняя заметка")
    check(client, filed.number, "+79161234567")

    written = client.post(MESSAGE, {"body": "Фото отправила в письме."})

    assert written.status_code == 302 and written["Location"] == STATUS
    filed.refresh_from_db()
    assert filed.status == Status.IN_PROGRESS
    assert TicketMessage.objects.filter(ticket=filed, kind=MessageKind.CUSTOMER).count() == 1
    page = client.get(STATUS)
    words = [step["words"] for step in page.context["story"]]
    assert words == [
        "We received your request.",
        "An operator took your request.",
        "We answered you.",
        "We are waiting for your answer.",
        "You wrote to us.",
    ]
    body = page.content.decode()
    assert "Пришлите фото чека." in body and "Фото отправила в письме." in body
    assert "Внутренняя заметка" not in body and agent.last_name not in body


def test_writing_to_a_resolved_request_reopens_it_within_the_window(client, world, settings):
    agent = world.people[Role.CALL_CENTER_AGENT]
    filed = ticket()
    workflow.ticket_resolve(filed, actor=agent, code="explained", root_cause="customer_mistake")
    check(client, filed.number, "+79161234567")
    assert client.get(STATUS).context["writable"]

    client.post(MESSAGE, {"body": "Бонусы так и не пришли."})

    filed.refresh_from_db()
    assert filed.status in (Status.NEW, Status.IN_PROGRESS) and filed.reopened == 1
    assert "Your request was reopened." in [s["words"] for s in client.get(STATUS).context["story"]]


def test_a_request_closed_past_the_window_takes_no_message(client, world, settings):
    agent = world.people[Role.CALL_CENTER_AGENT]
    long_ago = timezone.now() - dt.timedelta(days=settings.INCIDENTS_REOPEN_DAYS + 5)
    filed = ticket(at=long_ago)
    workflow.ticket_resolve(
        filed, actor=agent, code="explained", root_cause="customer_mistake", at=long_ago
    )
    check(client, filed.number, "+79161234567")
    page = client.get(STATUS)
    assert not page.context["writable"]

    refused = client.post(MESSAGE, {"body": "Ещё вопрос"})

    assert refused.status_code == 200
    assert refused.context["message_form"].non_field_errors()
    assert not TicketMessage.objects.filter(kind=MessageKind.CUSTOMER).exists()


def test_a_message_needs_a_checked_request(client, world):
    ticket()

    sent = client.post(MESSAGE, {"body": "Здравствуйте"})

    assert sent.status_code == 302 and sent["Location"] == STATUS
    assert not TicketMessage.objects.exists()


def test_credit_decisions_and_ratings_read_as_plain_words():
    at = timezone.now()
    story = public_story(
        [
            PublicEntry(at, TicketEventKind.RECEIPT_CHECKED, {"finding": "not_identified"}),
            PublicEntry(at, TicketEventKind.CREDIT_REQUESTED, {"points": "150.00"}),
            PublicEntry(at, TicketEventKind.CREDIT_DECIDED, {"approved": True, "points": "150"}),
            PublicEntry(at, TicketEventKind.CREDIT_DECIDED, {"approved": False, "points": "1"}),
            PublicEntry(at, TicketEventKind.STATUS, {"before": "in_progress", "after": "resolved"}),
            PublicEntry(at, TicketEventKind.RATED, {"rating": 4}),
        ]
    )

    assert [step["words"] for step in story] == [
        "We checked your receipt in the store's data.",
        "We asked for the points to be credited by hand.",
        "The manual credit of 150.00 points is approved.",
        "The manual credit of points was not approved.",
        "Your request is resolved.",
        "You rated our answer: 4 of 5.",
    ]


# --- The rating ---------------------------------------------------------------------------


def resolved_with_link(world) -> tuple[Ticket, str]:
    filed = ticket()
    agent = world.people[Role.CALL_CENTER_AGENT]
    token = workflow.ticket_resolve(
        filed, actor=agent, code="explained", root_cause="customer_mistake"
    )
    return filed, token


def test_the_rating_link_works_once(client, world):
    filed, token = resolved_with_link(world)
    url = reverse("incidents:rate", args=[token])
    assert client.get(url).status_code == 200

    rated = client.post(url, {"rating": "5", "comment": "Спасибо!"})

    assert rated.status_code == 200 and "Thank you for your rating" in rated.content.decode()
    filed.refresh_from_db()
    assert (filed.csat_rating, filed.csat_comment) == (5, "Спасибо!")
    assert filed.events.filter(kind=TicketEventKind.RATED, public=True).exists()
    again = client.get(url)
    assert again.status_code == 410
    assert "already been used or is no longer valid" in again.content.decode()
    assert client.post(url, {"rating": "1"}).status_code == 410
    filed.refresh_from_db()
    assert filed.csat_rating == 5


def test_an_unknown_rating_link_says_it_is_not_valid(client, world):
    assert client.get(reverse("incidents:rate", args=["x" * 32])).status_code == 410


def test_a_rating_out_of_range_is_named_and_the_link_still_works(client, world):
    filed, token = resolved_with_link(world)
    url = reverse("incidents:rate", args=[token])

    page = client.post(url, {"rating": "7"})

    assert page.status_code == 200 and "rating" in page.context["form"].errors
    filed.refresh_from_db()
    assert filed.csat_rating is None
    assert client.post(url, {"rating": "3"}).status_code == 200
