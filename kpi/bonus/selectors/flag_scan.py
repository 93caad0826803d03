"""The SQL of the abuse-flag scan: the raw figures of a period's receipts that the rules
of `kpi.bonus.selectors.flags` judge. Set-based, a fixed number of statements whatever
the number of stores, receipts or cards:

1. *Cards worth a close look* (PostgreSQL): the cards on at least `floor` receipts of
   the period, by a GROUP BY over the identified receipts — the same work as a bare
   GROUP BY card, keyed by a 64-bit hash of the card (a collision only adds a card to
   look at; every figure is then counted from the card itself). Elsewhere this is a
   subquery of statement 3.
2. *Tills*: receipts and identified receipts per store and cashier.
3. *Card patterns*: the receipts of those cards (and every enrolment) grouped by store,
   card, day and enrolling cashier, and from that much smaller set: the card-days over
   the daily limit per store, the cards across too many stores, each store's most
   frequent cards, the cards enrolled twice or under an invalid phone.
4. *Evidence*: the receipts behind each flag on the days that show it (a card's busiest
   days; a cashier's or a store's identified receipts on a few days spread over the
   period), read in one statement through the time index (only those days), then the
   receipts by id.

A card under `floor` receipts breaks no card rule (`floor` is at most the daily and
the store limits + 1) and is an ordinary customer for the top cards' share.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# A phone given as the card at enrolment: 10 or 11 digits. A usable one is a Russian
# mobile (+7 9…, 8 9…, 9…) that is not seven repeated or running digits.
PHONE_LIKE = r"^\+?[0-9]{10,11}$"
MOBILE = r"^\+?[78]?9[0-9]{9}$"
FAKE_TAIL = "(" + "|".join([d * 7 for d in "0123456789"] + ["1234567", "7654321"]) + ")$"
# PostgreSQL: the scan is a batch over millions of receipts; its hash tables get room
# (a bare GROUP BY card spills at the default 4 MB) and no JIT (compiling costs more
# than it saves on statements this size).
SCAN_SETTINGS = "SET LOCAL work_mem = '256MB'; SET LOCAL jit = off"
SCAN_DEFAULTS = "SET LOCAL work_mem TO DEFAULT; SET LOCAL jit TO DEFAULT"
# Statement 3 reads a few cards' receipts among millions: the planner, misled by the
# cards' statistics, expects too many rows to bother with parallel workers.
PARALLEL = "SET LOCAL parallel_setup_cost = 10; SET LOCAL parallel_tuple_cost = 0.001"
PARALLEL_DEFAULTS = (
    "SET LOCAL parallel_setup_cost TO DEFAULT; SET LOCAL parallel_tuple_cost TO DEFAULT"
)
EVIDENCE_KEYS_PER_STATEMENT = 2000


@dataclass(frozen=True)
class Scope:
    """The receipts a scan reads: [since, until) as aware times, the local days they
    cover, and the stores (None: every store)."""

    first_day: dt.date
    last_day: dt.date
    store_ids: tuple[int, ...] | None

    @property
    def since(self) -> dt.datetime:
        return local_midnight(self.first_day)

    @property
    def until(self) -> dt.datetime:
        return local_midnight(self.last_day + dt.timedelta(days=1))


@dataclass(frozen=True)
class Till:
    store_id: int
    cashier: str
    receipts: int
    identified: int
    last_identified: dt.datetime | None  # its latest identified receipt (for the evidence)


@dataclass(frozen=True)
class CardRow:
    """One row of statement 3: `kind` is the rule it feeds; `day` is an index from the
    scope's first day; `a` and `b` are the rule's counts (see `CARD_PATTERNS_SQL`)."""

    kind: str
    store_id: int
    cashier: str
    card_id: str
    day: int
    a: int
    b: int


@dataclass(frozen=True)
class EvidenceKey:
    """Which receipts show flag `flag`: a card's (`card_id` "": any identified receipt)
    at a store on one day, optionally only one cashier's and only enrolments."""

    flag: int
    store_id: int
    card_id: str
    day: dt.date | None  # None: any day (`flag_evidence` chooses)
    cashier: str = ""
    enrolments: bool = False


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def fast() -> bool:
    """PostgreSQL runs statement 1 apart (in parallel, on card hashes); elsewhere the
    cards are a subquery (the reference path, held to the same results by the tests)."""
    return connection.vendor == "postgresql"


