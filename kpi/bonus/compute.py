"""A period of a scheme computed, without writing: the stores of each statement, their
value, rank and eligibility, the people paid and every amount with what explains it.
`kpi.bonus.services.statements` stores it; the simulation page shows it as it is.

Eligibility, in this order (the first reason that applies is shown): open for the whole
period and active; the LP launched by the period's start (LP metrics); the boards'
minimum receipts and a value; not held by an abuse flag; certified-staff coverage at
least the scheme's minimum (when set; a store without coverage data is not held for
it: no data is never turned into a penalty); no failed mystery-shopper visit in the
period (when the scheme asks); not excluded after an accepted dispute; a plan for the
period (threshold schemes).

Who is paid: the active people of the store's staff (or its managers) who had taken up
their place by the period's end, as they are now; or the cashiers by the receipts'
cashier numbers (unknown numbers are shown, not paid). A cashier held by an abuse flag
gets no award.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext

from audits.selectors.analytics import store_audit_scores
from kpi.bonus.choices import SCORECARD, Ineligible, Mode, Outcome, Payees, Scope, Split
from kpi.bonus.ledger import ZERO, Amount, Payee, Ranked, choose_top_bottom, ranks, threshold
from kpi.bonus.ledger import zero_sum as zero_sum_amounts
from kpi.bonus.models import Scheme, StaffTerms
from kpi.bonus.selectors.holds import cashiers_held, stores_held
from kpi.bonus.selectors.scorecard import scorecard_values
from kpi.metrics import BY_CODE, Kpi, Totals
from kpi.periods import Period
from kpi.selectors import (
    cashier_receipts,
    leaderboard,
    min_receipts_for,
    scope_plan,
    store_totals,
)
from portal.numbers import percent_of
from portal.org.choices import Role
from portal.org.models import Region, Store, User
from training.selectors.status import certified_coverage

PENETRATION = "penetration"


@dataclass
class StoreComputed:
    store: Store
    value: Decimal | None
    receipts: int
    target: Decimal | None
    rank: int | None = None
    outcome: str = Outcome.MIDDLE
    ineligible: str = ""
    people: int = 0
    amount: Decimal = ZERO


@dataclass
class LineComputed:
    store: Store
    person: User
    kind: str  # award / deduction
    amount: Decimal
    capped: bool
    basis: dict


@dataclass
class Computation:
    """One statement's worth: `region` None for a network statement."""

    scheme: Scheme
    region: Region | None
    period: Period
    metric_label: str
    suspended: bool
    results: list[StoreComputed]
    lines: list[LineComputed] = field(default_factory=list)
    scope_value: Decimal | None = None
    scope_target: Decimal | None = None
    too_few_stores: bool = False
    unknown_cashiers: list[str] = field(default_factory=list)

    @property
    def scope_met(self) -> bool | None:
        if self.scope_value is None or self.scope_target is None:
            return None
        return self.scope_value >= self.scope_target

    @property
    def awarded(self) -> Decimal:
        return sum((line.amount for line in self.lines if line.amount > 0), ZERO)

    @property
    def deducted(self) -> Decimal:
        return -sum((line.amount for line in self.lines if line.amount < 0), ZERO)


def metric_kpi(scheme: Scheme) -> Kpi:
    """The KPI a scheme ranks on, or (the scorecard) the KPI its scope's plan is read on."""
    return BY_CODE[PENETRATION if scheme.metric == SCORECARD else scheme.metric]


def metric_label(scheme: Scheme) -> str:
    if scheme.metric == SCORECARD:
        return gettext("Store scorecard")
    return str(BY_CODE[scheme.metric].label)


def scheme_regions(scheme: Scheme) -> list[Region | None]:
    """The statements of a period: one per region (ranked separately) or one (None)."""
    if scheme.scope == Scope.NETWORK:
        return [None]
    chosen = list(scheme.regions.order_by("code"))
    return chosen or list(Region.objects.filter(is_active=True).order_by("code"))


def scheme_stores(scheme: Scheme, region: Region | None) -> QuerySet[Store]:
    stores = Store.objects.all()
    if region is not None:
        return stores.filter(region=region)
    region_ids = list(scheme.regions.values_list("pk", flat=True))
    return stores.filter(region_id__in=region_ids) if region_ids else stores


