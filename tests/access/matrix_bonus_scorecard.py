"""The store scorecard's rows of the access matrix: the board (filters, CSV, PDF), HQ's
weights (GET and POST) and a scheme's effect report (page and CSV).

The board: HQ the network or any region, a regional manager their region only (another
region, or the network, is 404); everyone else 403. The weights: HQ only (403). The effect
report of a scheme: HQ any; a regional manager a scheme covering their region (one of
region A, or one of the whole network); 404 for everyone else, as for any object outside
one's scope."""

from __future__ import annotations

import datetime as dt

from tests.access.cases import Case, R, outcomes

BOARD = outcomes(403, regional_manager=200, lp_manager=200, admin=200)
HQ_ONLY = outcomes(403, lp_manager=200, admin=200)
NOVEMBER = {"period": "month", "month": "2025-11"}
WRONG_MONTH = {"period": "month", "month": "2025-13"}
WEIGHTS = {
    "penetration": "40",
    "audit": "20",
    "coverage": "15",
    "sop": "10",
    "complaints": "10",
    "not_identified": "5",
}


def _but(table: dict, **overrides) -> dict:
    return table | overrides


def scheme_in(region: str | None):
    """A scheme of region A or B (None: the whole network), made once."""

    def kwargs(world, role: str) -> dict:
        from kpi.bonus.models import Scheme
        from kpi.bonus.tests.factories_scorecard import scheme

        name = f"Матрица: схема {region or 'сети'}"
        found = Scheme.objects.filter(name=name).first()
        if found is None:
            regions = {"A": [world.region_a], "B": [world.region_b], None: []}[region]
            found = scheme(
                name=name,
                starts_on=dt.date(2026, 1, 1),
                regions=regions,
                created_by=world.people[R.LP_MANAGER],
            )
        return {"pk": found.pk}

    return kwargs


def _board(target: str, expect: dict, *queries: dict) -> list[Case]:
    return [Case("bonus:scorecard", target, expect=expect, query=q) for q in queries]


def _effect(target: str, region: str | None, expect: dict) -> list[Case]:
    return [
        Case("bonus:scheme_effect", target, scheme_in(region), expect=expect, query=q)
        for q in ({}, {"format": "csv"})
    ]


BONUS_SCORECARD: list[Case] = [
    *_board(
        "the level followed",
        BOARD,
        {},
        NOVEMBER,
        {"period": "week", "week": "2025-W46"},
        {"period": "custom", "start": "2025-11-01", "end": "2025-11-15"},
        WRONG_MONTH,  # the page names the wrong field
        NOVEMBER | {"format": "csv"},
        NOVEMBER | {"format": "pdf"},
        {"region": "RA"},
        {"region": "RA", "format": "csv"},
    ),
    *_board(
        "the network or another region: HQ only",
        _but(BOARD, regional_manager=404),
        {"region": "all"},
        {"region": "RB"},
        {"region": "RB", "format": "csv"},
        {"region": "RB", "format": "pdf"},
    ),
    *_board(
        "an unknown region",
        outcomes(403, **dict.fromkeys(("regional_manager", "lp_manager", "admin"), 404)),
        {"region": "nope"},
    ),
    *_board(
        "an export of a wrong period",
        outcomes(403, regional_manager=400, lp_manager=400, admin=400),
        WRONG_MONTH | {"format": "csv"},
        WRONG_MONTH | {"format": "pdf"},
    ),
    Case("bonus:scorecard_weights", "HQ's weights and their history", expect=HQ_ONLY),
    Case(
        "bonus:scorecard_weights",
        "new weights",
        method="post",
        data=WEIGHTS,
        expect=outcomes(403, lp_manager=302, admin=302),
    ),
    Case(
        "bonus:scorecard_weights",
        "weights all zero: refused, the form again",
        method="post",
        data=dict.fromkeys(WEIGHTS, "0"),
        expect=outcomes(403, lp_manager=400, admin=400),
    ),
    *_effect(
        "a scheme of region A",
        "A",
        outcomes(404, regional_manager=200, lp_manager=200, admin=200),
    ),
    *_effect("a scheme of region B", "B", outcomes(404, lp_manager=200, admin=200)),
    *_effect(
        "a scheme of the whole network",
        None,
        outcomes(404, regional_manager=200, lp_manager=200, admin=200),
    ),
]
