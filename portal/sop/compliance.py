"""Compliance reads: who has confirmed the mandatory pages that apply to them.

One pass over a fixed number of queries (people, pages, their audiences, material
versions, confirmations), whatever the number of people or pages: the store, region and
network views and the KPI scorecard all read from `compliance_book`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from portal.numbers import percent_of
from portal.org.models import Region, Store, User
from portal.sop.audience import Audience, Placement
from portal.sop.choices import ReadingStatus
from portal.sop.models import ReadablePage
from portal.sop.selectors import latest_acknowledgements, material_versions
from portal.sop.status import Requirement, VersionRef, requirement


def share(confirmed: int, required: int) -> Decimal | None:
    """Confirmed share in percent (the portal's rounding rule); None when nothing is
    required."""
    return percent_of(confirmed, required)


@dataclass
class Tally:
    required: int = 0
    confirmed: int = 0
    overdue: int = 0

    def add(self, req: Requirement) -> None:
        self.required += 1
        self.confirmed += req.done
        self.overdue += req.status == ReadingStatus.OVERDUE

    @property
    def pending(self) -> int:
        return self.required - self.confirmed

    @property
    def share(self) -> Decimal | None:
        return share(self.confirmed, self.required)


@dataclass
class PersonCompliance:
    person: User
    tally: Tally = field(default_factory=Tally)
    items: list[tuple[ReadablePage, Requirement]] = field(default_factory=list)

    @property
    def pending_items(self) -> list[tuple[ReadablePage, Requirement]]:
        return [(page, req) for page, req in self.items if req.pending]


@dataclass
class StoreCompliance:
    store: Store
    people: int = 0
    tally: Tally = field(default_factory=Tally)


@dataclass
class ComplianceBook:
    people: list[PersonCompliance]
    stores: dict[int, StoreCompliance]
    pages: dict[int, tuple[ReadablePage, Tally]]
    total: Tally
    versions: dict[int, VersionRef]  # each page's current material version

    def stores_behind_first(self) -> list[StoreCompliance]:
        """Stores furthest behind first (those with nothing to confirm last), then by code."""
        return sorted(
            self.stores.values(),
            key=lambda row: (row.tally.share is None, row.tally.share or 0, row.store.code),
        )

    def regions(self) -> list[tuple[Region, int, Tally]]:
        by_region: dict[int, tuple[Region, list[StoreCompliance]]] = {}
        for row in self.stores.values():
            region = row.store.region
            by_region.setdefault(region.pk, (region, []))[1].append(row)
        result = []
        for region, rows in sorted(by_region.values(), key=lambda r: r[0].name):
            tally = Tally()
            for row in rows:
                tally.required += row.tally.required
                tally.confirmed += row.tally.confirmed
                tally.overdue += row.tally.overdue
            result.append((region, len(rows), tally))
        return result


def _mandatory_pages() -> tuple[list[ReadablePage], dict[int, Audience]]:
    pages = list(ReadablePage.objects.live().filter(mandatory=True).order_by("title"))
    regions: dict[int, set[int]] = defaultdict(set)
    stores: dict[int, set[int]] = defaultdict(set)
    live = {"readablepage__live": True, "readablepage__mandatory": True}
    for page_id, region_id in ReadablePage.audience_regions.through.objects.filter(
        **live
    ).values_list("readablepage_id", "region_id"):
        regions[page_id].add(region_id)
    for page_id, store_id in ReadablePage.audience_stores.through.objects.filter(
        **live
    ).values_list("readablepage_id", "store_id"):
        stores[page_id].add(store_id)
    audiences = {
        page.pk: Audience(
            frozenset(page.audience_roles),
            frozenset(regions[page.pk]),
            frozenset(stores[page.pk]),
        )
        for page in pages
    }
    return pages, audiences


def compliance_book(
    *, people: QuerySet[User], stores: QuerySet[Store] | None = None, today: date | None = None
) -> ComplianceBook:
    """Requirements of every active person in `people` against every live mandatory page.

    `stores` lists the stores to report on (stores without people show with zero).
    """
    today = today or timezone.localdate()
    people = people.filter(is_active=True)
    person_rows = list(
        people.select_related("store", "store__region").order_by("last_name", "first_name")
    )
    pages, audiences = _mandatory_pages()
    versions = material_versions()
    acks = latest_acknowledgements(people=people)

    store_rows: dict[int, StoreCompliance] = {}
    if stores is not None:
        for store in stores.select_related("region").order_by("code"):
            store_rows[store.pk] = StoreCompliance(store)
    page_rows = {page.pk: (page, Tally()) for page in pages}
    total = Tally()
    book_people = []
    for person in person_rows:
        placement = Placement.of(person)
        row = PersonCompliance(person)
        for page in pages:
            if not audiences[page.pk].admits(placement):
                continue
            req = requirement(
                version=versions.get(page.pk),
                ack=acks.get((person.pk, page.pk)),
                due_days=page.due_days,
                started_on=person.started_on,
                today=today,
            )
            row.items.append((page, req))
            row.tally.add(req)
            page_rows[page.pk][1].add(req)
            total.add(req)
        book_people.append(row)
        if person.store_id and (stores is None or person.store_id in store_rows):
            store_row = store_rows.setdefault(person.store_id, StoreCompliance(person.store))
            store_row.people += 1
            store_row.tally.required += row.tally.required
            store_row.tally.confirmed += row.tally.confirmed
            store_row.tally.overdue += row.tally.overdue
    return ComplianceBook(book_people, store_rows, page_rows, total, versions)


def compliance_for_stores(*, stores: QuerySet[Store]) -> ComplianceBook:
    """The book of these stores' people (a store, a region's stores, any selection)."""
    return compliance_book(people=User.objects.filter(store__in=stores), stores=stores)


def store_compliance_shares(*, stores: QuerySet[Store]) -> dict[int, Decimal | None]:
    """{store id: % of mandatory confirmations done} for the KPI scorecard."""
    book = compliance_for_stores(stores=stores)
    return {store_id: row.tally.share for store_id, row in book.stores.items()}
