"""Abuse flags: the patterns in a period's receipts that hold awards, and who sees the
flags raised.

The rules (thresholds are settings; a pattern is flagged when its measure is *above*
the threshold, percentages compared as shown, rounded by `portal.numbers`):

- `card_daily`: one card on more than BONUS_FLAG_CARD_RECEIPTS_PER_DAY receipts on one
  day, across the network; a flag for each store that rang it on such a day (measure:
  the card's most receipts in a day).
- `card_stores`: one card on receipts of more than BONUS_FLAG_CARD_STORES stores in the
  period; a flag for each of those stores (measure: the stores).
- `card_concentration`: the BONUS_FLAG_TOP_CARDS most frequent cards of a store carry
  more than BONUS_FLAG_TOP_CARDS_SHARE % of its identified receipts, for a store with at
  least BONUS_FLAG_MIN_IDENTIFIED of them. Cards on fewer than `CARD_FLOOR` receipts of
  the period are ordinary customers, not counted among the most frequent.
- `cashier_share`: a cashier with at least BONUS_FLAG_CASHIER_MIN_RECEIPTS receipts whose
  identified share is more than BONUS_FLAG_CASHIER_SHARE_PP points above their store's.
- `store_jump`: a store's share of identified receipts more than BONUS_FLAG_JUMP_PP
  points above its share over the BONUS_FLAG_JUMP_PERIODS periods of the same length
  before (a ratio of their sums, from the store days). The store needs the boards'
  minimum receipts in every one of those periods and its LP launched `SETTLED_DAYS`
  before the first of them (a launch ramps up by itself).
- `enrolment_phones`: a cashier who enrolled more than BONUS_FLAG_BAD_ENROLMENTS cards
  that are enrolled twice in the period or whose number is a phone that cannot be one
  (`flag_scan.PHONE_LIKE` but not a Russian mobile, or seven repeated digits).

Each flag carries its evidence: up to `EVIDENCE_ROWS` receipts (store, receipt, time,
amount, card, cashier) on the days that show the pattern, or a sample of the cashier's
(the store's) identified receipts. Which flags hold what: `kpi.bonus.selectors.holds`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from kpi.bonus.choices import FlagKind
from kpi.bonus.models import AbuseFlag, FlagEvent
from kpi.bonus.selectors import flag_scan
from kpi.bonus.selectors.flag_evidence import EVIDENCE_ROWS, evidence_fill
from kpi.bonus.selectors.flag_scan import CardRow, EvidenceKey, Scope, Till
from kpi.bonus.selectors.holds import cashiers_held, stores_held
from kpi.models import StoreDay
from portal.numbers import percent_of
from portal.org.models import Region
from portal.org.scoping import ScopeLevel, scope_for

__all__ = [
    "EVIDENCE_ROWS",
    "FlagCandidate",
    "Thresholds",
    "cashiers_held",
    "flag_candidates",
    "flag_events",
    "flag_get_visible",
    "flags_visible_to",
    "stores_held",
]

CARD_FLOOR = 5  # a card on fewer receipts of the period is an ordinary customer
SETTLED_DAYS = 60  # a store's LP ramps up for about two months after its launch


@dataclass(frozen=True)
class Thresholds:
    per_day: int
    stores: int
    top_cards: int
    top_share: Decimal
    min_identified: int
    cashier_pp: Decimal
    cashier_min: int
    jump_pp: Decimal
    jump_periods: int
    bad_enrolments: int

    @classmethod
    def from_settings(cls) -> Thresholds:
        return cls(
            per_day=settings.BONUS_FLAG_CARD_RECEIPTS_PER_DAY,
            stores=settings.BONUS_FLAG_CARD_STORES,
            top_cards=settings.BONUS_FLAG_TOP_CARDS,
            top_share=Decimal(settings.BONUS_FLAG_TOP_CARDS_SHARE),
            min_identified=settings.BONUS_FLAG_MIN_IDENTIFIED,
            cashier_pp=Decimal(settings.BONUS_FLAG_CASHIER_SHARE_PP),
            cashier_min=settings.BONUS_FLAG_CASHIER_MIN_RECEIPTS,
            jump_pp=Decimal(settings.BONUS_FLAG_JUMP_PP),
            jump_periods=settings.BONUS_FLAG_JUMP_PERIODS,
            bad_enrolments=settings.BONUS_FLAG_BAD_ENROLMENTS,
        )

    @property
    def floor(self) -> int:
        """Receipts that make a card worth a close look: below, it breaks no card rule."""
        return min(self.per_day + 1, self.stores + 1, CARD_FLOOR)


@dataclass
class FlagCandidate:
    """A pattern found: what `flags_scan` writes as an `AbuseFlag` (evidence included)."""

    kind: str
    store_id: int
    starts_on: dt.date
    ends_on: dt.date
    measure: Decimal
    threshold: Decimal
    receipts: int
    cashier: str = ""
    card_id: str = ""
    evidence: list[dict] = field(default_factory=list)
    # Where the evidence is read: a card's (or a cashier's, a store's) receipts on days.
    keys: list[EvidenceKey] = field(default_factory=list, repr=False)

    @property
    def key(self) -> tuple:
        return (self.kind, self.store_id, self.cashier, self.card_id)


# ---- the scan ------------------------------------------------------------------------


def flag_candidates(
    *,
    start: dt.date,
    end: dt.date,
    store_ids: Iterable[int] | None = None,
    thresholds: Thresholds | None = None,
    fast: bool | None = None,
) -> list[FlagCandidate]:
    """Every pattern in the receipts of [start, end] (of `store_ids`; None: the network,
    and then the cross-store rules see only those stores), with its evidence. Reads the
    receipts set-based in a fixed number of statements (`flag_scan`), whatever the
    number of stores, cards or receipts; `fast=False` takes the reference path (the
    one SQLite runs) on PostgreSQL too."""
    limits = thresholds or Thresholds.from_settings()
    scope = Scope(start, end, None if store_ids is None else tuple(sorted(set(store_ids))))
    use_fast = flag_scan.fast() if fast is None else fast
    with flag_scan.scan_settings():
        hashes = flag_scan.card_hashes(scope, limits.floor) if use_fast else None
        tills = flag_scan.tills(scope)
        rows = flag_scan.card_patterns(
            scope,
            per_day=limits.per_day,
            stores_max=limits.stores,
            top=limits.top_cards,
            top_floor=CARD_FLOOR,
            floor=limits.floor,
            hashes=hashes,
        )
        found = [
            *_card_flags(scope, rows, limits, _store_totals(tills)),
            *_cashier_flags(scope, tills, limits),
            *_store_jumps(scope, tills, limits),
        ]
        evidence_fill(found, last_day=scope.last_day)
    return sorted(found, key=lambda c: (c.store_id, c.kind, c.cashier, c.card_id))


def _store_totals(tills: list[Till]) -> dict[int, tuple[int, int]]:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for till in tills:
        totals[till.store_id][0] += till.receipts
        totals[till.store_id][1] += till.identified
    return {store: (n, identified) for store, (n, identified) in totals.items()}


def _candidate(scope: Scope, kind: str, store_id: int, **fields) -> FlagCandidate:
    return FlagCandidate(
        kind=kind, store_id=store_id, starts_on=scope.first_day, ends_on=scope.last_day, **fields
    )


def _day(scope: Scope, index: int) -> dt.date:
    return scope.first_day + dt.timedelta(days=index)


def _last_day(tills: Iterable[Till]) -> dt.date | None:
    """The day of the latest identified receipt of these tills."""
    moments = [till.last_identified for till in tills if till.last_identified]
    return timezone.localdate(max(moments)) if moments else None


def _any_day(store_id: int, cashier: str = "", day: dt.date | None = None) -> list[EvidenceKey]:
    """A store's (a cashier's) identified receipts on `day` (their latest) and on the days
    `flag_evidence` reads for other flags."""
    return [EvidenceKey(0, store_id, "", day, cashier)]


def _card_flags(
    scope: Scope, rows: list[CardRow], limits: Thresholds, totals: dict[int, tuple[int, int]]
) -> list[FlagCandidate]:
    by_kind: dict[str, list[CardRow]] = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    return [
        *_daily(scope, by_kind[FlagKind.CARD_DAILY], limits),
        *_spread(scope, by_kind[FlagKind.CARD_STORES], limits),
        *_concentration(scope, by_kind[FlagKind.CARD_CONCENTRATION], limits, totals),
        *_enrolments(scope, by_kind[FlagKind.ENROLMENT_PHONES], limits),
    ]


def _daily(scope: Scope, rows: list[CardRow], limits: Thresholds) -> list[FlagCandidate]:
    peak: dict[str, int] = defaultdict(int)
    pairs: dict[tuple[int, str], list[CardRow]] = defaultdict(list)
    for row in rows:
        peak[row.card_id] = max(peak[row.card_id], row.b)
        pairs[(row.store_id, row.card_id)].append(row)
    flags = []
    for (store_id, card_id), days in pairs.items():
        days.sort(key=lambda r: (-r.a, r.day))
        flags.append(
            _candidate(
                scope,
                FlagKind.CARD_DAILY,
                store_id,
                card_id=card_id,
                measure=Decimal(peak[card_id]),
                threshold=Decimal(limits.per_day),
                receipts=sum(r.a for r in days),
                keys=[EvidenceKey(0, store_id, card_id, _day(scope, r.day)) for r in days],
            )
        )
    return flags


def _spread(scope: Scope, rows: list[CardRow], limits: Thresholds) -> list[FlagCandidate]:
    return [
        _candidate(
            scope,
            FlagKind.CARD_STORES,
            row.store_id,
            card_id=row.card_id,
            measure=Decimal(row.b),
            threshold=Decimal(limits.stores),
            receipts=row.a,
            keys=[EvidenceKey(0, row.store_id, row.card_id, _day(scope, row.day))],
        )
        for row in rows
    ]


def _concentration(
    scope: Scope, rows: list[CardRow], limits: Thresholds, totals: dict[int, tuple[int, int]]
) -> list[FlagCandidate]:
    tops: dict[int, list[CardRow]] = defaultdict(list)
    for row in rows:
        tops[row.store_id].append(row)
    flags = []
    for store_id, cards in tops.items():
        identified = totals.get(store_id, (0, 0))[1]
        carried = sum(row.a for row in cards)
        share = percent_of(carried, identified)
        if identified < limits.min_identified or share is None or share <= limits.top_share:
            continue
        cards.sort(key=lambda r: r.b)
        flags.append(
            _candidate(
                scope,
                FlagKind.CARD_CONCENTRATION,
                store_id,
                measure=share,
                threshold=limits.top_share,
                receipts=carried,
                keys=[EvidenceKey(0, store_id, row.card_id, _day(scope, row.day)) for row in cards],
            )
        )
    return flags


def _enrolments(scope: Scope, rows: list[CardRow], limits: Thresholds) -> list[FlagCandidate]:
    by_cashier: dict[tuple[int, str], list[CardRow]] = defaultdict(list)
    for row in rows:
        by_cashier[(row.store_id, row.cashier)].append(row)
    flags = []
    for (store_id, cashier), enrolments in by_cashier.items():
        bad = sum(row.a for row in enrolments)
        if bad <= limits.bad_enrolments:
            continue
        enrolments.sort(key=lambda r: (r.day, r.card_id))
        flags.append(
            _candidate(
                scope,
                FlagKind.ENROLMENT_PHONES,
                store_id,
                cashier=cashier,
                measure=Decimal(bad),
                threshold=Decimal(limits.bad_enrolments),
                receipts=bad,
                keys=[
                    EvidenceKey(
                        0, store_id, row.card_id, _day(scope, row.day), cashier, enrolments=True
                    )
                    for row in enrolments[:EVIDENCE_ROWS]
                ],
            )
        )
    return flags


def _cashier_flags(scope: Scope, tills: list[Till], limits: Thresholds) -> list[FlagCandidate]:
    totals = _store_totals(tills)
    flags = []
    for till in tills:
        if not till.cashier or till.receipts < limits.cashier_min:
            continue
        receipts, identified = totals[till.store_id]
        share = percent_of(till.identified, till.receipts)
        threshold = percent_of(identified, receipts) + limits.cashier_pp
        if share > threshold:
            flags.append(
                _candidate(
                    scope,
                    FlagKind.CASHIER_SHARE,
                    till.store_id,
                    cashier=till.cashier,
                    measure=share,
                    threshold=threshold,
                    receipts=till.identified,
                    keys=_any_day(till.store_id, till.cashier, _last_day([till])),
                )
            )
    return flags


def _store_jumps(scope: Scope, tills: list[Till], limits: Thresholds) -> list[FlagCandidate]:
    """Store days of the period and of the `jump_periods` periods of its length before."""
    length = (scope.last_day - scope.first_day).days + 1
    windows = [
        (
            scope.first_day - dt.timedelta(days=k * length),
            scope.last_day - dt.timedelta(days=k * length),
        )
        for k in range(limits.jump_periods + 1)
    ]
    earliest = windows[-1][0]
    sums = {}
    for k, (first, last) in enumerate(windows):
        window = Q(day__gte=first, day__lte=last)
        sums[f"r{k}"] = Sum("receipts", filter=window)
        sums[f"i{k}"] = Sum("identified", filter=window)
    days = StoreDay.objects.filter(
        day__gte=earliest,
        day__lte=scope.last_day,
        store__lp_launch_date__lte=earliest - dt.timedelta(days=SETTLED_DAYS),
    )
    if scope.store_ids is not None:
        days = days.filter(store_id__in=scope.store_ids)
    minimum = settings.KPI_MIN_RECEIPTS_PER_DAY * length
    by_store: dict[int, list[Till]] = defaultdict(list)
    for till in tills:
        by_store[till.store_id].append(till)
    flags = []
    for store in days.values("store_id").annotate(**sums).order_by("store_id"):
        receipts = [store[f"r{k}"] or 0 for k in range(len(windows))]
        identified = [store[f"i{k}"] or 0 for k in range(len(windows))]
        if min(receipts) < minimum:
            continue
        share = percent_of(identified[0], receipts[0])
        threshold = percent_of(sum(identified[1:]), sum(receipts[1:])) + limits.jump_pp
        if share > threshold:
            flags.append(
                _candidate(
                    scope,
                    FlagKind.STORE_JUMP,
                    store["store_id"],
                    measure=share,
                    threshold=threshold,
                    receipts=identified[0],
                    keys=_any_day(store["store_id"], day=_last_day(by_store[store["store_id"]])),
                )
            )
    return flags


# ---- who sees the flags -------------------------------------------------------------


def flags_visible_to(
    *, user, status: str = "", kind: str = "", region: Region | None = None
) -> QuerySet[AbuseFlag]:
    """HQ sees every flag, a regional manager their region's stores'; everyone else none.
    Filtered by status, kind and region (a region the person sees)."""
    if not user.is_authenticated or not user.has_perm("bonus.open_flags"):
        return AbuseFlag.objects.none()
    scope = scope_for(user)
    if scope.level not in (ScopeLevel.NETWORK, ScopeLevel.REGION):
        return AbuseFlag.objects.none()
    flags = scope.filter(AbuseFlag.objects.all(), store_field="store")
    if status:
        flags = flags.filter(status=status)
    if kind:
        flags = flags.filter(kind=kind)
    if region is not None:
        flags = flags.filter(store__region=region)
    return flags.select_related("store__region").order_by(
        "-starts_on", "store__code", "kind", "cashier", "card_id", "pk"
    )


def flag_get_visible(*, user, pk: int) -> AbuseFlag:
    """The flag if the person sees it (404 otherwise, never saying it exists)."""
    flag = flags_visible_to(user=user).select_related("decided_by").filter(pk=pk).first()
    if flag is None:
        raise Http404
    return flag


def flag_events(*, flag: AbuseFlag) -> QuerySet[FlagEvent]:
    """The flag's history, oldest first, with who did what."""
    return flag.events.select_related("actor").order_by("at", "pk")
