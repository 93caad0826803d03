"""Compliance counted by the database: one statement tallies every person × page.

`compliance_book` (portal.sop.compliance) is the reference: it reads every person and
applies `requirement()` in Python, which a store's own page needs (who, what, by when).
Store, region and network figures need only counts, and those are taken here in one
`GROUP BY (store, page)` over people × the (page, role) pairs of the live mandatory pages,
so neither the people nor their confirmations travel to Python. Tests hold both to the
same figures (`portal/sop/tests/test_compliance_tallies.py`).

The rule, restated for SQL (see `portal.sop.status.requirement`):
- a page without a material version asks nothing (confirmed);
- confirmed when the person's newest confirmed revision ≥ the material revision;
- otherwise overdue when today > max(published on, started on) + due days, that is when
  both dates fall before `today - due days` (the page's half is decided here in Python).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from portal.org.models import User
from portal.reporting import network_counts
from portal.sop.audience import Audience
from portal.sop.models import Acknowledgement, ReadablePage
from portal.sop.status import VersionRef

# (store id or None, page id) -> (required, confirmed, overdue)
Counts = dict[tuple[int | None, int], tuple[int, int, int]]


def _people_sql(people: QuerySet[User]) -> tuple[str, tuple]:
    """Active people with the placement and start day that audiences and due dates use."""
    rows = (
        people.filter(is_active=True)
        .order_by()
        .annotate(
            place_region_id=Coalesce("store__region_id", F("region_id")),
            # User.started_on: position_since, else hire_date, else the day date_joined
            # falls on in UTC (what `datetime.date()` of a database value gives).
            start_day=Coalesce(
                "position_since", "hire_date", TruncDate("date_joined", tzinfo=dt.UTC)
            ),
        )
        .values_list("pk", "role", "store_id", "place_region_id", "start_day")
    )
    return rows.query.sql_with_params()


def _targets(
    pages: Iterable[ReadablePage],
    audiences: Mapping[int, Audience],
    versions: Mapping[int, VersionRef],
    today: date,
) -> list[tuple]:
    """One row per (page, role it is addressed to): what the SQL needs of each page."""
    rows = []
    for page in pages:
        audience = audiences[page.pk]
        version = versions.get(page.pk)
        threshold = today - timedelta(days=page.due_days)
        late = version is not None and timezone.localdate(version.published_at) < threshold
        everywhere = not audience.region_ids and not audience.store_ids
        for role in sorted(audience.roles):
            rows.append(
                (
                    page.pk,
                    role,
                    version.revision_id if version else 0,
                    version is not None,
                    late,
                    threshold,
                    everywhere,
                )
            )
    return rows


def requirement_counts(
    *,
    people: QuerySet[User],
    pages: Iterable[ReadablePage],
    audiences: Mapping[int, Audience],
    versions: Mapping[int, VersionRef],
    today: date,
) -> Counts:
    """{(store id, page id): (required, confirmed, overdue)} for the active people of
    `people` (those without a store under None), in one statement."""
    targets = _targets(pages, audiences, versions, today)
    if not targets:
        return {}
    people_sql, people_params = _people_sql(people)
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(targets))
    regions = ReadablePage.audience_regions.through._meta.db_table
    stores = ReadablePage.audience_stores.through._meta.db_table
    acks = Acknowledgement._meta.db_table
    page_ids = sorted({row[0] for row in targets})
    confirmed = "(NOT t.versioned OR COALESCE(a.revision_id, 0) >= t.revision_id)"
    sql = f"""
        WITH people (id, role, store_id, region_id, started_on) AS ({people_sql}),
        targets (page_id, role, revision_id, versioned, late, threshold, everywhere) AS (
            VALUES {values}
        ),
        acks (person_id, page_id, revision_id) AS (
            SELECT a.person_id, a.page_id, MAX(a.revision_id)
            FROM {acks} a JOIN people ON people.id = a.person_id
            WHERE a.page_id IN ({", ".join(["%s"] * len(page_ids))})
            GROUP BY a.person_id, a.page_id
        )
        SELECT p.store_id, t.page_id, COUNT(*),
            SUM(CASE WHEN {confirmed} THEN 1 ELSE 0 END),
            SUM(CASE WHEN NOT {confirmed} AND t.late AND p.started_on < t.threshold
                THEN 1 ELSE 0 END)
        FROM people p
        JOIN targets t ON t.role = p.role AND (
            t.everywhere
            OR EXISTS (SELECT 1 FROM {stores} s
                       WHERE s.readablepage_id = t.page_id AND s.store_id = p.store_id)
            OR EXISTS (SELECT 1 FROM {regions} r
                       WHERE r.readablepage_id = t.page_id AND r.region_id = p.region_id))
        LEFT JOIN acks a ON a.person_id = p.id AND a.page_id = t.page_id
        GROUP BY p.store_id, t.page_id
    """
    params = [*people_params, *(value for row in targets for value in row), *page_ids]
    with network_counts(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {
            (store_id, page_id): (int(required), int(done), int(overdue))
            for store_id, page_id, required, done, overdue in cursor.fetchall()
        }


def mandatory_pages() -> tuple[list[ReadablePage], dict[int, Audience]]:
    """The live mandatory pages (by title) and who each is addressed to."""
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
