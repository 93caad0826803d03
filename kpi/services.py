"""Writes of the kpi app: load receipts (all or nothing, idempotent), decide on batches
(approve, reject, revert), refresh store days."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kpi.choices import BatchEventKind, BatchSource, BatchStatus, DriftStatus
from kpi.loading import fast_load
from kpi.models import (
    DriftCheck,
    ImportBatch,
    ImportBatchEvent,
    PendingReceipt,
    PosSystem,
    Receipt,
    StoreDay,
)
from kpi.receipts_csv import FIELDS, ReceiptRow, parse_receipts, receipts_from_records
from kpi.xlsx import is_xlsx, xlsx_to_csv
from portal.events.services import event_record
from portal.imports.errors import ImportRejected
from portal.imports.text import decode_upload, sniff_delimiter
from portal.org.models import Store, User

STAGE_COLUMNS = ("store_id", *FIELDS)


def receipts_import(
    *,
    actor: User | None,
    content: bytes = b"",
    records: Iterable[Mapping] | None = None,
    filename: str = "",
    source: str = BatchSource.UPLOAD,
    stores: QuerySet[Store] | None = None,
    pos: PosSystem | None = None,
) -> ImportBatch:
    """Load a receipts file (CSV, or an Excel workbook's first sheet), or `records` (a
    payload's receipts as dicts by field name, typed values: the POS API). Any bad row:
    nothing is written and every problem is listed (the rejected batch is logged).
    Receipts already loaded (same store and receipt id) are left as they are, so loading
    a file twice changes nothing. Store days the batch touched are refreshed after commit
    (a Celery task). `stores`: the stores this batch may contain (the uploader's scope,
    a POS system's stores); any other store is a bad row. `pos`: the POS system that
    sent it (API loads).

    A file uploaded by a person outside HQ (`kpi.load_receipts_directly`) is held
    *pending*: its new receipts wait in `PendingReceipt`, uncounted and blocking no
    receipt id, until an LP manager approves the batch (`receipt_batch_approve`). POS
    and bulk-command loads always count at once."""
    from kpi.tasks import store_days_refresh_for_batch

    pending = (
        source == BatchSource.UPLOAD
        and actor is not None  # no person: a load by the system itself
        and not actor.has_perm("kpi.load_receipts_directly")
    )
    allowed = Store.objects.all() if stores is None else stores
    store_ids = dict(allowed.values_list("code", "pk"))
    try:
        if records is None and is_xlsx(content):
            content = xlsx_to_csv(content)
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                source=source,
                filename=filename,
                created_by=actor,
                pos=pos,
                status=BatchStatus.PENDING if pending else BatchStatus.APPLIED,
            )
            batch.rows, batch.inserted, pairs = _load(
                content, records, store_ids, batch, pending=pending
            )
            batch.store_days = sorted((store, day.isoformat()) for store, day in pairs)
            batch.save(update_fields=["rows", "inserted", "store_days"])
            if pending:
                _batch_event(batch, BatchEventKind.SUBMITTED, actor, receipts=batch.inserted)
            else:
                transaction.on_commit(lambda: store_days_refresh_for_batch.delay(batch.pk))
    except ImportRejected as rejected:
        ImportBatch.objects.create(
            source=source,
            filename=filename,
            created_by=actor,
            pos=pos,
            status=BatchStatus.REJECTED,
            errors=[str(e) for e in rejected.errors[:1000]],
        )
        raise
    return batch


def _load(
    content: bytes,
    records: Iterable[Mapping] | None,
    store_ids: dict[str, int],
    batch: ImportBatch,
    *,
    pending: bool = False,
) -> tuple[int, int, set[tuple[int, date]]]:
    """(rows, new receipts, store days touched). For a file, PostgreSQL first tries the
    set-based path (`kpi.loading`); any file it does not vouch for is read row by row in
    Python, which names every problem (`ImportRejected`) or loads what it read. Records
    are typed by the same fields (`kpi.receipts_csv.receipts_spec`) and loaded as the
    Python reader's rows are. `pending`: into `PendingReceipt`, keeping only receipts not
    counted yet (new = those kept)."""
    table = (PendingReceipt if pending else Receipt)._meta.db_table
    loaded = None
    if records is None and connection.vendor == "postgresql" and b"\x00" not in content:
        text = decode_upload(content)
        loaded = fast_load(
            text=text,
            delimiter=sniff_delimiter(text),
            store_ids=store_ids,
            batch_id=batch.pk,
            table=table,
        )
    if loaded is None:
        if records is None:
            rows = parse_receipts(content, store_ids)
        else:
            rows = receipts_from_records(records, store_ids)
        pairs = {(r.store_id, timezone.localdate(r.issued_at)) for r in rows}
        if connection.vendor == "postgresql":
            loaded = len(rows), _load_with_copy(rows, batch, table), pairs
        else:
            loaded = len(rows), _load_with_insert(rows, batch, table), pairs
    if not pending:
        return loaded
    count, staged, pairs = loaded
    return count, staged - _pending_already_counted_drop(batch), pairs


def _pending_already_counted_drop(batch: ImportBatch) -> int:
    """Drop the batch's pending receipts that are counted already (same store and id):
    they are "already loaded", as for any other file."""
    counted = Receipt.objects.filter(
        store_id=OuterRef("store_id"), receipt_id=OuterRef("receipt_id")
    )
    return PendingReceipt.objects.filter(batch=batch).filter(Exists(counted)).delete()[0]


def _load_with_insert(rows: list[ReceiptRow], batch: ImportBatch, table: str) -> int:
    """The embedded database (SQLite): one prepared INSERT OR IGNORE for all rows, values
    adapted as the ORM would (model instances cost ten times as much per row)."""
    ops = connection.ops
    columns = (*STAGE_COLUMNS, "batch_id")
    values = (
        (
            r.store_id,
            r.receipt_id,
            ops.adapt_datetimefield_value(r.issued_at),
            ops.adapt_decimalfield_value(r.amount, 12, 2),
            r.items,
            r.card_id,
            r.cashier,
            r.new_member,
            r.phone_captured,
            r.email_captured,
            batch.pk,
        )
        for r in rows
    )
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",
            list(values),
        )
        return cursor.rowcount


def _load_with_copy(rows: list[ReceiptRow], batch: ImportBatch, table: str) -> int:
    """COPY into an unindexed staging table, then one set-based merge."""
    columns = ", ".join(STAGE_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE kpi_receipt_stage ON COMMIT DROP AS "
            f"SELECT {columns} FROM kpi_receipt WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY kpi_receipt_stage ({columns}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row([getattr(r, c) for c in STAGE_COLUMNS])
        cursor.execute(
            f"INSERT INTO {table} ({columns}, batch_id) "
            f"SELECT {columns}, %s FROM kpi_receipt_stage ON CONFLICT DO NOTHING",
            [batch.pk],
        )
        inserted = cursor.rowcount
        cursor.execute("DROP TABLE kpi_receipt_stage")
    return inserted


FACTS = {
    "receipts": Count("pk"),
    "identified": Count("pk", filter=~Q(card_id="")),
    "turnover": Sum("amount"),
    "lp_turnover": Sum("amount", filter=~Q(card_id="")),
    "items": Sum("items"),
    "distinct_cards": Count("card_id", filter=~Q(card_id=""), distinct=True),
    "new_members": Count("pk", filter=Q(new_member=True)),
    "phones": Count("pk", filter=Q(phone_captured=True)),
    "emails": Count("pk", filter=Q(email_captured=True)),
}


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The store day as a [start, end) range of aware times (the portal's time zone), so
    the receipt time index is used rather than a date computed for every row."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _card_lists(receipts: QuerySet[Receipt]) -> dict[str, object]:
    """The day's distinct cards of each store, sorted: PostgreSQL aggregates them in the
    same GROUP BY (their number is then the list's length); SQLite reads them apart."""
    if connection.vendor != "postgresql":
        return {}
    from django.contrib.postgres.aggregates import ArrayAgg

    return {
        "cards": ArrayAgg(
            "card_id", distinct=True, filter=~Q(card_id=""), order_by="card_id", default=[]
        )
    }


def day_facts(*, day: date, store_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """{store id: facts} of one day counted from the receipts (one GROUP BY), with the
    list of the distinct cards seen (`cards`, which counts participants over a period)."""
    start, end = day_bounds(day)
    receipts = Receipt.objects.filter(issued_at__gte=start, issued_at__lt=end)
    wanted = None if store_ids is None else set(store_ids)
    if wanted is not None and connection.vendor == "postgresql":
        receipts = receipts.filter(store_id__in=wanted)
    # SQLite (the embedded demo) would read the stores' receipts through the (store,
    # receipt) index rather than the day's through the time index: it groups the whole
    # day and keeps the stores asked for.
    lists = _card_lists(receipts)
    facts = {k: v for k, v in FACTS.items() if not (lists and k == "distinct_cards")}
    rows = receipts.values("store_id").annotate(**facts, **lists).order_by()
    counted = {
        r.pop("store_id"): {**r, "lp_turnover": r["lp_turnover"] or 0}
        for r in rows
        if wanted is None or r["store_id"] in wanted
    }
    if not lists:
        cards: dict[int, list[str]] = defaultdict(list)
        for store_id, card in (
            receipts.exclude(card_id="")
            .values_list("store_id", "card_id")
            .distinct()
            .order_by("store_id", "card_id")
        ):
            cards[store_id].append(card)
        for store_id, row in counted.items():
            row["cards"] = cards[store_id]
    for row in counted.values():
        row["distinct_cards"] = len(row["cards"])
    return counted


def _time_index_summarise() -> None:
    """PostgreSQL's BRIN index matches every block range it has not summarised, and
    ranges filled by inserts wait for a vacuum: summarise the new ones (cheap when there
    are none) so that a day's refresh reads that day's blocks, not the whole table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT brin_summarize_new_values('kpi_receipt_time')")


@transaction.atomic
def store_days_refresh(*, pairs: Iterable[tuple[int, date]]) -> int:
    """Recompute the facts of exactly these (store, day) pairs from their receipts: one
    delete and one GROUP BY per day touched (a daily file touches one or two days)."""
    _time_index_summarise()
    stores_by_day: dict[date, set[int]] = defaultdict(set)
    for store_id, day in pairs:
        stores_by_day[day].add(store_id)
    for day, store_ids in sorted(stores_by_day.items()):
        StoreDay.objects.filter(day=day, store_id__in=store_ids).delete()
        facts = day_facts(day=day, store_ids=store_ids)
        StoreDay.objects.bulk_create(
            StoreDay(store_id=store_id, day=day, **row) for store_id, row in facts.items()
        )
    return sum(len(ids) for ids in stores_by_day.values())


FACT_FIELDS = (*FACTS, "cards")
EMPTY = {name: [] if name == "cards" else 0 for name in FACT_FIELDS}


def _shown(value) -> str:
    """A fact as the drift list keeps it: a card list by its length (not the cards)."""
    return f"{len(value)} cards" if isinstance(value, list) else str(value)


def drift_check(*, first: date | None = None, last: date | None = None) -> DriftCheck:
    """Recount every store day from the receipts and compare with the stored facts;
    record each difference, then refresh the days that differed. Days from the first to
    the last receipt by default (two queries a day; SQLite reads the card lists apart).

    The check's row is written first as *not finished* and gets its status only once the
    comparison and the repair are done, so a check that dies half-way (or is still
    running) is never shown as consistent."""
    check = DriftCheck.objects.create(status=DriftStatus.RUNNING)
    receipts = Receipt.objects.aggregate(first=Min("issued_at"), last=Max("issued_at"))
    days = StoreDay.objects.aggregate(first=Min("day"), last=Max("day"))
    known = [days["first"], days["last"]] + [
        timezone.localdate(t) for t in receipts.values() if t is not None
    ]
    known = [d for d in known if d is not None]
    first = first or (min(known) if known else None)
    last = last or (max(known) if known else None)
    drift: list[dict] = []
    pairs: set[tuple[int, date]] = set()
    checked = 0
    day = first
    while first and last and day <= last:
        counted = day_facts(day=day)
        kept = {
            row.pop("store_id"): row
            for row in StoreDay.objects.filter(day=day).values("store_id", *FACT_FIELDS)
        }
        checked += len(counted.keys() | kept.keys())
        for store_id in counted.keys() | kept.keys():
            actual, recorded = counted.get(store_id, {}), kept.get(store_id, {})
            for name in FACT_FIELDS:
                if actual.get(name, EMPTY[name]) != recorded.get(name, EMPTY[name]):
                    pairs.add((store_id, day))
                    if len(drift) < 1000:
                        drift.append(
                            {
                                "store": store_id,
                                "day": day.isoformat(),
                                "fact": name,
                                "stored": _shown(recorded.get(name, EMPTY[name])),
                                "counted": _shown(actual.get(name, EMPTY[name])),
                            }
                        )
        day += timedelta(days=1)
    if pairs:
        store_days_refresh(pairs=pairs)
    check.status = DriftStatus.DRIFT if pairs else DriftStatus.CONSISTENT
    check.days_checked, check.days_drifted, check.drift = checked, len(pairs), drift
    check.finished_at = timezone.now()
    check.save()
    return check


class BatchDecisionRefused(Exception):
    """A decision on a batch that its state or the actor does not allow (said why)."""


def _batch_event(
    batch: ImportBatch, kind: str, actor: User | None, reason: str = "", **payload
) -> ImportBatchEvent:
    return event_record(
        ImportBatchEvent, batch=batch, kind=kind, actor=actor, reason=reason, payload=payload
    )


def _batch_locked(batch: ImportBatch, *, allowed: tuple[str, ...]) -> ImportBatch:
    """The batch re-read under a row lock (two reviewers cannot both decide), in one of
    the `allowed` states."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status not in allowed:
        raise BatchDecisionRefused(
            _("This batch is %(status)s: there is nothing to decide.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _store_days_refresh_after_commit(batch: ImportBatch) -> None:
    from kpi.tasks import store_days_refresh_for_batch

    transaction.on_commit(lambda: store_days_refresh_for_batch.delay(batch.pk))


def receipt_batch_approve(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """An LP manager approves a pending batch, never their own upload: its pending
    receipts are merged into the counted ones, except those whose (store, id) arrived
    meanwhile (from the POS or another file), which are reported as already loaded.
    Atomic, with an `approved` event; the store days are recounted after commit.
    Raises `BatchDecisionRefused` (not pending, own upload), `PermissionDenied`."""
    with transaction.atomic():
        batch = _batch_locked(batch, allowed=(BatchStatus.PENDING,))
        if batch.created_by_id == actor.pk:
            raise BatchDecisionRefused(
                _("Nobody approves their own upload: another LP manager has to approve it.")
            )
        if not actor.has_perm("kpi.approve_receipt_batch", batch):
            raise PermissionDenied
        columns = ", ".join(STAGE_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Receipt._meta.db_table} ({columns}, batch_id) "
                f"SELECT {columns}, batch_id FROM {PendingReceipt._meta.db_table} "
                "WHERE batch_id = %s ON CONFLICT DO NOTHING",
                [batch.pk],
            )
            merged = cursor.rowcount
        PendingReceipt.objects.filter(batch=batch).delete()
        batch.status, batch.inserted = BatchStatus.APPLIED, merged
        batch.save(update_fields=["status", "inserted"])
        _batch_event(
            batch,
            BatchEventKind.APPROVED,
            actor,
            inserted=merged,
            already_loaded=batch.already_loaded,
        )
        _store_days_refresh_after_commit(batch)
    return batch


def receipt_batch_reject(*, actor: User, batch: ImportBatch, reason: str) -> ImportBatch:
    """An LP manager (not the uploader) turns a pending batch down, saying why: its
    pending receipts are deleted, nothing was ever counted. Atomic, with an event."""
    with transaction.atomic():
        batch = _batch_locked(batch, allowed=(BatchStatus.PENDING,))
        if not actor.has_perm("kpi.approve_receipt_batch", batch):
            raise PermissionDenied
        dropped = PendingReceipt.objects.filter(batch=batch).delete()[0]
        batch.status = BatchStatus.REJECTED
        batch.save(update_fields=["status"])
        _batch_event(batch, BatchEventKind.REJECTED, actor, reason=reason, dropped=dropped)
    return batch


def receipt_batch_revert(*, actor: User, batch: ImportBatch, reason: str) -> ImportBatch:
    """HQ takes a batch back, saying why: a pending batch's receipts are dropped; an
    applied batch's receipts (those it added, not those it found already loaded) are
    deleted and its store days recounted after commit, so the ids can be loaded again.
    Any source (upload, POS API, bulk command). Atomic, with a `reverted` event."""
    with transaction.atomic():
        batch = _batch_locked(batch, allowed=(BatchStatus.PENDING, BatchStatus.APPLIED))
        if not actor.has_perm("kpi.revert_receipt_batch", batch):
            raise PermissionDenied
        if batch.status == BatchStatus.PENDING:
            removed = PendingReceipt.objects.filter(batch=batch).delete()[0]
            counted = False
        else:
            removed = _batch_receipts(batch).delete()[0]
            counted = True
            _store_days_refresh_after_commit(batch)
        batch.status = BatchStatus.REVERTED
        batch.save(update_fields=["status"])
        _batch_event(
            batch,
            BatchEventKind.REVERTED,
            actor,
            reason=reason,
            removed=removed,
            counted=counted,
        )
    return batch


def _batch_receipts(batch: ImportBatch) -> QuerySet[Receipt]:
    """The receipts a batch added, found through the stores and days it recorded (the
    time index), as receipts carry no index on their batch."""
    receipts = Receipt.objects.filter(batch_id=batch.pk)
    pairs = batch.store_days or []
    if not pairs:
        return receipts
    days = sorted(date.fromisoformat(day) for _store, day in pairs)
    return receipts.filter(
        store_id__in={store for store, _day in pairs},
        issued_at__gte=day_bounds(days[0])[0],
        issued_at__lt=day_bounds(days[-1])[1],
    )
