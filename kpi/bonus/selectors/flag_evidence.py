"""The receipts each abuse flag shows (its evidence), read for all flags at once.

A card's pattern offers its days (a card-day over the limit, the busiest day at a
store, an enrolment's day); a cashier's or a store's pattern its latest day with an
identified receipt. The days are chosen so that few are read: a card's flag takes the
days others already chose when it can, else its own busiest one; a cashier's or a
store's flag its own day and a couple of the days chosen. Then one statement reads those
days' receipts of the flags' cards and stores (`flag_scan.evidence_ids`) and one reads
the receipts kept by id: `EVIDENCE_ROWS` a flag at most, a card's from its first, a
cashier's (a store's) spread over the day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from django.utils import timezone

from kpi.bonus.selectors import flag_scan
from kpi.bonus.selectors.flag_scan import EvidenceKey
from kpi.models import Receipt
from portal.org.models import Store

if TYPE_CHECKING:
    from kpi.bonus.selectors.flags import FlagCandidate

EVIDENCE_ROWS = 50
EVIDENCE_DAYS = 3
FETCH_CHUNK = 20_000


def evidence_fill(found: Sequence[FlagCandidate], *, last_day: dt.date) -> None:
    """Set each candidate's `evidence` (a list of receipts as dicts, oldest first)."""
    keys = _keys_on_chosen_days(found, last_day)
    by_flag = flag_scan.evidence_ids(keys) if keys else {}
    kept: dict[int, list[int]] = {}
    for n, candidate in enumerate(found):
        ids = by_flag.get(n, [])
        any_card = any(not key.card_id for key in candidate.keys)
        kept[n] = _spread_out(ids, EVIDENCE_ROWS) if any_card else ids[:EVIDENCE_ROWS]
    receipts = _receipts({i for ids in kept.values() for i in ids})
    codes = _store_codes({row["store_id"] for row in receipts.values()})
    for n, candidate in enumerate(found):
        rows = sorted(
            (receipts[i] for i in kept[n] if i in receipts), key=lambda r: (r["issued_at"], r["pk"])
        )
        candidate.evidence = [_evidence_row(row, codes) for row in rows]


def _keys_on_chosen_days(found: Sequence[FlagCandidate], last_day: dt.date) -> list[EvidenceKey]:
    chosen: set[dt.date] = set()
    keys: list[EvidenceKey] = []
    card_flags = [(n, c) for n, c in enumerate(found) if all(k.card_id for k in c.keys)]
    # Flags with the fewest days to offer choose first; the others join their days.
    for n, candidate in sorted(card_flags, key=lambda item: len(item[1].keys)):
        groups: dict[tuple, list[EvidenceKey]] = {}
        for key in candidate.keys:
            groups.setdefault((key.card_id, key.cashier, key.enrolments), []).append(key)
        for offered in groups.values():
            shared = [key for key in offered if key.day in chosen][:EVIDENCE_DAYS]
            if not shared:
                shared = offered[:1]
                chosen.add(offered[0].day)
            keys.extend(replace(key, flag=n) for key in shared)
    others = sorted(chosen)[: EVIDENCE_DAYS - 1]
    for n, candidate in enumerate(found):
        for key in candidate.keys:
            if not key.card_id:
                days = {key.day or last_day, *others}
                keys.extend(replace(key, flag=n, day=day) for day in sorted(days))
    return keys


def _spread_out(ids: list[int], count: int) -> list[int]:
    """`count` of `ids` taken evenly (all of them when there are fewer)."""
    if len(ids) <= count:
        return ids
    step = len(ids) / count
    return [ids[int(n * step)] for n in range(count)]


def _receipts(ids: set[int]) -> dict[int, dict]:
    found: dict[int, dict] = {}
    for batch in flag_scan.chunks(sorted(ids), FETCH_CHUNK):
        for row in Receipt.objects.filter(pk__in=batch).values(
            "pk", "store_id", "receipt_id", "issued_at", "amount", "card_id", "cashier"
        ):
            found[row["pk"]] = row
    return found


def _store_codes(store_ids: set[int]) -> dict[int, str]:
    if not store_ids:
        return {}
    return dict(Store.objects.filter(pk__in=store_ids).values_list("pk", "code"))


def _evidence_row(row: dict, codes: dict[int, str]) -> dict:
    return {
        "store": codes.get(row["store_id"], ""),
        "receipt": row["receipt_id"],
        "at": timezone.localtime(row["issued_at"]).isoformat(timespec="seconds"),
        "amount": str(row["amount"]),
        "card": row["card_id"],
        "cashier": row["cashier"],
    }
