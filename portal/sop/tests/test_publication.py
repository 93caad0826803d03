"""Publishing: the first publication and material revisions ask the audience, minor ones don't."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from portal.sop import selectors, services
from portal.sop.choices import ChangeKind, ReadingStatus
from portal.sop.models import Acknowledgement, SopVersion
from portal.sop.models.records import ImmutableRecord
from portal.sop.tests.factories import publish_sop, revise

pytestmark = pytest.mark.django_db


def _status(person, page):
    return next(i for i in selectors.reading_list(person=person) if i.page.pk == page.pk).status


def test_first_publication_is_material_and_asks_the_audience(world):
    seller = world.people["store_staff"]

    page = publish_sop(author=world.people["lp_manager"])

    version = SopVersion.objects.get(page_id=page.pk)
    assert version.kind == ChangeKind.MATERIAL
    assert version.revision_id == page.live_revision_id
    assert _status(seller, page) == ReadingStatus.TO_READ


def test_confirming_records_the_revision_once(world):
    seller = world.people["store_staff"]
    page = publish_sop()

    first = services.acknowledgement_record(
        person=seller, page=page, revision_id=page.live_revision_id
    )
    again = services.acknowledgement_record(
        person=seller, page=page, revision_id=page.live_revision_id
    )

    assert first.pk == again.pk
    assert Acknowledgement.objects.filter(person=seller).count() == 1
    assert _status(seller, page) == ReadingStatus.CONFIRMED


def test_minor_revision_asks_no_one(world):
    seller = world.people["store_staff"]
    page = publish_sop(text=["Предложите карту каждому покупателю."])
    services.acknowledgement_record(person=seller, page=page, revision_id=page.live_revision_id)

    page = revise(page, kind=ChangeKind.MINOR, text=["Предложите карту каждому покупателю!"])

    assert page.versions.order_by("-revision_id").first().kind == ChangeKind.MINOR
    assert _status(seller, page) == ReadingStatus.CONFIRMED
    assert not [i for i in selectors.reading_list(person=seller) if i.requirement.pending]


def test_material_revision_asks_everyone_again(world):
    seller = world.people["store_staff"]
    page = publish_sop(text=["Старое правило."])
    services.acknowledgement_record(person=seller, page=page, revision_id=page.live_revision_id)

    page = revise(page, kind=ChangeKind.MATERIAL, text=["Новое правило."], summary="Новый срок")

    assert _status(seller, page) == ReadingStatus.RECONFIRM
    services.acknowledgement_record(person=seller, page=page, revision_id=page.live_revision_id)
    assert _status(seller, page) == ReadingStatus.CONFIRMED
    assert Acknowledgement.objects.filter(person=seller, page_id=page.pk).count() == 2


def test_an_older_confirmation_still_counts_after_a_minor_change_on_top_of_a_material_one(world):
    seller = world.people["store_staff"]
    page = publish_sop(text=["Правило."])
    page = revise(page, kind=ChangeKind.MATERIAL, text=["Правило 2."], summary="Правило изменено")
    services.acknowledgement_record(person=seller, page=page, revision_id=page.live_revision_id)

    page = revise(page, kind=ChangeKind.MINOR, text=["Правило 2 (опечатка)."])

    assert _status(seller, page) == ReadingStatus.CONFIRMED


def test_pages_outside_the_audience_cannot_be_confirmed(world):
    page = publish_sop(roles=["store_staff"], stores=[world.store_b1])

    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(
            person=world.people["store_staff"], page=page, revision_id=page.live_revision_id
        )
    assert not Acknowledgement.objects.exists()


def test_a_revision_never_published_cannot_be_confirmed(world):
    page = publish_sop()
    draft = page.save_revision()

    with pytest.raises(ValidationError):
        services.acknowledgement_record(
            person=world.people["store_staff"], page=page, revision_id=draft.pk
        )


def test_confirmations_are_immutable(world):
    page = publish_sop()
    ack = services.acknowledgement_record(
        person=world.people["store_staff"], page=page, revision_id=page.live_revision_id
    )

    with pytest.raises(ImmutableRecord):
        ack.save()
    with pytest.raises(ImmutableRecord):
        ack.delete()
    if connection.vendor == "postgresql":  # the database refuses too, whatever the code does
        with pytest.raises(Exception, match="immutable"), transaction.atomic():
            Acknowledgement.objects.filter(pk=ack.pk).update(acknowledged_at=ack.acknowledged_at)


def test_paper_confirmations_are_all_or_nothing(world):
    page = publish_sop(roles=["store_staff"], stores=[world.store_a1])
    inside, outside = world.colleague_a1, world.staff_b1
    at = page.last_published_at

    with pytest.raises(ValidationError, match=outside.personnel_number):
        services.acknowledgements_record_bulk(
            page=page, revision_id=page.live_revision_id, entries=[(inside, at), (outside, at)]
        )
    assert not Acknowledgement.objects.exists()

    created = services.acknowledgements_record_bulk(
        page=page, revision_id=page.live_revision_id, entries=[(inside, at)]
    )
    again = services.acknowledgements_record_bulk(
        page=page, revision_id=page.live_revision_id, entries=[(inside, at)]
    )
    assert (created, again) == (1, 0)


def test_content_owners_read_but_do_not_confirm_pages_not_addressed_to_them(world):
    page = publish_sop(roles=["store_staff"])

    with pytest.raises(PermissionDenied):
        services.acknowledgement_record(
            person=world.people["lp_manager"], page=page, revision_id=page.live_revision_id
        )
