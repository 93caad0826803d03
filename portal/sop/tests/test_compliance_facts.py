"""The stores' counted compliance rows (`portal.sop.facts`) follow every change that
reaches them: after each kind of change the pages read what the reference book counts,
and only the stores concerned are counted again."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone
from wagtail.models import Page

from portal.org import services as org_services
from portal.org.choices import Role
from portal.org.import_csv import PERSON_COLUMNS
from portal.org.models import Store, User
from portal.org.tests.factories import RegionFactory, StoreFactory, person
from portal.sop import services
from portal.sop.compliance import compliance_book, compliance_figures
from portal.sop.facts import compliance_changed, compliance_facts, compliance_facts_refresh
from portal.sop.models import ComplianceChange, ComplianceDay, CompliancePageCount
from portal.sop.tests.factories import publish_sop
from portal.sop.tests.test_compliance_tallies import _figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    """Two regions, three stores with sellers and a manager each, a regional manager, and
    two mandatory pages (one for the north only), each confirmed by some."""
    north = RegionFactory(code="N", name="Север")
    south = RegionFactory(code="S", name="Юг")
    stores = {
        code: StoreFactory(code=code, region=region)
        for code, region in (("N1", north), ("N2", north), ("S1", south))
    }
    people = {
        code: [person(Role.STORE_MANAGER, store=store)]
        + [person(Role.STORE_STAFF, store=store) for _ in range(3)]
        for code, store in stores.items()
    }
    person(Role.REGIONAL_MANAGER, region=north)
    everyone = publish_sop(title="Для всех", due_days=3)
    north_only = publish_sop(title="Север", regions=[north])
    for someone in people["N1"][:2] + people["S1"][:1]:
        _confirm(someone, everyone)
    _confirm(people["N2"][0], north_only)
    return stores, people, everyone


def _confirm(someone: User, page) -> None:
    services.acknowledgement_record(person=someone, page=page, revision_id=page.live_revision_id)


def _network() -> dict:
    return {"stores": Store.objects.all(), "storeless": User.objects.all()}


def _matches_the_book() -> bool:
    figures = compliance_figures(**_network())
    return _figures(figures) == _figures(
        compliance_book(people=User.objects.all(), stores=Store.objects.all())
    )


def _counted_at() -> dict[str, datetime.datetime]:
    return dict(
        ComplianceDay.objects.filter(day=timezone.localdate()).values_list(
            "store__code", "counted_at"
        )
    )


def test_first_read_counts_every_store_then_reads_the_rows(shop):
    assert not ComplianceDay.objects.exists()
    assert _matches_the_book()
    assert set(_counted_at()) == {"N1", "N2", "S1"}
    assert CompliancePageCount.objects.filter(page__title="Север").count() == 2  # N1, N2
    before = _counted_at()
    assert _matches_the_book()
    assert _counted_at() == before  # nothing changed: nothing counted again


def test_a_confirmation_counts_its_store_again_and_no_other(shop):
    stores, people, everyone = shop
    compliance_figures(**_network())
    before = _counted_at()

    _confirm(people["S1"][2], everyone)

    assert _matches_the_book()
    after = _counted_at()
    assert after["S1"] > before["S1"]
    assert (after["N1"], after["N2"]) == (before["N1"], before["N2"])


def test_confirmations_signed_on_paper_count_their_stores_again(shop):
    stores, people, everyone = shop
    compliance_figures(**_network())
    before = _counted_at()
    entries = [(someone, timezone.now()) for someone in people["N2"]]

    assert (
        services.acknowledgements_record_bulk(
            page=everyone, revision_id=everyone.live_revision_id, entries=entries
        )
        == 4
    )

    assert _matches_the_book()
    assert _counted_at()["N2"] > before["N2"]
    assert _counted_at()["S1"] == before["S1"]


def test_publications_and_withdrawals_count_every_store_again(shop):
    stores, people, everyone = shop
    compliance_figures(**_network())
    extra = publish_sop(title="Новая", stores=[stores["S1"]])
    assert _matches_the_book()
    assert compliance_figures(stores=Store.objects.filter(code="S1")).total.required == 8

    Page.objects.get(pk=extra.pk).unpublish()
    assert _matches_the_book()
    assert compliance_figures(stores=Store.objects.filter(code="S1")).total.required == 4

    Page.objects.get(pk=everyone.pk).unpublish()
    assert _matches_the_book()
    assert compliance_figures(stores=Store.objects.all()).total.required == 8  # the north page


def _staff_file(rows: list[list[str]]) -> bytes:
    lines = [";".join(PERSON_COLUMNS)] + [";".join(row) for row in rows]
    return "\n".join(lines).encode()


def test_a_transfer_through_the_staff_file_counts_both_stores_again(shop):
    stores, people, everyone = shop
    moved = people["N1"][0]  # a manager who confirmed: N1 loses a confirmation, S1 gains it
    compliance_figures(**_network())
    before = _counted_at()
    row = [
        moved.personnel_number,
        moved.last_name,
        moved.first_name,
        "",
        moved.email or "",
        Role.STORE_STAFF,
        "S1",
        "",
        "2020-01-01",
        "1",
    ]

    org_services.org_people_import(actor=None, content=_staff_file([row]), filename="move.csv")

    assert User.objects.get(pk=moved.pk).store_id == stores["S1"].pk
    assert _matches_the_book()
    after = _counted_at()
    assert after["N1"] > before["N1"] and after["S1"] > before["S1"]
    assert after["N2"] == before["N2"]


def test_a_person_saved_by_any_path_counts_their_store_again(shop):
    stores, people, everyone = shop
    compliance_figures(**_network())
    person(Role.STORE_STAFF, store=stores["N2"])  # not through a service
    leaver = people["S1"][1]
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    assert _matches_the_book()

    before = _counted_at()
    leaver.last_login = timezone.now()
    leaver.save(update_fields=["last_login"])  # not a placement: nothing to count
    assert _matches_the_book()
    assert _counted_at() == before


def test_a_change_committed_after_a_count_began_is_counted_again(shop):
    """A count that started before another transaction committed did not see its change:
    the change recorded after that commit is newer than the count, so the next read
    counts the store again."""
    stores, people, everyone = shop
    compliance_figures(**_network())
    before = _counted_at()
    ComplianceChange.objects.create(store=stores["N2"], at=before["N2"] + datetime.timedelta(0, 1))

    compliance_facts(stores=Store.objects.all())
    assert _counted_at()["N2"] > before["N2"]
    assert _counted_at()["N1"] == before["N1"]

    ComplianceChange.objects.create(store=None, at=timezone.now())  # every store's
    compliance_facts(stores=Store.objects.all())
    assert all(_counted_at()[code] > before[code] for code in before)


def test_a_change_is_recorded_now_and_again_once_committed(
    shop, django_capture_on_commit_callbacks
):
    stores, people, everyone = shop
    ComplianceChange.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        compliance_changed(store_ids=[stores["N1"].pk, None, stores["N1"].pk])
        assert list(ComplianceChange.objects.values_list("store__code", flat=True)) == ["N1"]
    assert len(callbacks) == 1
    assert ComplianceChange.objects.filter(store=stores["N1"]).count() == 2
    compliance_changed(store_ids=[])  # nothing to record
    assert ComplianceChange.objects.count() == 2


def test_a_publication_has_the_worker_count_every_store(shop, django_capture_on_commit_callbacks):
    compliance_figures(**_network())
    before = _counted_at()
    with django_capture_on_commit_callbacks(execute=True):
        publish_sop(title="Новая для всех")
    assert all(_counted_at()[code] > before[code] for code in before)  # before anyone read
    assert _matches_the_book()


def test_a_new_day_counts_again_and_the_nightly_task_tidies_up(shop):
    stores, people, everyone = shop
    today = timezone.localdate()
    compliance_figures(**_network())
    ComplianceChange.objects.update(at=timezone.now() - datetime.timedelta(days=2))
    tomorrow = today + datetime.timedelta(days=4)  # «Для всех» is overdue by then

    assert compliance_facts_refresh(today=tomorrow) == 3
    assert compliance_facts_refresh(today=tomorrow) == 0  # already counted
    assert not ComplianceChange.objects.exists()  # before the day began: no read needs them
    assert not CompliancePageCount.objects.filter(day__lt=tomorrow).exists()
    assert ComplianceDay.objects.filter(day=today).count() == 3  # the history stays
    figures = compliance_figures(stores=Store.objects.all(), today=tomorrow)
    book = compliance_book(
        people=User.objects.filter(~Q(store=None)), stores=Store.objects.all(), today=tomorrow
    )
    assert _figures(figures) == _figures(book)
    assert figures.total.overdue > 0


def test_counting_costs_the_same_queries_for_more_stores(shop, django_assert_num_queries):
    def recount() -> None:
        compliance_changed()
        compliance_facts(stores=Store.objects.all())

    # The change; which stores to count; the count (the pages 3, versions 1, the statement
    # between its two settings 3, the headcount 1); the writes (a savepoint around delete,
    # insert and upsert: 5); the reads (days and pages 2).
    recount()
    with django_assert_num_queries(17):
        recount()
    region = RegionFactory(code="W", name="Запад")
    for n in range(6):
        store = StoreFactory(code=f"W{n}", region=region)
        person(Role.STORE_STAFF, store=store)
    with django_assert_num_queries(17):
        recount()
