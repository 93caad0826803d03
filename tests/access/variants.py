"""Query variants of the matrix's pages: every export (`?format=`) and filter, per role."""

from __future__ import annotations

from tests.access.cases import ALL_ROLES, CC_FORBIDDEN, ONLY_LP_AND_ADMIN, Case, outcomes, store

# Query variants of the pages above: every export (`?format=`) and filter, for every role.
BOARD = outcomes(
    403, regional_manager=200, lp_manager=200, admin=200, store_staff=302, store_manager=302
)
BOARD_PDF = outcomes(403, regional_manager=200, lp_manager=200, admin=200)
KPI_STORE_A1 = outcomes(200, auditor=404, **CC_FORBIDDEN)
KPI_STORE_A2 = outcomes(200, store_staff=404, store_manager=404, auditor=404, **CC_FORBIDDEN)
PEOPLE_A1 = outcomes(200, store_staff=403, auditor=404, **CC_FORBIDDEN)
OWN_REGION = outcomes(404, regional_manager=200, lp_manager=200, admin=200, **CC_FORBIDDEN)
TRAINING_OWNERS = outcomes(403, lp_manager=200, admin=200)
# A period that does not exist: the page says which field is wrong, an export answers 400.
BAD_PERIOD = {"period": "custom", "start": "2026-10-10", "end": "2026-10-01"}
OTHER_BOARD = {"period": "week", "week": "2026-W42", "kpi": "average_receipt"}


def variants(url_name, target, kwargs=lambda w, role: {}, *queries, expect=None):
    return [Case(url_name, target, kwargs, expect or outcomes(200), query=q) for q in queries]


def _but(table: dict, **overrides) -> dict:
    return table | overrides


VARIANTS: list[Case] = [
    *variants(
        "kpi:leaderboard",
        "network or own region",
        lambda w, role: {},
        {"format": "csv"},
        {"region": "RA"},
        {"region": "all"},
        OTHER_BOARD,
        {"period": "month", "month": "2026-10", "format": "csv"},
        {"kpi": "contact_capture", "region": "RA", "format": "csv"},
        {"period": "custom", "start": "2026-10-01", "end": "2026-10-31", "format": "csv"},
        BAD_PERIOD,
        {"kpi": "profit"},
        expect=BOARD,
    ),
    *variants(
        "kpi:leaderboard",
        "other region B",
        lambda w, role: {},
        {"region": "RB"},
        {"region": "RB", "format": "csv"},
        expect=_but(BOARD, regional_manager=404),
    ),
    *variants(
        "kpi:leaderboard",
        "an export of a wrong period",
        lambda w, role: {},
        BAD_PERIOD | {"format": "csv"},
        expect=_but(BOARD, regional_manager=400, lp_manager=400, admin=400),
    ),
    *variants(
        "kpi:leaderboard_pdf",
        "network or own region",
        lambda w, role: {},
        {"region": "RA"},
        {"region": "all"},
        OTHER_BOARD | {"region": "RA"},
        expect=BOARD_PDF,
    ),
    *variants(
        "kpi:leaderboard_pdf",
        "other region B",
        lambda w, role: {},
        {"region": "RB"},
        expect=_but(BOARD_PDF, regional_manager=404),
    ),
    *variants(
        "kpi:leaderboard_pdf",
        "a wrong period",
        lambda w, role: {},
        BAD_PERIOD,
        expect=_but(BOARD_PDF, regional_manager=400, lp_manager=400, admin=400),
    ),
    *variants(
        "kpi:store",
        "own store A1",
        store("A1"),
        {"format": "csv"},
        OTHER_BOARD,
        OTHER_BOARD | {"format": "csv"},
        {"period": "month", "month": "2026-10"},
        BAD_PERIOD,
        expect=KPI_STORE_A1,
    ),
    *variants(
        "kpi:store",
        "own store A1, an export of a wrong period",
        store("A1"),
        BAD_PERIOD | {"format": "csv"},
        expect=_but(KPI_STORE_A1, **{r: 400 for r in ALL_ROLES if KPI_STORE_A1[r] == 200}),
    ),
    *variants("kpi:store", "same region A2", store("A2"), {"format": "csv"}, expect=KPI_STORE_A2),
    *variants(
        "kpi:store",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        OTHER_BOARD,
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "org:store_list", "scoped list", lambda w, role: {}, {"region": "RA"}, {"region": "RB"}
    ),
    *variants(
        "org:store_list_csv",
        "scoped export",
        lambda w, role: {},
        {"region": "RA"},
        {"region": "RB"},
        {"q": "A"},
    ),
    *variants(
        "org:store_people",
        "own store A1",
        store("A1"),
        {"format": "csv"},
        {"format": "pdf"},
        expect=PEOPLE_A1,
    ),
    *variants(
        "org:store_people",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        {"format": "pdf"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "sop:compliance",
        "network, or the level one follows",
        lambda w, role: {},
        {"format": "csv"},
        expect=outcomes(403, lp_manager=200, admin=200, store_manager=302, regional_manager=302),
    ),
    *variants(
        "sop:compliance_region",
        "own region A",
        lambda w, role: {"code": "RA"},
        {"format": "csv"},
        expect=OWN_REGION,
    ),
    *variants(
        "sop:compliance_region",
        "other region B",
        lambda w, role: {"code": "RB"},
        {"format": "csv"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "sop:compliance_store", "own store A1", store("A1"), {"format": "csv"}, expect=PEOPLE_A1
    ),
    *variants(
        "sop:compliance_store",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "training:coverage",
        "network, region, or one's store",
        lambda w, role: {},
        {"format": "csv"},
        {"region": "RA"},
        {"region": "RA", "format": "csv"},
        {"exam": "lp-exam", "format": "csv"},
        expect=outcomes(403, lp_manager=200, admin=200, regional_manager=200, store_manager=302),
    ),
    *variants(
        "training:coverage",
        "other region B (a regional manager keeps their own)",
        lambda w, role: {},
        {"region": "RB", "format": "csv"},
        expect=outcomes(403, lp_manager=200, admin=200, regional_manager=200, store_manager=302),
    ),
    *variants(
        "training:store_report", "own store A1", store("A1"), {"format": "csv"}, expect=PEOPLE_A1
    ),
    *variants(
        "training:store_report",
        "other region B1",
        store("B1"),
        {"format": "csv"},
        expect=ONLY_LP_AND_ADMIN,
    ),
    *variants(
        "training:gaps",
        "knowledge gaps",
        lambda w, role: {"code": "lp-exam"},
        {"by": "region"},
        expect=TRAINING_OWNERS,
    ),
    *variants(
        "training:bank",
        "export",
        lambda w, role: {},
        {"format": "xml"},
        {"format": "csv"},
        expect=TRAINING_OWNERS,
    ),
]