@contextmanager
def scan_settings() -> Iterator[None]:
    """The scan's statements inside one transaction, with `SCAN_SETTINGS` on PostgreSQL
    (given back after, also to a caller's transaction)."""
    outer = nullcontext() if connection.in_atomic_block else transaction.atomic()
    with outer:
        if connection.vendor != "postgresql":
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute(SCAN_SETTINGS)
            try:
                yield
            finally:
                with suppress(DatabaseError):  # an aborted transaction ends with them
                    cursor.execute(SCAN_DEFAULTS)


# ---- pieces of SQL that differ by database ------------------------------------------


def _stores(scope: Scope, params: dict, alias: str = "r") -> str:
    if scope.store_ids is None:
        return ""
    if not scope.store_ids:
        return " AND 1 = 0"
    names = []
    for n, store_id in enumerate(scope.store_ids):
        params[f"store{n}"] = store_id
        names.append(f"%(store{n})s")
    return f" AND {alias}.store_id IN ({', '.join(names)})"


def _period(scope: Scope, params: dict, alias: str = "r") -> str:
    params["since"] = connection.ops.adapt_datetimefield_value(scope.since)
    params["until"] = connection.ops.adapt_datetimefield_value(scope.until)
    return f"{alias}.issued_at >= %(since)s AND {alias}.issued_at < %(until)s" + _stores(
        scope, params, alias
    )


def _day_index(scope: Scope, params: dict) -> str:
    """The receipt's local day as a number of days from the scope's first day."""
    sql, day_params = connection.ops.datetime_cast_date_sql("r.issued_at", (), settings.TIME_ZONE)
    for n, value in enumerate(day_params):
        params[f"day{n}"] = value
        sql = sql.replace("%s", f"%(day{n})s", 1)
    params["first_day"] = scope.first_day.isoformat()
    if connection.vendor == "postgresql":
        return f"(({sql}) - CAST(%(first_day)s AS date))"
    return f"CAST(julianday({sql}) - julianday(%(first_day)s) AS INTEGER)"


def _matches(column: str, name: str) -> str:
    return f"{column} " + connection.operators["regex"] % f"%({name})s"


def _invalid_phone(column: str, params: dict) -> str:
    params |= {"phone_like": PHONE_LIKE, "mobile": MOBILE, "fake_tail": FAKE_TAIL}
    return (
        f"({_matches(column, 'phone_like')} AND NOT ({_matches(column, 'mobile')}"
        f" AND NOT {_matches(column, 'fake_tail')}))"
    )


# ---- 1. cards worth a close look ----------------------------------------------------


