"""The complaint desk's rows of the access matrix: the reports page, each CSV table, the
PDF and the filters. The desk's supervisors and HQ read the network, a regional manager
their region, a store manager their store; hotline agents, sellers and auditors are
refused (403). A region or store outside the person's level is 404; the agents' figures
are for the supervisors and HQ only."""

from __future__ import annotations

from tests.access.cases import Case, outcomes

READERS = ("store_manager", "regional_manager", "call_center_supervisor", "lp_manager", "admin")
REPORTS = outcomes(403, **dict.fromkeys(READERS, 200))
NAMES_AGENTS = outcomes(403, call_center_supervisor=200, lp_manager=200, admin=200)
MARCH = {"period": "custom", "start": "2026-03-01", "end": "2026-03-31"}
BAD_RANGE = {"period": "custom", "start": "2026-03-31", "end": "2026-03-01"}


def _but(table: dict, **overrides) -> dict:
    return table | overrides


def _reports(target: str, expect: dict, *queries: dict) -> list[Case]:
    return [Case("incidents:reports", target, expect=expect, query=q) for q in queries]


DESK_REPORTS: list[Case] = [
    *_reports(
        "the level followed",
        REPORTS,
        {},
        {"period": "this_month"},
        {"period": "last_month"},
        {"period": "quarter"},
        MARCH,
        {"category": "bonus_not_credited"},
        {"store": "A1"},
        BAD_RANGE,  # the page names the wrong field
        {"category": "nope"},
        {"format": "pdf"},
        MARCH | {"format": "pdf", "category": "lost_card"},
        *(
            MARCH | {"format": "csv", "table": table}
            for table in ("summary", "categories", "regions", "stores", "months", "weeks", "causes")
        ),
    ),
    *_reports(
        "the agents' figures name them: the desk's supervisors and HQ",
        NAMES_AGENTS,
        MARCH | {"format": "csv", "table": "agents"},
    ),
    *_reports(
        "own region A",
        _but(REPORTS, store_manager=404),
        {"region": "RA"},
        {"region": "RA", "format": "csv", "table": "stores"},
    ),
    *_reports(
        "same region store A2",
        _but(REPORTS, store_manager=404),
        {"store": "A2"},
        {"store": "A2", "format": "pdf"},
    ),
    *_reports(
        "other region B",
        _but(REPORTS, store_manager=404, regional_manager=404),
        {"region": "RB"},
        {"store": "B1"},
        {"region": "RB", "format": "csv", "table": "categories"},
    ),
    *_reports(
        "a store outside the chosen region: the page says so",
        _but(REPORTS, store_manager=404, regional_manager=404),
        {"region": "RA", "store": "B1"},
    ),
    *_reports(
        "an export of wrong filters",
        outcomes(403, **dict.fromkeys(READERS, 400)),
        BAD_RANGE | {"format": "csv", "table": "stores"},
        BAD_RANGE | {"format": "pdf"},
    ),
    *_reports(
        "an unknown table",
        outcomes(403, **dict.fromkeys(READERS, 404)),
        MARCH | {"format": "csv", "table": "nope"},
    ),
]
