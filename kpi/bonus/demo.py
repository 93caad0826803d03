"""The demo's bonus year, made by the real services on the demo's receipts: an
Avtorus-style zero-sum scheme in Moscow (the 3 worst stores' staff pay the 3 best), a
Galamart-style plan threshold for the Urals' store managers that suspends itself once
the region holds its plan, a year of closed periods (disputes decided, two approvals,
corrections carried into the next month) and one abuse pattern: a cashier's own card on
hundreds of receipts in the last month, which the close flags and which holds that
store's award until HQ decides.

Each past period is closed, disputed and approved with the bonus clock set to the day it
would have happened (`kpi.bonus.clock.at`). The last closed month is left open for
disputes, for the personas to work."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from kpi.bonus import clock
from kpi.bonus.choices import LineKind, Mode, Payees, PeriodKind, Scope, Split, StatementStatus
from kpi.bonus.models import Line, Scheme, Statement
from kpi.bonus.services.close import period_close
from kpi.bonus.services.schemes import scheme_create
from kpi.bonus.services.statements import (
    dispute_decide,
    line_adjust,
    line_dispute,
    statement_approve,
)
from kpi.choices import BatchSource, KpiCode
from kpi.models import Plan
from kpi.periods import Period, month_of
from kpi.services import receipts_import, store_days_refresh
from portal.org.choices import Role
from portal.org.demo import DEMO_LOGINS
from portal.org.models import Region, Store, User

AVTORUS = "Мотивация — демотивация: Москва"
GALAMART = "План проникновения: Урал"
URALS_PLAN = Decimal(44)  # the Urals' own penetration plan for the threshold scheme
SCHEMES_START_AFTER = 4  # months into the demo's year of receipts
ABUSE_STORE = "MSK007"
ABUSE_RECEIPTS_PER_DAY = 12
ABUSE_FILE = "seed_demo:bonus-abuse.csv"
DISPUTED_MONTHS = (2, 4, 6)  # the n-th closed month of the year: a store manager disputes
ACCEPTED_MONTH = 4  # …and this dispute is accepted (the person excluded)
CORRECTED_MONTHS = (3, 5)  # HQ corrects a locked line; it lands in the next month


def _named(role: str) -> User:
    email = next(login.email for login in DEMO_LOGINS if login.role == role)
    return User.objects.get(email=email)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _months(first: dt.date, today: dt.date) -> list[Period]:
    period, done = month_of(first), []
    while period.end + dt.timedelta(days=settings.BONUS_CLOSE_AFTER_DAYS) <= today:
        done.append(period)
        period = period.shifted(1)
    return done


def _schemes(hq: User, starts_on: dt.date) -> tuple[Scheme, Scheme]:
    common = {"period": PeriodKind.MONTH, "scope": Scope.REGION, "starts_on": starts_on}
    avtorus = scheme_create(
        actor=hq,
        regions=Region.objects.filter(code="MSK"),
        name=AVTORUS,
        metric="penetration",
        payees=Payees.STAFF,
        mode=Mode.ZERO_SUM,
        split=Split.EQUAL,
        top_n=3,
        bottom_n=3,
        deduction=Decimal(3000),
        deduction_cap=Decimal(5000),
        dispute_days=5,
        **common,
    )
    galamart = scheme_create(
        actor=hq,
        regions=Region.objects.filter(code="URL"),
        name=GALAMART,
        metric="penetration",
        payees=Payees.MANAGERS,
        mode=Mode.THRESHOLD,
        award=Decimal(10_000),
        deduction=Decimal(5000),
        deduction_cap=Decimal(5000),
        budget_cap=Decimal(150_000),
        suspend_after=2,
        resume_after=2,
        dispute_days=5,
        **common,
    )
    return avtorus, galamart


def _urals_plans(months: list[Period]) -> None:
    """The Urals' monthly penetration plan (HQ's, for the threshold scheme): a region's own
    plan, newer than the quarter's, so it is the one that applies."""
    region = Region.objects.get(code="URL")
    for month in months:
        Plan.objects.get_or_create(
            kpi=KpiCode.PENETRATION,
            store=None,
            region=region,
            starts_on=month.start,
            ends_on=month.end,
            defaults={"target": URALS_PLAN},
        )


