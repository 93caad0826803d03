"""The bonus statement pages' rows of the access matrix.

The world's region A has two stores (A1, where everyone is homed, and A2), region B one
(B1): a zero-sum 1 + 1 scheme on region A puts A1 (80 %) on top and A2 (40 %) at the
bottom; its statement of region B ranks B1 alone and pays nobody. Statements are made by
the period close (no preparer), so the regional manager and HQ may approve them.

Who sees what: HQ every statement, the regional manager their region's, a store manager
the statements (past their draft) their store is in, with only their store; sellers
only their own page; the hotline and auditors nothing (403 on lists, 404 on objects).
A POST that changes a statement, a line or a dispute gets a fresh one for every role."""

from __future__ import annotations

import datetime as dt
import itertools

from conftest import World
from tests.access.cases import Case, R, outcomes

NOBODY_ELSE = {R.AUDITOR: 404, R.CALL_CENTER_AGENT: 404, R.CALL_CENTER_SUPERVISOR: 404}
# A statement of region A past its draft: the seller and the outsiders do not see it.
SEEN_A = outcomes(200, store_staff=404, **NOBODY_ELSE)
DRAFT_A = outcomes(404, regional_manager=200, lp_manager=200, admin=200)
ONLY_HQ_SEES = outcomes(404, lp_manager=200, admin=200)
LIST = outcomes(403, store_manager=200, regional_manager=200, lp_manager=200, admin=200)
MINE = outcomes(403, store_staff=200, store_manager=200, admin=200)
# What only HQ does with what the store and the region see (403 for them).
HQ_ONLY_ON_A = outcomes(403, store_staff=404, lp_manager=302, admin=302, **NOBODY_ELSE)
APPROVERS_ON_A = outcomes(
    403, store_staff=404, regional_manager=302, lp_manager=302, admin=302, **NOBODY_ELSE
)
PAYROLL = outcomes(403, store_staff=404, lp_manager=200, admin=200, **NOBODY_ELSE)
NO_PAYROLL = outcomes(403, store_staff=404, **NOBODY_ELSE)
DISPUTE_A1 = outcomes(403, store_staff=404, store_manager=200, **NOBODY_ELSE)
ADJUST = outcomes(403, store_staff=404, lp_manager=200, admin=200, **NOBODY_ELSE)
FORMULA_FREE = {"outcome": "reject", "decision": "Проверено: верно"}
_fresh = itertools.count(1)


def _scheme(world: World, name: str):
    """A 1 + 1 zero-sum scheme (made once per name) on regions A and B, each ranked
    separately, over October 2026 of store days at A1 80 %, A2 40 %, B1 60 %."""
    from kpi.bonus.models import Scheme
    from kpi.bonus.tests.factories import OCTOBER, scheme, store_days
    from kpi.models import StoreDay

    found = Scheme.objects.filter(name=name).first()
    if found:
        return found
    if not StoreDay.objects.filter(store=world.store_a1, day=OCTOBER.start).exists():
        for store, share in ((world.store_a1, 80), (world.store_a2, 40), (world.store_b1, 60)):
            store_days(store, OCTOBER, penetration=share)
    return scheme(
        world.people[R.LP_MANAGER],
        [world.region_a, world.region_b],
        name=name,
        top_n=1,
        bottom_n=1,
        starts_on=dt.date(2026, 1, 1),
    )


def _statement(world: World, name: str, state: str, region: str = "A"):
    """The statement of region `region` of the scheme `name`, in `state` (draft, open,
    region_approved, locked): drafted and opened by the period close."""
    from kpi.bonus.models import Statement
    from kpi.bonus.services.statements import statement_approve, statement_draft, statement_open
    from kpi.bonus.tests.factories import OCTOBER

    scheme = _scheme(world, name)
    if not Statement.objects.filter(scheme=scheme).exists():
        for statement in statement_draft(actor=None, scheme=scheme, period=OCTOBER):
            if state != "draft":
                statement = statement_open(actor=None, statement=statement)
            if state in ("region_approved", "locked"):
                statement = statement_approve(
                    actor=world.people[R.REGIONAL_MANAGER]
                    if statement.region_id == world.region_a.pk
                    else world.manager_b,
                    statement=statement,
                )
            if state == "locked":
                statement_approve(actor=world.people[R.LP_MANAGER], statement=statement)
    target = world.region_a if region == "A" else world.region_b
    return Statement.objects.get(scheme=scheme, region=target)


def statement_in(state: str, region: str = "A"):
    return lambda w, role: {"pk": _statement(w, f"Матрица: {state}", state, region).pk}


