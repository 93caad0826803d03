"""Segregation of duties for receipts that drive money: an upload by anyone outside HQ
waits for an LP manager (never the uploader) and counts nowhere until then; HQ reverts
any batch with a reason; the POS API stays immediate and is never blocked by a pending
receipt id."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from kpi.choices import BatchEventKind, BatchSource, BatchStatus
from kpi.models import ImportBatch, PendingReceipt, Receipt, StoreDay
from kpi.pos import pos_token_issue
from kpi.services import BatchDecisionRefused, receipt_batch_approve, receipts_import
from kpi.tests.factories import receipts_file
from portal.org.choices import Role
from portal.org.models import Store
from portal.org.services import person_access_sync
from portal.org.tests.factories import RegionFactory, StoreFactory, person

pytestmark = pytest.mark.django_db

DAY = timezone.localdate() - datetime.timedelta(days=1)
MONTH = f"?period=month&month={DAY:%Y-%m}"


@pytest.fixture
def chain():
    north = RegionFactory(code="N")
    StoreFactory(code="N1", region=north)
    StoreFactory(code="N2", region=north)
    return north


def _person(role: str, region=None):
    someone = person(role, region=region)
    person_access_sync(person=someone)
    return someone


@pytest.fixture
def regional(chain):
    return _person(Role.REGIONAL_MANAGER, region=chain)


@pytest.fixture
def lp(chain):
    return _person(Role.LP_MANAGER)


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Upload a file in the browser as `who`; the store-day refresh runs after commit."""

    def run(who, content: bytes, name: str = "pos.csv"):
        client.force_login(who)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("kpi:imports"), {"file": SimpleUploadedFile(name, content)})
        return ImportBatch.objects.latest("pk")

    return run


@pytest.fixture
def decide(client, django_capture_on_commit_callbacks):
    """POST a decision (approve, reject, revert) on a batch as `who`."""

    def run(who, batch: ImportBatch, decision: str, **data):
        client.force_login(who)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse(f"kpi:import_{decision}", args=[batch.pk]), data)
        batch.refresh_from_db()
        return response

    return run


def _counted(code: str = "N1") -> tuple[int, int]:
    """(receipts, receipts in store days) of a store."""
    day = StoreDay.objects.filter(store__code=code).first()
    return Receipt.objects.filter(store__code=code).count(), day.receipts if day else 0


def test_a_regional_managers_upload_waits_and_counts_nowhere(client, regional, upload):
    batch = upload(regional, receipts_file("N1", DAY, receipts=12, identified=9))

    page = client.get(reverse("kpi:import_detail", args=[batch.pk])).content.decode()

    assert (batch.status, batch.rows, batch.inserted) == (BatchStatus.PENDING, 12, 12)
    assert PendingReceipt.objects.filter(batch=batch).count() == 12
    assert _counted() == (0, 0)
    assert 'data-testid="import-pending"' in page
    assert 'data-testid="batch-approve"' not in page  # the uploader cannot decide
    assert batch.events.get().kind == BatchEventKind.SUBMITTED


def test_another_lp_manager_approves_and_the_receipts_count(regional, lp, upload, decide):
    batch = upload(regional, receipts_file("N1", DAY, receipts=12, identified=9))

    response = decide(lp, batch, "approve")

    assert response.status_code == 302
    assert (batch.status, batch.inserted) == (BatchStatus.APPLIED, 12)
    assert _counted() == (12, 12)
    assert not PendingReceipt.objects.exists()
    event = batch.events.get(kind=BatchEventKind.APPROVED)
    assert (event.actor, event.payload) == (lp, {"inserted": 12, "already_loaded": 0})


def test_nobody_approves_their_own_upload(chain, regional, upload, decide):
    batch = upload(regional, receipts_file("N1", DAY, receipts=3, identified=1))
    regional.role = Role.LP_MANAGER  # promoted while the batch waits
    regional.save(update_fields=["role"])
    person_access_sync(person=regional)

    response = decide(regional, batch, "approve")

    assert response.status_code == 403
    with pytest.raises(BatchDecisionRefused):
        receipt_batch_approve(actor=regional, batch=batch)
    batch.refresh_from_db()
    assert batch.status == BatchStatus.PENDING and _counted() == (0, 0)