def _abuse(period: Period) -> int:
    """A seller of `ABUSE_STORE` identifies receipts with their own card, a dozen a day
    over the month (loaded like any file, the store days refreshed at once)."""
    store = Store.objects.get(code=ABUSE_STORE)
    cashier = (
        User.objects.filter(store=store, role=Role.STORE_STAFF, is_active=True)
        .order_by("personnel_number")
        .first()
    )
    lines = ["магазин;чек;время;сумма;позиций;карта;кассир;новый участник;телефон;email"]
    day = period.start
    while day <= period.end:
        lines += [
            f"{store.code};СВОЯ-{day:%y%m%d}-{n};{day:%d.%m.%Y} {12 + n // 6}:{n % 6 * 9:02d};"
            f"{350 + 11 * n},00;1;7999{cashier.personnel_number};{cashier.personnel_number};0;0;0"
            for n in range(ABUSE_RECEIPTS_PER_DAY)
        ]
        day += dt.timedelta(days=1)
    batch = receipts_import(
        actor=None,
        content=("\r\n".join(lines) + "\r\n").encode("cp1251"),
        filename=ABUSE_FILE,
        source=BatchSource.COMMAND,
    )
    store_days_refresh(pairs=[(s, dt.date.fromisoformat(d)) for s, d in batch.store_days])
    return batch.inserted


def _manager_of(store: Store) -> User | None:
    return User.objects.filter(store=store, role=Role.STORE_MANAGER, is_active=True).first()


def _dispute(statement: Statement, regional: User, *, accept: bool) -> bool:
    """The manager of a bottom store disputes a seller's deduction; the region decides."""
    line = (
        statement.lines.filter(kind=LineKind.DEDUCTION, person__role=Role.STORE_STAFF)
        .select_related("store")
        .order_by("store__code", "personnel_number")
        .first()
    )
    manager = line and _manager_of(line.store)
    if manager is None:
        return False
    dispute = line_dispute(
        actor=manager,
        line=line,
        comment="Сотрудник был на больничном с середины месяца — просим исключить.",
    )
    dispute_decide(
        actor=regional,
        dispute=dispute,
        accept=accept,
        decision="Больничный подтверждён кадрами."
        if accept
        else "Больничный начался после периода: удержание верно.",
        exclude="person" if accept else "",
    )
    return True


def bonus_demo_seed() -> str:
    if Scheme.objects.filter(name=AVTORUS).exists():
        return "already there"
    today = timezone.localdate()
    hq, hq_second = (
        _named(Role.LP_MANAGER),
        (
            User.objects.filter(role=Role.LP_MANAGER, is_active=True)
            .exclude(email=_named(Role.LP_MANAGER).email)
            .order_by("personnel_number")
            .first()
        ),
    )
    regional = {
        code: User.objects.filter(role=Role.REGIONAL_MANAGER, region__code=code).first()
        for code in ("MSK", "URL")
    }
    # Four months of receipts before the schemes start: the effect report's «before».
    first = month_of(today - dt.timedelta(days=364)).shifted(SCHEMES_START_AFTER).start
    months = _months(first, today)
    with clock.at(_at(first - dt.timedelta(days=20))):
        avtorus, galamart = _schemes(hq, first)
    _urals_plans(months)
    abused = _abuse(months[-1])
    disputes = corrections = 0
    for n, month in enumerate(months, 1):
        closing = month.end + dt.timedelta(days=settings.BONUS_CLOSE_AFTER_DAYS + 1)
        with clock.at(_at(closing, 6)):
            made = [
                s
                for scheme in (avtorus, galamart)
                for s in period_close(actor=None, scheme=scheme, period=month)
            ]
        if n == len(months):
            break  # the last month stays open for disputes
        for statement in made:
            regional_manager = regional[statement.region.code]
            with clock.at(_at(closing + dt.timedelta(days=1))):
                if statement.scheme_id == avtorus.pk and n in DISPUTED_MONTHS:
                    disputes += _dispute(statement, regional_manager, accept=n == ACCEPTED_MONTH)
            statement.refresh_from_db()
            with clock.at(_at(closing + dt.timedelta(days=6))):
                approver = hq_second if statement.changed_by_id == regional_manager.pk else None
                statement_approve(actor=approver or regional_manager, statement=statement)
            with clock.at(_at(closing + dt.timedelta(days=7))):
                statement_approve(actor=hq, statement=statement)
            if statement.scheme_id == avtorus.pk and n in CORRECTED_MONTHS:
                line = statement.lines.filter(kind=LineKind.DEDUCTION).order_by("pk").first()
                if line is not None:
                    with clock.at(_at(closing + dt.timedelta(days=9))):
                        line_adjust(
                            actor=hq_second,
                            line=line,
                            amount=-line.amount,
                            reason="Удержание отменено: сотрудник в отпуске по уходу за ребёнком.",
                        )
                    corrections += 1
    statements = Statement.objects.filter(scheme__in=[avtorus, galamart])
    avtorus.refresh_from_db()
    galamart.refresh_from_db()
    return (
        f"schemes=2 statements={statements.count()} "
        f"locked={statements.filter(status=StatementStatus.LOCKED).count()} "
        f"lines={Line.objects.filter(statement__in=statements).count()} "
        f"disputes={disputes} corrections={corrections} abuse_receipts={abused} "
        f"galamart={galamart.status} ({galamart.events.count()} events)"
    )
