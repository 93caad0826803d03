"""The documented rules of a statement, held over random chains: random stores and
penetrations (ties likely), staff, variable bonuses, eligibility (stores opened late,
stores held by a flag) and scheme sizes — computed through the real selectors on the
database, every example rolled back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpi.bonus.choices import FlagKind, Ineligible, Mode, Outcome, StatementStatus
from kpi.bonus.compute import statement_compute
from kpi.bonus.ledger import ZERO
from kpi.bonus.models import AbuseFlag, Line, StaffTerms, Statement
from kpi.bonus.services.statements import statement_draft
from kpi.bonus.tests.factories import scheme, store_days
from kpi.periods import Period, week_of
from portal.org.choices import Role
from portal.org.models import Region
from portal.org.tests.factories import StoreFactory, person

pytestmark = pytest.mark.django_db
WEEK = week_of(dt.date(2026, 10, 5))
D = Decimal


class Rollback(Exception):
    pass


store_spec = st.fixed_dictionaries(
    {
        "penetration": st.integers(min_value=30, max_value=36),  # narrow: ties are common
        "staff": st.integers(min_value=0, max_value=3),
        "caps": st.lists(st.sampled_from([None, "0", "500", "2999.99", "50000"]), max_size=4),
        "late": st.booleans(),
        "flagged": st.booleans(),
    }
)
chains = st.lists(store_spec, min_size=2, max_size=9)


def _build(specs, hq, region, period: Period):
    stores = []
    for n, spec in enumerate(specs):
        store = StoreFactory(
            code=f"P{n:03d}",
            region=region,
            opened_on=WEEK.start + dt.timedelta(days=2) if spec["late"] else dt.date(2020, 1, 1),
        )
        store_days(store, period, penetration=spec["penetration"])
        people = [person(Role.STORE_STAFF, store=store) for _ in range(spec["staff"])]
        for someone, cap in zip(people, spec["caps"], strict=False):
            if cap is not None:
                StaffTerms.objects.create(person=someone, variable_bonus=D(cap))
        if spec["flagged"]:
            AbuseFlag.objects.create(
                kind=FlagKind.CARD_DAILY,
                store=store,
                starts_on=period.start,
                ends_on=period.end,
                measure=100,
                threshold=5,
            )
        stores.append(store)
    return stores


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    specs=chains,
    top_n=st.integers(1, 3),
    bottom_n=st.integers(1, 3),
    deduction=st.decimals(min_value=0, max_value=5000, places=2),
)
def test_zero_sum_statements_keep_every_documented_rule(specs, top_n, bottom_n, deduction):
    try:
        with transaction.atomic():
            hq = person(Role.LP_MANAGER)
            region = Region.objects.create(code="PROP", name="Свойства")
            stores = _build(specs, hq, region, WEEK)
            s = scheme(
                hq,
                [region],
                period="week",
                top_n=top_n,
                bottom_n=bottom_n,
                deduction=deduction,
                deduction_cap=D("3000.00"),
            )
            computed = statement_compute(scheme=s, period=WEEK, region=region)
            results = {r.store.pk: r for r in computed.results}
            # 1. the ledger balances to exactly nothing
            assert sum((line.amount for line in computed.lines), ZERO) == ZERO
            # 2. no deduction passes the person's cap (own variable bonus or the scheme's)
            for line in computed.lines:
                cap = min(D("3000.00"), D(line.basis["cap"]))
                assert line.amount >= -cap
                assert line.amount == line.amount.quantize(D("0.01"))
            # 3. ineligible stores: the first reason in the documented order, no lines
            for spec, store in zip(specs, stores, strict=True):
                result = results[store.pk]
                if spec["late"]:
                    assert result.ineligible == Ineligible.NOT_OPEN
                elif spec["flagged"]:
                    assert result.ineligible == Ineligible.FLAGGED
                else:
                    assert not result.ineligible
                if result.ineligible:
                    assert result.outcome == Outcome.INELIGIBLE and result.rank is None
            paid_stores = {line.store.pk for line in computed.lines}
            assert all(not results[pk].ineligible for pk in paid_stores)
            # 4. ties: equal values share a rank and an outcome
            eligible = [r for r in computed.results if not r.ineligible]
            for a in eligible:
                for b in eligible:
                    if a.value == b.value:
                        assert (a.rank, a.outcome) == (b.rank, b.outcome)
            # 5. too few ranked stores choose nobody
            if len(eligible) < top_n + bottom_n:
                assert {r.outcome for r in eligible} <= {Outcome.MIDDLE}
                assert computed.lines == []
            raise Rollback
    except Rollback:
        pass


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(["amount", "person", "kind", "delete"]),
    amount=st.decimals(min_value=-9999, max_value=-1, places=2),
)
def test_a_locked_statement_refuses_any_change_in_the_database(field, amount):
    try:
        with transaction.atomic():
            hq = person(Role.LP_MANAGER)
            region = Region.objects.create(code="LOCK", name="Замок")
            _build(
                [
                    {"penetration": p, "staff": 2, "caps": [], "late": False, "flagged": False}
                    for p in (30, 31, 32, 33, 34, 35)
                ],
                hq,
                region,
                WEEK,
            )
            s = scheme(hq, [region], period="week", mode=Mode.ZERO_SUM, top_n=1, bottom_n=1)
            (statement,) = statement_draft(actor=hq, scheme=s, period=WEEK)
            Statement.objects.filter(pk=statement.pk).update(
                status=StatementStatus.LOCKED,
                region_approved_by=person(Role.REGIONAL_MANAGER, region=region),
                hq_approved_by=person(Role.LP_MANAGER),
            )
            line = statement.lines.first()
            lines = Line.objects.filter(pk=line.pk)
            change = {
                "amount": lambda: lines.update(amount=amount),
                "person": lambda: lines.update(person=hq),
                "kind": lambda: lines.update(kind="adjustment"),
                "delete": lambda: lines.delete(),
            }[field]
            with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
                change()
            with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
                Statement.objects.filter(pk=statement.pk).update(status=StatementStatus.DRAFT)
            raise Rollback
    except Rollback:
        pass