def with_statement_in(state: str):
    """No argument, but region A's statement in `state` exists (the staff's own page)."""

    def kwargs(world: World, role: str) -> dict:
        _statement(world, f"Матрица: {state}", state)
        return {}

    return kwargs


def fresh_statement_in(state: str):
    """A new statement of region A for every request (a POST changes it)."""
    return lambda w, role: {"pk": _statement(w, f"Матрица: {state} #{next(_fresh)}", state).pk}


def _line_of(statement, person):
    return statement.lines.get(person=person)


def line_in(state: str, whose: str = "seller_a1", *, fresh: bool = False):
    """A line of region A's statement in `state`: the A1 seller's, or A2's seller's."""

    def kwargs(world: World, role: str) -> dict:
        name = f"Матрица: {state}" + (f" #{next(_fresh)}" if fresh else "")
        statement = _statement(world, name, state)
        person = world.people[R.STORE_STAFF] if whose == "seller_a1" else world.staff_a2
        return {"pk": _line_of(statement, person).pk}

    return kwargs


def fresh_dispute(world: World, role: str) -> dict:
    """A new open dispute of the A1 seller's line, raised by A1's manager."""
    from kpi.bonus.services.statements import line_dispute

    statement = _statement(world, f"Матрица: спор #{next(_fresh)}", "open")
    line = _line_of(statement, world.people[R.STORE_STAFF])
    dispute = line_dispute(actor=world.people[R.STORE_MANAGER], line=line, comment="Проверьте")
    return {"pk": dispute.pk}


def store_pdf(state: str, store: str, region: str = "A"):
    def kwargs(world: World, role: str) -> dict:
        statement = _statement(world, f"Матрица: {state}", state, region)
        shop = {"A1": world.store_a1, "A2": world.store_a2, "B1": world.store_b1}[store]
        return {"pk": statement.pk, "store_pk": shop.pk}

    return kwargs


def _cases(name: str, target: str, kwargs, expect: dict, *queries: dict, **options) -> list[Case]:
    return [Case(name, target, kwargs, expect, query=q, **options) for q in queries or ({},)]