def test_a_regional_manager_cannot_approve_anything(chain, regional, upload, decide):
    other = _person(Role.REGIONAL_MANAGER, region=chain)
    batch = upload(other, receipts_file("N1", DAY, receipts=3, identified=1))

    response = decide(regional, batch, "approve")

    assert response.status_code in (403, 404)
    assert batch.status == BatchStatus.PENDING


def test_a_rejected_batch_keeps_its_reason_and_counts_nothing(regional, lp, upload, decide):
    batch = upload(regional, receipts_file("N1", DAY, receipts=3, identified=1))

    without_reason = decide(lp, batch, "reject")
    assert without_reason.status_code == 400 and batch.status == BatchStatus.PENDING
    response = decide(lp, batch, "reject", reason="Чеки не из кассы")

    assert response.status_code == 302 and batch.status == BatchStatus.REJECTED
    assert not PendingReceipt.objects.exists() and _counted() == (0, 0)
    assert batch.events.get(kind=BatchEventKind.REJECTED).reason == "Чеки не из кассы"


def test_a_revert_removes_the_receipts_and_recounts_the_store_days(chain, lp, upload, decide):
    admin = _person(Role.ADMIN)
    batch = upload(lp, receipts_file("N1", DAY, receipts=10, identified=4))  # HQ: at once
    assert batch.status == BatchStatus.APPLIED and _counted() == (10, 10)

    response = decide(admin, batch, "revert", reason="Файл за чужой день")

    assert response.status_code == 302 and batch.status == BatchStatus.REVERTED
    assert _counted() == (0, 0) and not StoreDay.objects.exists()
    event = batch.events.get(kind=BatchEventKind.REVERTED)
    assert (event.actor, event.reason, event.payload["removed"]) == (
        admin,
        "Файл за чужой день",
        10,
    )


def test_a_revert_keeps_receipts_another_batch_loaded_first(chain, lp, upload, decide):
    upload(lp, receipts_file("N1", DAY, receipts=4, identified=4))
    second = upload(lp, receipts_file("N1", DAY, receipts=6, identified=0))  # 4 known

    decide(lp, second, "revert", reason="Дубль")

    assert _counted() == (4, 4)


def test_a_reverted_receipt_id_can_be_loaded_again(chain, lp, upload, decide):
    content = receipts_file("N1", DAY, receipts=5, identified=2)
    first = upload(lp, content)
    decide(lp, first, "revert", reason="Ошибка выгрузки")

    again = upload(lp, content)

    assert (again.status, again.inserted) == (BatchStatus.APPLIED, 5)
    assert _counted() == (5, 5)


def test_a_pending_batch_can_be_reverted_by_hq(regional, lp, upload, decide):
    batch = upload(regional, receipts_file("N1", DAY, receipts=3, identified=1))

    decide(lp, batch, "revert", reason="Отозван")

    assert batch.status == BatchStatus.REVERTED and not PendingReceipt.objects.exists()


def test_a_decided_batch_cannot_be_decided_again(regional, lp, upload, decide):
    batch = upload(regional, receipts_file("N1", DAY, receipts=3, identified=1))
    decide(lp, batch, "approve")

    response = decide(lp, batch, "approve")

    assert response.status_code == 302 and batch.events.count() == 2  # submitted, approved
    assert _counted() == (3, 3)


def _pos_send(payload: dict, capture):
    stores = Store.objects.filter(code__in=["N1", "N2"])
    _pos, token = pos_token_issue(name="Кассы Север", stores=stores)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    with capture(execute=True):
        return api.post("/api/v1/receipts/", payload, format="json")