def statement_compute(
    *,
    scheme: Scheme,
    period: Period,
    region: Region | None,
    suspended: bool = False,
    excluded_people: Iterable[int] = (),
    excluded_stores: Iterable[int] = (),
) -> Computation:
    """The statement of `scheme` for `period` in `region` as the data stands now: a fixed
    number of queries whatever the number of stores and people."""
    stores = scheme_stores(scheme, region)
    results = _results(scheme, period, stores)
    by_id = {r.store.pk: r for r in results}
    _eligibility(scheme, period, results, set(excluded_stores))
    computation = Computation(
        scheme=scheme,
        region=region,
        period=period,
        metric_label=metric_label(scheme),
        suspended=suspended,
        results=results,
    )
    _scope(computation, metric_kpi(scheme), stores, region)
    eligible = [r for r in results if not r.ineligible]
    order = {r.store.pk: (-r.receipts, r.store.code) for r in eligible}
    rows = [Ranked(r.store.pk, r.value, order[r.store.pk]) for r in eligible]
    for store_id, rank in ranks(rows).items():
        by_id[store_id].rank = rank
    if scheme.mode == Mode.ZERO_SUM:
        top, bottom = choose_top_bottom(rows, top_n=scheme.top_n, bottom_n=scheme.bottom_n)
        computation.too_few_stores = not top and not bottom
        for r in eligible:
            r.outcome = (
                Outcome.TOP
                if r.store.pk in top
                else (Outcome.BOTTOM if r.store.pk in bottom else Outcome.MIDDLE)
            )
    else:
        for r in eligible:
            r.outcome = Outcome.PLAN_MET if r.value >= r.target else Outcome.PLAN_MISSED
    for r in results:
        if r.ineligible:
            r.outcome = Outcome.INELIGIBLE
    if suspended:
        for r in eligible:
            r.outcome = Outcome.SUSPENDED
        return computation
    _pay(computation, eligible, set(excluded_people), len(rows))
    return computation


def _results(scheme: Scheme, period: Period, stores: QuerySet[Store]) -> list[StoreComputed]:
    if scheme.metric == SCORECARD:
        store_list = list(stores.select_related("region").order_by("code"))
        values = scorecard_values(stores=stores, period=period)
        totals = store_totals(stores=stores, start=period.start, end=period.end)
        minimum = min_receipts_for(period)
        results = []
        for store in store_list:
            receipts = totals.get(store.pk, Totals()).receipts
            result = StoreComputed(store, values.get(store.pk), receipts, None)
            if receipts < minimum:
                result.ineligible = Ineligible.TOO_FEW
            elif result.value is None:
                result.ineligible = Ineligible.NO_VALUE
            results.append(result)
        return results
    board = leaderboard(kpi=BY_CODE[scheme.metric], stores=stores, period=period)
    results = []
    for row in sorted(board.ranked + board.unranked, key=lambda r: r.store.code):
        result = StoreComputed(
            row.store, row.value, row.totals.receipts, row.plan.target if row.plan else None
        )
        if row.unranked_because == "not_launched":
            result.ineligible = Ineligible.NOT_LAUNCHED
        elif row.unranked_because:
            result.ineligible = Ineligible.TOO_FEW if row.value is not None else Ineligible.NO_VALUE
        results.append(result)
    return results


def _eligibility(
    scheme: Scheme, period: Period, results: list[StoreComputed], excluded: set[int]
) -> None:
    ids = [r.store.pk for r in results]
    held = stores_held(store_ids=ids, start=period.start, end=period.end)
    coverage = {}
    if scheme.min_coverage is not None:
        coverage = certified_coverage(stores=Store.objects.filter(pk__in=ids))
    failed = set()
    if scheme.exclude_audit_failures:
        scores = store_audit_scores(stores=ids, start=period.start, end=period.end)
        failed = {store_id for store_id, score in scores.items() if score.any_failed}
    for r in results:
        store = r.store
        reason = ""
        if not store.is_active or store.opened_on > period.start:
            reason = Ineligible.NOT_OPEN
        elif r.ineligible:
            continue
        elif store.pk in held:
            reason = Ineligible.FLAGGED
        elif (share := coverage.get(store.pk)) is not None and share < scheme.min_coverage:
            reason = Ineligible.COVERAGE
        elif store.pk in failed:
            reason = Ineligible.AUDIT_FAILED
        elif store.pk in excluded:
            reason = Ineligible.EXCLUDED
        elif scheme.mode == Mode.THRESHOLD and r.target is None:
            reason = Ineligible.NO_PLAN
        r.ineligible = reason


def _scope(
    computation: Computation,
    kpi: Kpi,
    stores: QuerySet[Store],
    region: Region | None,
) -> None:
    """The scope's own figure against its plan (the auto-suspend reads it)."""
    period = computation.period
    whole = sum(store_totals(stores=stores, start=period.start, end=period.end).values(), Totals())
    computation.scope_value = kpi.of(whole)
    plan = scope_plan(kpi=kpi.code, region=region, period=period)
    if plan is None and region is not None:
        plan = scope_plan(kpi=kpi.code, region=None, period=period)
    computation.scope_target = plan.target if plan else None


def _people(scheme: Scheme, stores: list[Store], period: Period) -> dict[int, list[User]]:
    roles = (
        [Role.STORE_MANAGER]
        if scheme.payees == Payees.MANAGERS
        else [
            Role.STORE_STAFF,
            Role.STORE_MANAGER,
        ]
    )
    people: dict[int, list[User]] = {s.pk: [] for s in stores}
    for person in (
        User.objects.filter(store__in=stores, role__in=roles, is_active=True)
        .select_related("bonus_terms")
        .order_by("personnel_number")
    ):
        if person.started_on <= period.end:
            people[person.store_id].append(person)
    return people


