"""Compliance reads: who has confirmed the mandatory pages that apply to them.

Two readers, each a fixed number of queries whatever the number of people or pages:
- `compliance_book`, the reference: every person with every requirement, counted in
  Python (a store's own page, its people CSV, reminders);
- `compliance_figures`: the same counts per store, page, region and in total, read from
  the stores' counted rows (`portal.sop.facts`, counted by the database in
  `portal.sop.tallies` when a change reaches them), for the region and network pages,
  dashboards and `store_compliance_shares`. Nothing per person is read, so a chain of
  1,000 stores costs about what 80 do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone

from portal.numbers import percent_of
from portal.org.models import Region, Store, User
from portal.org.selectors import RegionRef, StoreRef
from portal.sop.audience import Placement
from portal.sop.choices import ReadingStatus
from portal.sop.facts import compliance_facts
from portal.sop.models import ReadablePage
from portal.sop.selectors import latest_acknowledgements, material_versions
from portal.sop.status import Requirement, VersionRef, requirement
from portal.sop.tallies import mandatory_pages, requirement_counts


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

    def add_counts(self, required: int, confirmed: int, overdue: int) -> None:
        self.required += required
        self.confirmed += confirmed
        self.overdue += overdue

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
    store: Store | StoreRef
    people: int = 0
    tally: Tally = field(default_factory=Tally)


@dataclass
class ComplianceFigures:
    """Counts of a selection of people: per store, per page, per region and in total."""

    stores: dict[int, StoreCompliance]
    pages: dict[int, tuple[ReadablePage, Tally]]
    total: Tally

    def stores_behind_first(self) -> list[StoreCompliance]:
        """Stores furthest behind first (those with nothing to confirm last), then by code."""
        return sorted(
            self.stores.values(),
            key=lambda row: (row.tally.share is None, row.tally.share or 0, row.store.code),
        )

    def regions(self) -> list[tuple[Region | RegionRef, int, Tally]]:
        by_region: dict[int, tuple[Region | RegionRef, list[StoreCompliance]]] = {}
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


@dataclass
class ComplianceBook(ComplianceFigures):
    """The figures and, behind them, every person's requirements."""

    people: list[PersonCompliance] = field(default_factory=list)
    versions: dict[int, VersionRef] = field(default_factory=dict)  # current material ones


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
    pages, audiences = mandatory_pages()
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
    return ComplianceBook(
        stores=store_rows, pages=page_rows, total=total, people=book_people, versions=versions
    )


def compliance_figures(
    *,
    stores: QuerySet[Store],
    storeless: QuerySet[User] | None = None,
    today: date | None = None,
    by_store: bool = True,
) -> ComplianceFigures:
    """The counts `compliance_book` gives for the people of `stores` (and those of
    `storeless` who have no store), read from the stores' counted rows (`portal.sop.facts`);
    a row per store of `stores` unless `by_store` is False.

    Four queries when the stores are counted (three without `by_store`), whatever the
    size of the chain; people without a store (regional managers, HQ, the hotline) are
    counted on the spot (four more and `portal.reporting`'s two settings).
    """
    today = today or timezone.localdate()
    if storeless is None:
        pages = list(ReadablePage.objects.live().filter(mandatory=True).order_by("title"))
    else:
        pages, audiences = mandatory_pages()
    facts = compliance_facts(stores=stores, today=today, by_store=by_store)
    page_rows = {page.pk: (page, Tally()) for page in pages}
    total = Tally()
    counts: list[tuple[int, tuple[int, int, int]]] = list(facts.pages.items())
    if storeless is not None:
        counts += [
            (page_id, figures)
            for (_store, page_id), figures in requirement_counts(
                people=storeless.filter(store__isnull=True),
                pages=pages,
                audiences=audiences,
                versions=material_versions(),
                today=today,
            ).items()
        ]
    for page_id, figures in counts:
        if page_id in page_rows:  # counted rows of a page withdrawn since are not read
            page_rows[page_id][1].add_counts(*figures)
            total.add_counts(*figures)
    store_rows = {
        store.pk: StoreCompliance(store, people, Tally(*tally))
        for store, people, *tally in facts.stores
    }
    return ComplianceFigures(stores=store_rows, pages=page_rows, total=total)


def compliance_for_stores(*, stores: QuerySet[Store]) -> ComplianceBook:
    """The book of these stores' people (a store, a region's stores, any selection)."""
    return compliance_book(people=User.objects.filter(store__in=stores), stores=stores)


def compliance_figures_for_stores(*, stores: QuerySet[Store]) -> ComplianceFigures:
    """The figures of these stores' people (a region's stores, the network's, any)."""
    return compliance_figures(stores=stores)


def store_compliance_shares(*, stores: QuerySet[Store]) -> dict[int, Decimal | None]:
    """{store id: % of mandatory confirmations done} for the KPI scorecard."""
    figures = compliance_figures_for_stores(stores=stores)
    return {store_id: row.tally.share for store_id, row in figures.stores.items()}
