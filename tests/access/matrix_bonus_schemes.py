"""The bonus schemes' rows of the access matrix: the list, the form, a scheme's page, its
change, archive, simulation and close, and HR's terms. HQ (LP managers, admins) sees
and changes every scheme; a regional manager sees (and simulates) the schemes covering
their region — one on region A, one on the whole network — and changes none (403);
everyone else is refused the list (403) and told no scheme exists (404). A scheme on
region B is outside the regional manager's sight (404). The world's people are all
homed in region A."""

from __future__ import annotations

import datetime as dt

from conftest import World
from kpi.bonus.tests.factories import scheme
from kpi.periods import month_of
from portal.org.choices import Role
from tests.access.cases import Case, outcomes

HQ_ONLY = outcomes(403, lp_manager=200, admin=200)
FOLLOWERS = outcomes(403, regional_manager=200, lp_manager=200, admin=200)
# A scheme the regional manager follows (region A, the network), or does not (region B).
SEEN = outcomes(404, regional_manager=200, lp_manager=200, admin=200)
SEEN_BY_HQ = outcomes(404, lp_manager=200, admin=200)
CHANGED = outcomes(404, regional_manager=403, lp_manager=200, admin=200)
POSTED = outcomes(404, regional_manager=403, lp_manager=302, admin=302)
POSTED_BY_HQ = outcomes(404, lp_manager=302, admin=302)
NOT_POST = outcomes(405)

# The last month that has ended (the schemes below are in force from 1 January 2026).
LAST_MONTH = month_of(dt.date.today()).previous().slug
NAMES = {"a": "Схема региона А", "b": "Схема региона Б", "network": "Схема сети"}


def _scheme(which: str):
    """A scheme of the LP manager (made once per test): on region A, B or the network."""

    def kwargs(world: World, role: str) -> dict:
        from kpi.bonus.models import Scheme

        found = Scheme.objects.filter(name=NAMES[which]).first()
        if found is None:
            regions = {"a": [world.region_a], "b": [world.region_b], "network": []}
            found = scheme(world.people[Role.LP_MANAGER], regions[which], name=NAMES[which])
        return {"pk": found.pk}

    return kwargs


FORM = {
    "name": "Новая схема",
    "metric": "penetration",
    "period": "month",
    "scope": "region",
    "payees": "staff",
    "mode": "zero_sum",
    "split": "equal",
    "top_n": "3",
    "bottom_n": "3",
    "award": "0",
    "deduction": "3000",
    "deduction_cap": "10000",
    "resume_after": "1",
    "dispute_days": "5",
    "accrual_code": "2000",
    "deduction_code": "2010",
    "starts_on": "2026-01-01",
}
BAD_FORM = FORM | {"mode": "threshold", "metric": "scorecard", "award": "0", "deduction": "0"}


def _on(url_name: str, target: str, which: str, expect: dict, **kw) -> Case:
    return Case(url_name, f"{target}, scheme {which}", _scheme(which), expect, **kw)


def _every_scheme(url_name: str, target: str, followed: dict, not_followed: dict, **kw):
    return [
        _on(url_name, target, "a", followed, **kw),
        _on(url_name, target, "network", followed, **kw),
        _on(url_name, target, "b", not_followed, **kw),
    ]


BONUS_SCHEMES: list[Case] = [
    Case("bonus:schemes", "the schemes followed", expect=FOLLOWERS),
    Case("bonus:scheme_new", "HQ's form", expect=HQ_ONLY),
    Case(
        "bonus:scheme_new",
        "a scheme set up",
        expect=outcomes(403, lp_manager=302, admin=302),
        method="post",
        data=FORM,
    ),
    Case(
        "bonus:scheme_new",
        "a threshold on the scorecard: the field named",
        expect=HQ_ONLY,
        method="post",
        data=BAD_FORM,
    ),
    *_every_scheme("bonus:scheme", "its page", SEEN, SEEN_BY_HQ),
    *_every_scheme("bonus:scheme_edit", "its form", CHANGED, SEEN_BY_HQ),
    *_every_scheme("bonus:scheme_edit", "changed", POSTED, POSTED_BY_HQ, method="post", data=FORM),
    _on("bonus:scheme_edit", "a wrong change", "a", CHANGED, method="post", data=BAD_FORM),
    *_every_scheme("bonus:scheme_archive", "archived", POSTED, POSTED_BY_HQ, method="post"),
    _on("bonus:scheme_archive", "not by GET", "a", NOT_POST),
    *_every_scheme("bonus:scheme_simulate", "the latest period", SEEN, SEEN_BY_HQ),
    *(
        _on("bonus:scheme_simulate", f"period {period}", which, SEEN, query={"period": period})
        for which in ("a", "network")
        for period in (LAST_MONTH, "2026-01", "2026-W10", "nope", "2099-01")
    ),
    _on("bonus:scheme_simulate", "period", "b", SEEN_BY_HQ, query={"period": LAST_MONTH}),
    *_every_scheme(
        "bonus:scheme_close",
        "the last month closed",
        POSTED,
        POSTED_BY_HQ,
        method="post",
        data={"period": LAST_MONTH},
    ),
    *(
        _on("bonus:scheme_close", f"refused: {why}", "a", POSTED, method="post", data=data)
        for why, data in (
            ("not ended", {"period": "2099-01"}),
            ("a wrong period", {"period": "nope"}),
            ("no period", {}),
        )
    ),
    _on("bonus:scheme_close", "not by GET", "a", NOT_POST),
    Case("bonus:terms", "HR's terms", expect=HQ_ONLY),
    Case(
        "bonus:terms",
        "an upload without a file: the field named",
        expect=HQ_ONLY,
        method="post",
    ),
]
