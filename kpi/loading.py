"""The fast path for receipts files on PostgreSQL: validated and merged in set-based SQL.

The file is COPYed as text into a temporary staging table; one query checks every row
against the same rules as `kpi.receipts_csv` (the shapes of values are the same regular
expressions), one looks for receipts repeated in the file, and one INSERT … SELECT …
ON CONFLICT DO NOTHING merges it. When anything is wrong — a bad value, a ragged line,
an impossible date — the fast path declines (`None`) without writing, and the caller
reads the file with the Python reader, which names every problem by line and field.
Python remains the reference; this path only vouches for files that are entirely valid.
"""

from __future__ import annotations

import csv
import io
from datetime import date

import psycopg
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from kpi.receipts_csv import (
    AMOUNT,
    COLUMNS,
    FALSE,
    FIELDS,
    FLAGS,
    ISO_TIME,
    ITEMS,
    MAX_LENGTHS,
    REQUIRED,
    RU_TIME,
    TRUE,
)
from portal.imports.text import canonical_columns

CHUNK = 1 << 20
OPTIONAL_TEXT = ("card_id", "cashier")
NBSP = "\u00a0"


def _flag_list(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def fast_load(
    *,
    text: str,
    delimiter: str,
    store_ids: dict[str, int],
    batch_id: int,
    table: str = "kpi_receipt",
) -> tuple[int, int, set[tuple[int, date]]] | None:
    """(rows, inserted, store days touched), or None when the file is not entirely valid
    (nothing written). Runs inside the caller's transaction. `table`: counted receipts,
    or the pending receipts of a batch waiting for approval."""
    try:
        first_line = io.StringIO(text[: text.find("\n") + 1])
        header = next(csv.reader(first_line, delimiter=delimiter), [])
    except csv.Error:  # e.g. a header over the field limit: the Python reader names it
        return None
    names = canonical_columns(header, COLUMNS)
    if any(name not in names for name in REQUIRED) or len(set(names)) != len(names):
        return None
    staged = [f"c{i}" for i in range(len(names))]
    column = {name: f"c{i}" for i, name in enumerate(names) if name in COLUMNS}
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            return _run(cursor, text, delimiter, staged, column, store_ids, batch_id, table)
    except (DatabaseError, psycopg.Error):  # COPY speaks psycopg directly
        return None  # a ragged line, an impossible date…: the Python reader will say


def _run(cursor, text, delimiter, staged, column, store_ids, batch_id, table):
    tz = timezone.get_current_timezone_name()
    cursor.execute(
        "CREATE TEMP TABLE kpi_stage (line bigint GENERATED ALWAYS AS IDENTITY, "
        + ", ".join(f"{c} text" for c in staged)
        + ") ON COMMIT DROP"
    )
    cursor.execute("CREATE TEMP TABLE kpi_allowed (code text PRIMARY KEY, id int) ON COMMIT DROP")
    with cursor.cursor.copy("COPY kpi_allowed (code, id) FROM STDIN") as copy:
        for code, pk in store_ids.items():
            copy.write_row((code, pk))
    options = f"FORMAT csv, HEADER true, DELIMITER '{delimiter}'"
    with cursor.cursor.copy(f"COPY kpi_stage ({', '.join(staged)}) FROM STDIN ({options})") as copy:
        data = text.encode("utf-8")
        for start in range(0, len(data), CHUNK):
            copy.write(data[start : start + CHUNK])
    value = {name: f"coalesce(s.{c}, '')" for name, c in column.items()}
    for name in (*OPTIONAL_TEXT, *FLAGS):
        value.setdefault(name, "''")
    time = value["issued_at"]
    # Values with spaces around them are left to the Python reader (it strips them).
    bad = [
        "a.id IS NULL",
        f"{value['receipt_id']} = ''",
        f"NOT ({time} ~ '{ISO_TIME}' OR {time} ~ '{RU_TIME}')",
        f"translate({value['amount']}, ' {NBSP}', '') !~ '{AMOUNT}'",
        f"{value['items']} !~ '{ITEMS}'",
    ]
    for name in ("store_code", *MAX_LENGTHS):
        bad.append(f"{value[name]} ~ '^[[:space:]]|[[:space:]]$'")
    for name, limit in MAX_LENGTHS.items():
        bad.append(f"length({value[name]}) > {limit}")
    for flag in FLAGS:
        bad.append(f"lower({value[flag]}) NOT IN ({_flag_list(TRUE + FALSE)})")
    joined = f"kpi_stage s LEFT JOIN kpi_allowed a ON a.code = {value['store_code']}"
    cursor.execute(f"SELECT count(*), count(*) FILTER (WHERE {' OR '.join(bad)}) FROM {joined}")
    rows, invalid = cursor.fetchone()
    if invalid or not rows:
        raise _Decline
    # Every value has its shape now; an impossible date still fails the cast (declined).
    is_true = _flag_list(TRUE)
    cursor.execute(
        "CREATE TEMP TABLE kpi_typed ON COMMIT DROP AS SELECT a.id AS store_id, "
        f"{value['receipt_id']} AS receipt_id, "
        f"(CASE WHEN {time} ~ '^[0-9]{{1,2}}\\.' THEN "
        f"regexp_replace({time}, '^([0-9]+)\\.([0-9]+)\\.([0-9]+)', '\\3-\\2-\\1') "
        f"ELSE {time} END)::timestamp AT TIME ZONE '{tz}' AS issued_at, "
        f"translate({value['amount']}, ', {NBSP}', '.')::numeric(12, 2) AS amount, "
        f"{value['items']}::int AS items, {value['card_id']} AS card_id, "
        f"{value['cashier']} AS cashier, "
        + ", ".join(f"lower({value[f]}) IN ({is_true}) AS {f}" for f in FLAGS)
        + f" FROM {joined}"
    )
    cursor.execute(
        "SELECT max(issued_at) > now() + interval '5 minutes', EXISTS (SELECT 1 FROM kpi_typed "
        "GROUP BY store_id, receipt_id HAVING count(*) > 1) FROM kpi_typed"
    )
    future, repeated = cursor.fetchone()
    if future or repeated:
        raise _Decline
    columns = ", ".join(("store_id", *FIELDS))
    cursor.execute(
        f"INSERT INTO {table} ({columns}, batch_id) SELECT {columns}, %s FROM kpi_typed "
        "ON CONFLICT DO NOTHING",
        [batch_id],
    )
    inserted = cursor.rowcount
    cursor.execute(
        f"SELECT DISTINCT store_id, (issued_at AT TIME ZONE '{tz}')::date FROM kpi_typed"
    )
    pairs = {(store_id, day) for store_id, day in cursor.fetchall()}
    cursor.execute("DROP TABLE kpi_stage, kpi_allowed, kpi_typed")
    return rows, inserted, pairs


class _Decline(DatabaseError):
    """The file is not entirely valid: roll the savepoint back, let Python list why."""
