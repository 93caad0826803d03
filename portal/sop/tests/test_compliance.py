"""Compliance figures agree with an independent count, at a fixed number of queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.org.choices import Role
from portal.org.models import Store, User
from portal.org.tests.factories import person
from portal.sop import services
from portal.sop.choices import ChangeKind
from portal.sop.compliance import compliance_book, store_compliance_shares
from portal.sop.models import Acknowledgement
from portal.sop.status import requirement
from portal.sop.tests.factories import publish_sop, revise

pytestmark = pytest.mark.django_db


def _confirm(people, page):
    for someone in people:
        services.acknowledgement_record(
            person=someone, page=page, revision_id=page.live_revision_id
        )


def _independent_count(store: Store, pages) -> tuple[int, int]:
    """Required and confirmed pairs counted straight from the rows, without the book."""
    required = confirmed = 0
    for someone in User.objects.filter(store=store, is_active=True):
        for page in pages:
            if someone.role not in page.audience_roles:
                continue
            stores = set(page.audience_stores.values_list("pk", flat=True))
            regions = set(page.audience_regions.values_list("pk", flat=True))
            if (stores or regions) and store.pk not in stores and store.region_id not in regions:
                continue
            required += 1
            newest = page.versions.filter(kind=ChangeKind.MATERIAL).order_by("-revision_id")[0]
            confirmed += Acknowledgement.objects.filter(
                person=someone, page_id=page.pk, revision_id__gte=newest.revision_id
            ).exists()
    return required, confirmed


def test_store_region_and_network_figures_agree_with_an_independent_count(world, client):
    extra = [person(Role.STORE_STAFF, store=world.store_a1) for _ in range(3)]
    for_all = publish_sop(title="Для всех")
    for_region_b = publish_sop(title="Регион Б", regions=[world.region_b])
    for_a2 = publish_sop(title="Только A2", roles=[Role.STORE_STAFF], stores=[world.store_a2])
    optional = publish_sop(title="Для справки", mandatory=False)
    _confirm([world.people["store_staff"], extra[0], world.staff_a2, world.staff_b1], for_all)
    _confirm([world.staff_b1], for_region_b)
    _confirm([world.staff_a2], for_a2)
    for_all = revise(for_all, kind=ChangeKind.MATERIAL, text=["Новое"], summary="Изменено")
    _confirm([extra[1]], for_all)  # only this one has confirmed the new material revision
    pages = [for_all, for_region_b, for_a2, optional]
    mandatory = [for_all, for_region_b, for_a2]

    book = compliance_book(people=User.objects.all(), stores=Store.objects.all())
    for store in Store.objects.all():
        row = book.stores[store.pk]
        assert (row.tally.required, row.tally.confirmed) == _independent_count(store, mandatory)
    assert _independent_count(world.store_a1, pages) != (0, 0)
    assert book.stores[world.store_a1.pk].tally.confirmed == 1
    assert book.stores[world.store_a2.pk].tally.confirmed == 1  # for_a2; for_all is stale

    client.force_login(world.people["lp_manager"])
    html = client.get(reverse("sop:compliance")).content.decode()
    a1 = _independent_count(world.store_a1, mandatory)
    assert f'data-code="A1" data-required="{a1[0]}" data-confirmed="{a1[1]}"' in html

    client.force_login(world.people["store_manager"])
    html = client.get(reverse("sop:compliance_store", args=["A1"])).content.decode()
    assert f'data-required="{a1[0]}" data-confirmed="{a1[1]}"' in html

    shares = store_compliance_shares(stores=Store.objects.filter(pk=world.store_a1.pk))
    assert shares == {world.store_a1.pk: book.stores[world.store_a1.pk].tally.share}


def test_due_dates_count_from_publication_or_from_taking_up_the_position():
    published = datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC)
    from portal.sop.status import VersionRef

    version = VersionRef(1, 1, 10, published, "")
    old_hand = requirement(
        version=version,
        ack=None,
        due_days=7,
        started_on=datetime.date(2020, 1, 1),
        today=datetime.date(2026, 10, 9),
    )
    newcomer = requirement(
        version=version,
        ack=None,
        due_days=7,
        started_on=datetime.date(2026, 10, 5),
        today=datetime.date(2026, 10, 9),
    )

    assert (old_hand.status, old_hand.due) == ("overdue", datetime.date(2026, 10, 8))
    assert (newcomer.status, newcomer.due) == ("to_read", datetime.date(2026, 10, 12))


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("lp_manager", reverse("sop:compliance")),
        ("regional_manager", reverse("sop:compliance_region", args=["RA"])),
        ("store_manager", reverse("sop:compliance_store", args=["A1"])),
        ("store_staff", reverse("sop:library")),
        ("store_manager", reverse("home:dashboard")),
        ("regional_manager", reverse("home:dashboard")),
        ("lp_manager", reverse("home:dashboard")),
    ],
)
def test_compliance_views_query_count_does_not_grow_with_staff_or_pages(world, client, role, url):
    publish_sop(title="Первая")
    client.force_login(world.people[role])
    # Warms per-process caches (site root paths, content types) and counts the stores.
    client.get(url)
    small = _queries(client, url)

    for n in range(6):
        page = publish_sop(title=f"Ещё {n}", regions=[world.region_a] if n % 2 else [])
        newcomers = [person(Role.STORE_STAFF, store=world.store_a1) for _ in range(4)]
        newcomers += [person(Role.STORE_STAFF, store=world.store_a2) for _ in range(2)]
        _confirm(newcomers[:3], page)

    # The first read after the changes counts the stores they reached again (a fixed
    # number of statements, `portal/sop/tests/test_compliance_facts.py`); then as before.
    recount = _queries(client, url)
    assert _queries(client, url) == small <= recount