def test_a_pending_fake_id_does_not_block_the_real_pos_receipt(
    regional, lp, upload, decide, django_capture_on_commit_callbacks
):
    fake = upload(regional, receipts_file("N1", DAY, receipts=1, identified=1, tag="R"))
    fake_id = PendingReceipt.objects.get().receipt_id
    issued = timezone.make_aware(datetime.datetime.combine(DAY, datetime.time(12, 0)))
    real = {"store_code": "N1", "receipt_id": fake_id, "issued_at": issued.isoformat()}

    response = _pos_send(
        {"receipts": [real | {"amount": "250.00", "items": 1}]}, django_capture_on_commit_callbacks
    )

    assert response.status_code == 201 and response.json()["inserted"] == 1
    api_batch = ImportBatch.objects.get(source=BatchSource.API)
    assert api_batch.status == BatchStatus.APPLIED  # the POS API stays immediate
    assert Receipt.objects.get(receipt_id=fake_id).card_id == ""  # the POS's receipt
    assert _counted() == (1, 1)

    decide(lp, fake, "approve")

    assert (fake.status, fake.inserted, fake.already_loaded) == (BatchStatus.APPLIED, 0, 1)
    assert Receipt.objects.get(receipt_id=fake_id).batch_id == api_batch.pk


def test_a_file_already_counted_waits_with_nothing_new(chain, regional, lp, upload):
    content = receipts_file("N1", DAY, receipts=4, identified=2)
    upload(lp, content)

    batch = upload(regional, content)

    assert (batch.status, batch.rows, batch.inserted) == (BatchStatus.PENDING, 4, 0)
    assert not PendingReceipt.objects.exists()


def test_the_same_file_pending_twice_counts_once(regional, lp, upload, decide):
    content = receipts_file("N1", DAY, receipts=4, identified=2)
    first, second = upload(regional, content), upload(regional, content)

    decide(lp, first, "approve")
    decide(lp, second, "approve")

    assert (first.inserted, second.inserted, second.already_loaded) == (4, 0, 4)
    assert _counted() == (4, 4)


def test_the_bulk_command_counts_at_once(chain):
    content = receipts_file("N2", DAY, receipts=2, identified=1)

    by_command = receipts_import(actor=None, content=content, source=BatchSource.COMMAND)

    assert by_command.status == BatchStatus.APPLIED
    assert Receipt.objects.filter(store__code="N2").count() == 2


def test_the_boards_say_receipts_wait_and_hq_gets_the_queue(client, regional, lp, upload):
    upload(regional, receipts_file("N1", DAY, receipts=3, identified=1))

    client.force_login(lp)
    hq_board = client.get(reverse("kpi:leaderboard") + MONTH).content.decode()
    hq_store = client.get(reverse("kpi:store", args=["N1"]) + MONTH).content.decode()
    other_store = client.get(reverse("kpi:store", args=["N2"]) + MONTH).content.decode()
    client.force_login(regional)
    region_board = client.get(reverse("kpi:leaderboard") + MONTH).content.decode()

    queue = reverse("kpi:imports") + "?status=pending"
    assert 'data-testid="pending-receipts"' in hq_board and queue in hq_board
    assert 'data-testid="pending-receipts"' in hq_store
    assert 'data-testid="pending-receipts"' not in other_store
    assert 'data-testid="pending-receipts"' in region_board and queue not in region_board


def test_the_loading_log_filters_by_status(client, regional, lp, upload):
    pending = upload(regional, receipts_file("N1", DAY, receipts=2, identified=1))
    applied = upload(lp, receipts_file("N2", DAY, receipts=2, identified=1))

    client.force_login(lp)
    only_pending = client.get(reverse("kpi:imports") + "?status=pending").content.decode()
    everything = client.get(reverse("kpi:imports")).content.decode()

    detail = reverse("kpi:import_detail", args=[pending.pk])
    other = reverse("kpi:import_detail", args=[applied.pk])
    assert detail in only_pending and other not in only_pending
    assert detail in everything and other in everything
    assert 'data-testid="pending-batches"' in everything
