"""Per-store compliance facts (`portal.sop.models.facts`): kept, and read.

A count of confirmations reads every person and every confirmation of the stores counted
(`portal.sop.tallies`); pages that show many stores read the stores' counted rows instead,
so a chain of 1,000 stores costs about what 80 do. A store is counted again when a change
reaches it, never on a schedule alone:

- `compliance_changed` is called by what changes a store's figures: a confirmation (the
  person's store), a publication or withdrawal of a readable page (every store),
  a change to a store or to a person (their stores, before and after; from the org event
  it records). It records a `ComplianceChange` in the caller's transaction (reads later in
  that transaction see it) and again once it commits (a count that started before the
  commit did not see the change; its row is older than the second record);
- `compliance_facts` counts, before reading, the stores whose row of the day is missing or
  older than a change that reaches them; a new day therefore counts every store once, which
  the nightly task (`compliance_facts_refresh`) does before anyone asks.

Tests hold the rows to the reference count (`compliance_book`) after each kind of change
(`portal/sop/tests/test_compliance_facts.py`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from portal.org.models import Store, User
from portal.org.selectors import STORE_REF_FIELDS, StoreRef, StoreRefs
from portal.sop.models import ComplianceChange, ComplianceDay, CompliancePageCount
from portal.sop.selectors import material_versions
from portal.sop.tallies import mandatory_pages, requirement_counts

COUNTED = ("required", "confirmed", "overdue")


def compliance_changed(*, store_ids: Iterable[int | None] | None = None) -> None:
    """The figures of these stores (None: of every store) may have changed."""
    stores: list[int | None] = (
        [None] if store_ids is None else sorted({pk for pk in store_ids if pk is not None})
    )
    if not stores:
        return

    def record() -> None:
        at = timezone.now()
        ComplianceChange.objects.bulk_create(ComplianceChange(store_id=pk, at=at) for pk in stores)

    record()
    transaction.on_commit(record)


def _counted(today: date) -> Exists:
    """A store has a row of `today` that no later change reaches."""
    later = {"at__gt": OuterRef("counted_at")}
    rows = ComplianceDay.objects.filter(store=OuterRef("pk"), day=today).filter(
        ~Exists(ComplianceChange.objects.filter(store=OuterRef(OuterRef("pk")), **later)),
        ~Exists(ComplianceChange.objects.filter(store__isnull=True, **later)),
    )
    return Exists(rows)


def compliance_facts_count(*, store_ids: list[int], today: date) -> None:
    """Count these stores' people as of `today` and keep their rows of the day (one
    statement over their people, whatever the number of stores)."""
    if not store_ids:
        return
    counted_at = timezone.now()  # before the count: a change committed later is newer
    pages, audiences = mandatory_pages()
    people = User.objects.filter(store_id__in=store_ids)
    counts = requirement_counts(
        people=people,
        pages=pages,
        audiences=audiences,
        versions=material_versions(),
        today=today,
    )
    headcount = dict(
        people.filter(is_active=True).values_list("store_id").annotate(n=Count("pk")).order_by()
    )
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    by_page = []
    for (store_id, page_id), figures in counts.items():
        required, confirmed, overdue = figures
        by_page.append(
            CompliancePageCount(
                store_id=store_id,
                page_id=page_id,
                day=today,
                required=required,
                confirmed=confirmed,
                overdue=overdue,
            )
        )
        total = totals[store_id]
        for position, value in enumerate(figures):
            total[position] += value
    days = [
        ComplianceDay(
            store_id=store_id,
            day=today,
            people=headcount.get(store_id, 0),
            counted_at=counted_at,
            **dict(zip(COUNTED, totals[store_id], strict=True)),
        )
        for store_id in store_ids
    ]
    with transaction.atomic():
        CompliancePageCount.objects.filter(store_id__in=store_ids, day=today).delete()
        # Two requests counting the same store at once write the same figures: the second
        # one's rows give way.
        CompliancePageCount.objects.bulk_create(by_page, batch_size=2000, ignore_conflicts=True)
        ComplianceDay.objects.bulk_create(
            days,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["store", "day"],
            update_fields=["people", *COUNTED, "counted_at"],
        )


@dataclass(frozen=True)
class StoreFacts:
    """The counted rows of a selection of stores on a day."""

    # (store, people, required, confirmed, overdue), by store code
    stores: list[tuple[StoreRef, int, int, int, int]]
    pages: dict[int, tuple[int, int, int]]  # page id -> (required, confirmed, overdue)


def compliance_facts(
    *, stores: QuerySet[Store], today: date | None = None, by_store: bool = True
) -> StoreFacts:
    """The rows of these stores on `today`, counting first those not counted since their
    last change (a counted store has its row, zeros included). Three queries when all are
    counted (two without `by_store`)."""
    today = today or timezone.localdate()
    stale = list(stores.exclude(_counted(today)).values_list("pk", flat=True).order_by())
    compliance_facts_count(store_ids=stale, today=today)
    rows: list[tuple[StoreRef, int, int, int, int]] = []
    if by_store:
        make = StoreRefs()
        width = len(STORE_REF_FIELDS)
        days = ComplianceDay.objects.filter(store__in=stores.values("pk"), day=today)
        rows = [
            (make(*row[:width]), *row[width:])
            for row in days.order_by("store__code").values_list(
                *(f"store__{name}" for name in STORE_REF_FIELDS), "people", *COUNTED
            )
        ]
    sums = (
        CompliancePageCount.objects.filter(store__in=stores.values("pk"), day=today)
        .values("page_id")
        .annotate(*(Sum(name) for name in COUNTED))
        .order_by()
    )
    pages = {row["page_id"]: tuple(row[f"{name}__sum"] for name in COUNTED) for row in sums}
    return StoreFacts(stores=rows, pages=pages)


def compliance_facts_refresh(*, today: date | None = None) -> int:
    """Nightly (and after a publication): count every store not yet counted since its last
    change, and drop what no read needs any more (changes before the day began, page rows
    of earlier days). Returns the number of stores counted."""
    today = today or timezone.localdate()
    midnight = timezone.make_aware(dt.datetime.combine(today, dt.time()))
    ComplianceChange.objects.filter(at__lt=midnight).delete()
    CompliancePageCount.objects.filter(day__lt=today).delete()
    stale = list(Store.objects.exclude(_counted(today)).values_list("pk", flat=True).order_by())
    compliance_facts_count(store_ids=stale, today=today)
    return len(stale)