def _terms(person: User) -> StaffTerms | None:
    try:
        return person.bonus_terms
    except StaffTerms.DoesNotExist:
        return None


def _cap(scheme: Scheme, person: User) -> Decimal:
    terms = _terms(person)
    if terms is not None and terms.variable_bonus is not None:
        return min(scheme.deduction_cap, terms.variable_bonus)
    return scheme.deduction_cap


def _fte(person: User) -> Decimal:
    terms = _terms(person)
    return terms.fte if terms is not None else Decimal(1)


def _pay(
    computation: Computation, eligible: list[StoreComputed], excluded: set[int], ranked: int
) -> None:
    scheme, period = computation.scheme, computation.period
    paid = [r for r in eligible if r.outcome != Outcome.MIDDLE]
    stores = [r.store for r in paid]
    held_cashiers = cashiers_held(
        store_ids=[s.pk for s in stores], start=period.start, end=period.end
    )
    people, cashier_counts = {}, {}
    if scheme.payees == Payees.CASHIERS:
        cashier_counts = cashier_receipts(
            store_ids=[s.pk for s in stores], start=period.start, end=period.end
        )
        numbers = {number for _store, number in cashier_counts}
        known = {
            u.personnel_number: u
            for u in User.objects.filter(
                personnel_number__in=numbers, is_active=True
            ).select_related("bonus_terms")
        }
        computation.unknown_cashiers = sorted(numbers - set(known))
        people = {s.pk: [] for s in stores}
        for (store_id, number), _counts in sorted(cashier_counts.items()):
            if number in known:
                people[store_id].append(known[number])
    else:
        people = _people(scheme, stores, period)
    by_store = {r.store.pk: r for r in paid}
    award_side, deduct_side = [], []
    context: dict[tuple[int, int], dict] = {}
    for result in sorted(paid, key=lambda r: r.store.code):
        store = result.store
        for person in people[store.pk]:
            if person.pk in excluded:
                continue
            key = (store.pk, person.pk)
            counts = cashier_counts.get((store.pk, person.personnel_number))
            own_share = percent_of(counts.identified, counts.receipts) if counts else None
            rewarded = result.outcome in (Outcome.TOP, Outcome.PLAN_MET)
            if scheme.payees == Payees.CASHIERS and scheme.mode == Mode.THRESHOLD:
                rewarded = own_share is not None and own_share >= result.target
            weight = _weight(scheme, person, counts, rewarded=rewarded)
            context[key] = {"person": person, "own_share": own_share, "weight": weight}
            payee = Payee(key, weight, _cap(scheme, person))
            if rewarded:
                if (store.pk, person.personnel_number) not in held_cashiers and weight > 0:
                    award_side.append(payee)
            elif weight > 0:
                deduct_side.append(payee)
    if scheme.mode == Mode.ZERO_SUM:
        awards, taken = zero_sum_amounts(
            top=award_side, bottom=deduct_side, per_person=scheme.deduction
        )
    else:
        awards, taken = threshold(
            met=award_side,
            missed=deduct_side,
            award=scheme.award,
            deduction=scheme.deduction,
            budget_cap=scheme.budget_cap,
        )
    pool = sum((a.amount for a in awards), ZERO)
    for amount in awards + taken:
        if not amount.amount:
            continue
        store_id, _person_id = amount.key
        result = by_store[store_id]
        result.people += 1
        result.amount += amount.amount
        computation.lines.append(
            _line(computation, result, amount, context[amount.key], pool=pool, ranked=ranked)
        )


def _weight(scheme: Scheme, person: User, counts, *, rewarded: bool) -> Decimal:
    if scheme.payees == Payees.CASHIERS and scheme.mode == Mode.ZERO_SUM:
        if counts is None:
            return Decimal(0)
        # The top stores' cashiers share by what they identified; the bottom stores'
        # pay by what they did not.
        return Decimal(counts.identified if rewarded else counts.receipts - counts.identified)
    return _fte(person) if scheme.split == Split.FTE else Decimal(1)


def _line(
    computation: Computation,
    result: StoreComputed,
    amount: Amount,
    context: dict,
    *,
    pool: Decimal,
    ranked: int,
) -> LineComputed:
    scheme = computation.scheme
    basis = {
        "metric": computation.metric_label,
        "metric_code": scheme.metric,
        "value": result.value,
        "target": result.target,
        "rank": result.rank,
        "ranked": ranked,
        "outcome": result.outcome,
        "mode": scheme.mode,
        "payees": scheme.payees,
        "split": scheme.split,
        "weight": context["weight"],
        "own_share": context["own_share"],
        "per_person": scheme.deduction if amount.amount < 0 else scheme.award,
        "cap": _cap(scheme, context["person"]),
        "pool": pool,
        "top_n": scheme.top_n,
        "bottom_n": scheme.bottom_n,
    }
    return LineComputed(
        store=result.store,
        person=context["person"],
        kind="award" if amount.amount > 0 else "deduction",
        amount=amount.amount,
        capped=amount.capped,
        basis={k: (str(v) if isinstance(v, Decimal) else v) for k, v in basis.items()},
    )
