"""The database's counts (`compliance_figures`) equal the reference book's (`compliance_book`)
on a varied chain: audiences by role, region and store, optional pages, material and minor
revisions, pages without a version, due dates from publication, hire, transfer or the day
the account was made, inactive people and stores, people without a store."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q
from django.utils import timezone

from portal.org.choices import Role
from portal.org.models import Store, User
from portal.org.tests.factories import RegionFactory, StoreFactory, person
from portal.sop import services
from portal.sop.choices import ChangeKind
from portal.sop.compliance import (
    ComplianceFigures,
    compliance_book,
    compliance_figures,
    compliance_figures_for_stores,
    compliance_for_stores,
    store_compliance_shares,
)
from portal.sop.models import SopVersion
from portal.sop.tests.factories import publish_sop, revise

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS = [TODAY - datetime.timedelta(days=20), TODAY, TODAY + datetime.timedelta(days=6)]
DAYS += [TODAY + datetime.timedelta(days=40)]


def _published(page, days_ago: int) -> None:
    when = timezone.now() - datetime.timedelta(days=days_ago)
    SopVersion.objects.filter(page_id=page.pk).update(published_at=when)


def _confirm(people, page, *, days_ago: int = 0) -> None:
    at = timezone.now() - datetime.timedelta(days=days_ago)
    for someone in people:
        services.acknowledgement_record(
            person=someone, page=page, revision_id=page.live_revision_id, at=at
        )


@pytest.fixture
def chain(db):
    """Three regions, seven stores (one closed, one empty), about forty people."""
    north, south, east = (RegionFactory(code=c, name=f"Регион {c}") for c in ("N", "S", "E"))
    stores = {
        code: StoreFactory(code=code, region=region)
        for code, region in [("N1", north), ("N2", north), ("N3", north), ("S1", south)]
        + [("S2", south), ("E1", east), ("E2", east)]
    }
    Store.objects.filter(code="N3").update(is_active=False)
    midnight = datetime.datetime.combine(TODAY - datetime.timedelta(days=3), datetime.time(22, 30))
    people = []
    for n, code in enumerate(["N1", "N1", "N1", "N2", "N2", "N3", "S1", "S1", "S2", "E1"] * 3):
        kwargs = {}
        if n % 4 == 1:  # transferred recently: deadlines count from the transfer
            kwargs["position_since"] = TODAY - datetime.timedelta(days=n % 9)
        elif n % 4 == 2:  # hired recently
            kwargs["hire_date"] = TODAY - datetime.timedelta(days=n % 11)
        elif n % 4 == 3:  # neither: the day the account was made (22:30 UTC, Moscow's next day)
            kwargs["hire_date"] = None
        role = Role.STORE_MANAGER if n % 7 == 0 else Role.STORE_STAFF
        someone = person(role, store=stores[code], **kwargs)
        if n % 4 == 3:
            User.objects.filter(pk=someone.pk).update(
                date_joined=midnight.replace(tzinfo=datetime.UTC)
            )
            someone.refresh_from_db()
        people.append(someone)
    User.objects.filter(pk__in=[people[4].pk, people[17].pk]).update(is_active=False)
    others = [
        person(Role.REGIONAL_MANAGER, region=north),
        person(Role.REGIONAL_MANAGER, region=east),
        person(Role.LP_MANAGER),
        person(Role.CALL_CENTER_AGENT),
        person(Role.AUDITOR),
    ]
    everyone = publish_sop(title="Для всех", due_days=7)
    managers = publish_sop(
        title="Руководителям", roles=[Role.STORE_MANAGER, Role.REGIONAL_MANAGER], due_days=3
    )
    north_only = publish_sop(title="Север", regions=[north], due_days=14)
    two_stores = publish_sop(title="S1 и E2", stores=[stores["S1"], stores["E2"]], due_days=5)
    mixed = publish_sop(title="Юг или E1", regions=[south], stores=[stores["E1"]], due_days=30)
    hotline = publish_sop(title="Горячая линия", roles=[Role.CALL_CENTER_AGENT], due_days=2)
    publish_sop(title="Для справки", mandatory=False)
    unversioned = publish_sop(title="Без версии")
    SopVersion.objects.filter(page_id=unversioned.pk).delete()

    active = [p for p in people if p.pk not in (people[4].pk, people[17].pk)]
    _published(everyone, 30)
    _confirm(active[::2], everyone, days_ago=25)
    everyone = revise(everyone, kind=ChangeKind.MATERIAL, text=["Новое"], summary="Новое")
    _published(everyone, 10)
    _confirm(active[::5], everyone, days_ago=2)
    everyone = revise(everyone, kind=ChangeKind.MINOR, text=["Опечатка"])
    _confirm(active[1::7], everyone)  # confirmed the minor revision: counts as confirmed
    _published(managers, 4)
    _confirm([p for p in people if p.role == Role.STORE_MANAGER][:2], managers)
    _confirm([others[0]], managers)
    _published(north_only, 20)
    _confirm([p for p in active if p.store.region_id == north.pk][::3], north_only, days_ago=1)
    _published(two_stores, 1)
    _published(mixed, 60)
    _confirm([p for p in active if p.store.region_id == south.pk][:2], mixed, days_ago=40)
    _published(hotline, 9)
    return stores, north


def _figures(result: ComplianceFigures) -> dict:
    return {
        "total": vars(result.total),
        "pages": {pk: vars(tally) for pk, (_page, tally) in result.pages.items()},
        "stores": {pk: (row.people, vars(row.tally)) for pk, row in result.stores.items()},
        "regions": [(r.code, n, vars(t)) for r, n, t in result.regions()],
        "order": [row.store.code for row in result.stores_behind_first()],
    }


@pytest.mark.parametrize("today", DAYS)
def test_counted_rows_equal_the_reference_book_for_every_selection(chain, today):
    stores, north = chain
    storeless = Q(store__isnull=True)
    selections = [
        (Store.objects.all(), User.objects.all()),  # the network, HQ and regions too
        (Store.objects.all(), None),
        (Store.objects.filter(region=north), None),
        (Store.objects.filter(code="S1"), None),
        (Store.objects.filter(code__in=["N1", "E2"]), User.objects.all()),
    ]
    for shown, others in selections:
        people = User.objects.filter(Q(store__in=shown) | (storeless if others else Q(pk=None)))
        book = compliance_book(people=people, stores=shown, today=today)
        figures = compliance_figures(stores=shown, storeless=others, today=today)
        assert _figures(figures) == _figures(book)
    book = compliance_book(people=User.objects.all(), today=today)
    assert book.total.overdue or today < TODAY  # the chain has overdue readers to count
    total = compliance_figures(
        stores=Store.objects.all(), storeless=User.objects.all(), today=today, by_store=False
    )
    assert (vars(total.total), total.stores) == (vars(book.total), {})
    assert any(row.required for _page, row in total.pages.values() if row.pending)


def test_store_selections_and_shares_agree(chain):
    stores, north = chain
    for selection in (Store.objects.all(), Store.objects.filter(region=north)):
        assert _figures(compliance_figures_for_stores(stores=selection)) == _figures(
            compliance_for_stores(stores=selection)
        )
    shares = store_compliance_shares(stores=Store.objects.all())
    book = compliance_for_stores(stores=Store.objects.all())
    assert shares == {pk: row.tally.share for pk, row in book.stores.items()}
    assert shares[stores["N3"].pk] is not None  # a closed store still has its people's figures
    assert any(share not in (None, 100) for share in shares.values())


def test_figures_cost_the_same_queries_for_a_bigger_chain(chain, django_assert_num_queries):
    network = {"stores": Store.objects.all(), "storeless": User.objects.all()}
    compliance_figures(**network)  # counts the stores: their rows are read from now on
    with django_assert_num_queries(4 + 6):  # people without a store: 4 and 2 settings
        compliance_figures(**network)
    with django_assert_num_queries(4):
        compliance_figures(stores=Store.objects.all())
    region = RegionFactory(code="W", name="Запад")
    for n in range(5):
        store = StoreFactory(code=f"W{n}", region=region)
        for _ in range(3):
            person(Role.STORE_STAFF, store=store)
    publish_sop(title="Ещё одна", regions=[region])
    compliance_figures(**network)
    with django_assert_num_queries(4 + 6):
        compliance_figures(**network)
    with django_assert_num_queries(3):
        compliance_figures(stores=Store.objects.all(), by_store=False)