def card_hashes(scope: Scope, floor: int) -> list[int]:
    """PostgreSQL: the hashes of the cards on at least `floor` receipts."""
    params: dict = {"floor": floor}
    sql = (
        "SELECT hashtextextended(r.card_id, 0) FROM kpi_receipt r "
        f"WHERE {_period(scope, params)} AND r.card_id <> '' "
        "GROUP BY 1 HAVING count(*) >= %(floor)s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _close_look(scope: Scope, params: dict, floor: int, hashes: Sequence[int] | None) -> str:
    """Which receipts statement 3 reads: those of the cards worth a close look, and every
    enrolment (for the enrolment rule)."""
    params["floor"] = floor
    if hashes is not None:
        params["hashes"] = list(hashes)
        return "hashtextextended(r.card_id, 0) = ANY(%(hashes)s) OR r.new_member"
    inner = _period(scope, params, alias="c")
    return (
        "r.card_id IN (SELECT c.card_id FROM kpi_receipt c "
        f"WHERE {inner} AND c.card_id <> '' GROUP BY c.card_id "
        "HAVING count(*) >= %(floor)s) OR r.new_member"
    )


# ---- 2. tills --------------------------------------------------------------------------


def tills(scope: Scope) -> list[Till]:
    """Every aggregate here combines across parallel workers (PostgreSQL 15's array_agg
    does not, which would make the statement run on one process)."""
    params: dict = {}
    sql = (
        "SELECT r.store_id, r.cashier, count(*), count(*) FILTER (WHERE r.card_id <> ''), "
        "max(r.issued_at) FILTER (WHERE r.card_id <> '') "
        f"FROM kpi_receipt r WHERE {_period(scope, params)} GROUP BY 1, 2"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [
            Till(store, cashier, int(receipts), int(identified), _moment(last))
            for store, cashier, receipts, identified, last in cursor.fetchall()
        ]


def _moment(value) -> dt.datetime | None:
    """A time as the database gives it back (SQLite: text in UTC)."""
    if isinstance(value, str):
        value = parse_datetime(value)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value, dt.UTC)
    return value


# ---- 3. card patterns ---------------------------------------------------------------

# detail: the close look's receipts per (store, card, day, enrolling cashier);
# store_cards: per (store, card), with its busiest day (n * 1000 + day, the largest) and
#   the days it was rung other than as an enrolment (a day has one such row);
# cards: per card, its receipts, stores and `most`: the most it can have on one day
#   (its receipts less its days at its busiest store, + 1); only cards with `most` over
#   the limit (`busy`) are counted day by day (card_days).
# Rows out (kind, store, cashier, card, day, a, b):
#   card_daily          a card-day over the limit: a = the store's receipts of the card
#                       that day, b = the card's receipts that day across stores;
#   card_stores         a card across too many stores: a = its receipts at this store,
#                       b = its stores; day = its busiest day at this store;
#   card_concentration  a store's most frequent cards: a = the card's receipts there,
#                       b = its place (1, 2, …); day = its busiest day there;
#   enrolment_phones    a card enrolled twice or under an invalid phone: cashier = who
#                       enrolled it, a = enrolments that day.
CARD_PATTERNS_SQL = """
WITH detail AS MATERIALIZED (
  SELECT r.store_id AS store_id, r.card_id AS card_id, {day} AS day,
         CASE WHEN r.new_member THEN r.cashier END AS enroller, CAST(count(*) AS integer) AS n
  FROM kpi_receipt r
  WHERE {period} AND r.card_id <> '' AND ({close_look})
  GROUP BY 1, 2, 3, 4
),
store_cards AS MATERIALIZED (
  SELECT store_id, card_id, sum(n) AS n, max(CAST(n AS bigint) * 1000 + day) AS peak,
         count(*) FILTER (WHERE enroller IS NULL) AS days
  FROM detail GROUP BY 1, 2
),
cards AS MATERIALIZED (
  SELECT card_id, sum(n) AS n, count(*) AS stores, sum(n) - max(days) + 1 AS most
  FROM store_cards GROUP BY 1
),
busy AS MATERIALIZED (
  SELECT d.store_id, d.card_id, d.day, d.n FROM detail d
  WHERE d.card_id IN (SELECT card_id FROM cards WHERE most > %(per_day)s)
),
card_days AS MATERIALIZED (
  SELECT card_id, day, sum(n) AS n FROM busy GROUP BY 1, 2 HAVING sum(n) > %(per_day)s
),
enrolled AS (
  SELECT card_id FROM detail WHERE enroller IS NOT NULL GROUP BY 1
  HAVING sum(n) > 1 OR {invalid_phone}
),
ranked AS (
  SELECT s.store_id, s.card_id, s.n, s.peak,
         row_number() OVER (PARTITION BY s.store_id ORDER BY s.n DESC, s.card_id) AS place
  FROM store_cards s JOIN cards c ON c.card_id = s.card_id
  WHERE c.n >= %(top_floor)s
)
SELECT 'card_daily', d.store_id, '', d.card_id, d.day, sum(d.n), y.n
  FROM busy d JOIN card_days y ON y.card_id = d.card_id AND y.day = d.day
  GROUP BY d.store_id, d.card_id, d.day, y.n
UNION ALL
SELECT 'card_stores', s.store_id, '', s.card_id, s.peak %% 1000, s.n, c.stores
  FROM store_cards s JOIN cards c ON c.card_id = s.card_id
  WHERE c.stores > %(stores_max)s
UNION ALL
SELECT 'card_concentration', store_id, '', card_id, peak %% 1000, n, place
  FROM ranked WHERE place <= %(top)s
UNION ALL
SELECT 'enrolment_phones', d.store_id, d.enroller, d.card_id, d.day, d.n, 0
  FROM detail d JOIN enrolled e ON e.card_id = d.card_id
  WHERE d.enroller IS NOT NULL
"""


def card_patterns(
    scope: Scope,
    *,
    per_day: int,
    stores_max: int,
    top: int,
    top_floor: int,
    floor: int,
    hashes: Sequence[int] | None,
) -> list[CardRow]:
    params: dict = {
        "per_day": per_day,
        "stores_max": stores_max,
        "top": top,
        "top_floor": top_floor,
    }
    sql = CARD_PATTERNS_SQL.format(
        day=_day_index(scope, params),
        period=_period(scope, params),
        close_look=_close_look(scope, params, floor, hashes),
        invalid_phone=_invalid_phone("card_id", params),
    )
    with connection.cursor() as cursor:
        if hashes is not None:
            cursor.execute(PARALLEL)
        cursor.execute(sql, params)
        found = cursor.fetchall()
        if hashes is not None:
            cursor.execute(PARALLEL_DEFAULTS)
    return [
        CardRow(kind, int(store), cashier or "", card, int(day), int(a), int(b))
        for kind, store, cashier, card, day, a, b in found
    ]


# ---- 4. evidence ----------------------------------------------------------------------


def evidence_ids(keys: Sequence[EvidenceKey]) -> dict[int, list[int]]:
    """Receipt ids per flag for `keys`, oldest first (a statement per 2,000 keys)."""
    found: dict[int, list[tuple[object, int]]] = {}
    for start in range(0, len(keys), EVIDENCE_KEYS_PER_STATEMENT):
        for flag, issued_at, receipt in _evidence_chunk(
            keys[start : start + EVIDENCE_KEYS_PER_STATEMENT]
        ):
            found.setdefault(flag, []).append((issued_at, receipt))
    return {flag: [r for _at, r in sorted(rows)] for flag, rows in found.items()}


def _evidence_chunk(keys: Sequence[EvidenceKey]) -> list[tuple[int, object, int]]:
    params: dict = {}
    values, windows = [], []
    adapt = connection.ops.adapt_datetimefield_value
    for n, key in enumerate(keys):
        params |= {
            f"f{n}": key.flag,
            f"s{n}": key.store_id,
            f"c{n}": key.card_id,
            f"k{n}": key.cashier,
            f"e{n}": int(key.enrolments),
            f"a{n}": adapt(local_midnight(key.day)),
            f"b{n}": adapt(local_midnight(key.day + dt.timedelta(days=1))),
        }
        values.append(f"(%(f{n})s, %(s{n})s, %(c{n})s, %(k{n})s, %(e{n})s, %(a{n})s, %(b{n})s)")
    for n, day in enumerate(sorted({key.day for key in keys})):
        params[f"wa{n}"] = adapt(local_midnight(day))
        params[f"wb{n}"] = adapt(local_midnight(day + dt.timedelta(days=1)))
        windows.append(f"(r.issued_at >= %(wa{n})s AND r.issued_at < %(wb{n})s)")
    # The days' receipts of the keys' cards and stores are read once (`hits`: the time
    # index reads those days only), then matched to the keys in memory.
    sql = (
        "WITH keys (flag, store_id, card_id, cashier, enrolments, since, until) AS "
        f"(VALUES {', '.join(values)}), "
        "hits AS MATERIALIZED (SELECT r.id, r.store_id, r.card_id, r.cashier, r.new_member, "
        f"r.issued_at FROM kpi_receipt r WHERE ({' OR '.join(windows)}) AND r.card_id <> '' "
        "AND (r.card_id IN (SELECT card_id FROM keys WHERE card_id <> '') "
        "OR r.store_id IN (SELECT store_id FROM keys WHERE card_id = ''))) "
        "SELECT k.flag, r.issued_at, r.id FROM hits r "
        "JOIN keys k ON r.store_id = k.store_id AND (k.card_id = '' OR r.card_id = k.card_id) "
        "AND r.issued_at >= k.since AND r.issued_at < k.until "
        "AND (k.cashier = '' OR r.cashier = k.cashier) AND (k.enrolments = 0 OR r.new_member)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def chunks(items: Iterable[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