BONUS_STATEMENTS: list[Case] = [
    # The list: filters (a value outside the person's statements is an error on the page
    # and a 400 for the CSV) and its CSV.
    *_cases(
        "bonus:statements",
        "the statements seen",
        lambda w, role: {},
        LIST,
        {},
        {"format": "csv"},
        {"status": "review"},
        {"status": "locked", "format": "csv"},
        {"region": "RA"},
        {"region": "RB"},
        {"scheme": "0"},
        {"status": "nope"},
        {"page": "2"},
    ),
    *_cases(
        "bonus:statements",
        "an export of a wrong filter",
        lambda w, role: {},
        outcomes(403, store_manager=400, regional_manager=400, lp_manager=400, admin=400),
        {"region": "NOPE", "format": "csv"},
    ),
    # A statement's page.
    *_cases("bonus:statement", "open, region A", statement_in("open"), SEEN_A, {}, {"page": "2"}),
    *_cases("bonus:statement", "draft, region A", statement_in("draft"), DRAFT_A),
    *_cases(
        "bonus:statement",
        "region-approved, region A",
        statement_in("region_approved"),
        SEEN_A,
    ),
    *_cases(
        "bonus:statement",
        "locked, region A, with its late changes",
        statement_in("locked"),
        SEEN_A,
        {},
        {"late": "1"},
    ),
    *_cases("bonus:statement", "open, region B", statement_in("open", "B"), ONLY_HQ_SEES),
    # Actions on a statement.
    *_cases(
        "bonus:statement_open",
        "a fresh draft",
        fresh_statement_in("draft"),
        outcomes(404, regional_manager=403, lp_manager=302, admin=302),
        method="post",
    ),
    *_cases(
        "bonus:statement_open",
        "already open: refused with a message",
        statement_in("open"),
        HQ_ONLY_ON_A,
        method="post",
    ),
    *_cases(
        "bonus:statement_restate",
        "a fresh open statement",
        fresh_statement_in("open"),
        HQ_ONLY_ON_A,
        method="post",
    ),
    *_cases(
        "bonus:statement_restate",
        "locked: never restated",
        statement_in("locked"),
        NO_PAYROLL,
        method="post",
    ),
    *_cases(
        "bonus:statement_approve",
        "a fresh open statement",
        fresh_statement_in("open"),
        APPROVERS_ON_A,
        method="post",
    ),
    *_cases(
        "bonus:statement_approve",
        "a fresh statement approved by the region",
        fresh_statement_in("region_approved"),
        APPROVERS_ON_A,
        method="post",
    ),
    *_cases(
        "bonus:statement_approve",
        "another region's statement",
        statement_in("open", "B"),
        outcomes(404, lp_manager=302, admin=302),
        method="post",
    ),
    # Payroll files: HQ, once locked.
    *_cases(
        "bonus:statement_payroll",
        "locked",
        statement_in("locked"),
        PAYROLL,
        {},
        {"format": "xlsx"},
        {"format": "csv"},
    ),
    *_cases(
        "bonus:statement_payroll",
        "locked, an unknown format",
        statement_in("locked"),
        outcomes(403, store_staff=404, lp_manager=404, admin=404, **NOBODY_ELSE),
        {"format": "pdf"},
    ),
    *_cases(
        "bonus:statement_payroll",
        "not locked yet",
        statement_in("region_approved"),
        NO_PAYROLL,
        {},
        {"format": "csv"},
    ),
    # A store's PDF: its manager, the region's manager, HQ.
    *_cases("bonus:statement_store_pdf", "A1, open", store_pdf("open", "A1"), SEEN_A),
    *_cases(
        "bonus:statement_store_pdf",
        "A2, open",
        store_pdf("open", "A2"),
        outcomes(404, regional_manager=200, lp_manager=200, admin=200),
    ),
    *_cases("bonus:statement_store_pdf", "A1, locked", store_pdf("locked", "A1"), SEEN_A),
    *_cases(
        "bonus:statement_store_pdf",
        "B1 on region A's statement: no result",
        store_pdf("open", "B1"),
        outcomes(404),
    ),
    *_cases(
        "bonus:statement_store_pdf",
        "B1, region B",
        store_pdf("open", "B1", "B"),
        ONLY_HQ_SEES,
    ),
    # Disputes: the store's manager, on their store's lines.
    *_cases("bonus:line_dispute", "A1's line, open", line_in("open"), DISPUTE_A1),
    *_cases(
        "bonus:line_dispute",
        "A2's line, open",
        line_in("open", "seller_a2"),
        outcomes(403, store_staff=404, store_manager=404, **NOBODY_ELSE),
    ),
    *_cases("bonus:line_dispute", "A1's line, locked", line_in("locked"), DISPUTE_A1),
    *_cases(
        "bonus:line_dispute",
        "A1's line of a fresh open statement: filed",
        line_in("open", fresh=True),
        outcomes(403, store_staff=404, store_manager=302, **NOBODY_ELSE),
        method="post",
        data={"comment": "Продавец был в отпуске"},
    ),
    *_cases(
        "bonus:line_dispute",
        "without a comment: the form says so",
        line_in("open"),
        DISPUTE_A1,
        method="post",
        data={"comment": ""},
    ),
    *_cases(
        "bonus:dispute_decide",
        "a fresh dispute, rejected",
        fresh_dispute,
        outcomes(
            403, store_staff=404, regional_manager=302, lp_manager=302, admin=302, **NOBODY_ELSE
        ),
        method="post",
        data=FORMULA_FREE,
    ),
    *_cases(
        "bonus:dispute_decide",
        "a fresh dispute, accepted excluding the person",
        fresh_dispute,
        outcomes(
            403, store_staff=404, regional_manager=302, lp_manager=302, admin=302, **NOBODY_ELSE
        ),
        method="post",
        data={"outcome": "accept", "exclude": "person", "decision": "Отпуск"},
    ),
    *_cases(
        "bonus:dispute_decide",
        "not a page",
        fresh_dispute,
        outcomes(405),
    ),
    # Corrections of a locked line: HQ.
    *_cases(
        "bonus:line_adjust",
        "A1's locked line",
        line_in("locked"),
        ADJUST,
        {},
        {"amount": "1000.00", "reason": "Поздние чеки"},
        {"amount": "nope"},
    ),
    *_cases("bonus:line_adjust", "A1's open line: nothing to correct", line_in("open"), ADJUST),
    *_cases(
        "bonus:line_adjust",
        "A1's locked line: filed",
        line_in("locked"),
        outcomes(403, store_staff=404, lp_manager=302, admin=302, **NOBODY_ELSE),
        method="post",
        data={"amount": "1000.00", "reason": "Поздние чеки"},
    ),
    # The staff's own page.
    *_cases("bonus:mine", "own lines", lambda w, role: {}, MINE, {}, {"page": "2"}),
    *_cases("bonus:mine", "own lines of an open statement", with_statement_in("open"), MINE),
]
