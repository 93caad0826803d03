"""The abuse flags' rows of the access matrix: the list (its filters and CSV), a flag's
page and the decision on it.

HQ (LP managers, admins) sees every flag; a regional manager the flags of their region's
stores (the world's region A: a flag on A1 yes, on B1 no: 404); store people, auditors
and the hotline are refused the list (403) and told no flag exists (404). Only an LP
manager decides (admins are superusers: they pass every rule); a regional manager who
sees the flag is refused (403). A decision changes the flag, so each role posts on a
fresh one."""

from __future__ import annotations

import itertools

from conftest import World
from tests.access.cases import Case, outcomes

LIST = outcomes(403, regional_manager=200, lp_manager=200, admin=200)
HQ_SEES_ALL = outcomes(403, lp_manager=200, admin=200, regional_manager=404)
SEEN_A = outcomes(404, regional_manager=200, lp_manager=200, admin=200)
SEEN_B = outcomes(404, lp_manager=200, admin=200)
DECIDE_A = outcomes(404, regional_manager=403, lp_manager=302, admin=302)
DECIDE_B = outcomes(404, lp_manager=302, admin=302)
DECISION = {"decision": "clear", "note": "Проверено: покупки семьи, оплачены."}
_fresh = itertools.count(1)


def flag_at(store_code: str = "A1", *, fresh: bool = False):
    """A flag on the world's store (made once per store, or afresh for every request
    when a POST decides it)."""

    def kwargs(world: World, role: str) -> dict:
        from kpi.bonus.models import AbuseFlag
        from kpi.bonus.tests.factories_flags import flag_raised
        from portal.org.models import Store

        card = f"7700{next(_fresh):010d}" if fresh else f"7700{store_code}00000000"
        found = None if fresh else AbuseFlag.objects.filter(card_id=card).first()
        if found is None:
            found = flag_raised(Store.objects.get(code=store_code), card_id=card)
        return {"pk": found.pk}

    return kwargs


def _list(target: str, expect: dict, *queries: dict) -> list[Case]:
    return [Case("bonus:flags", target, expect=expect, query=q) for q in queries]


BONUS_FLAGS: list[Case] = [
    *_list(
        "the flags followed",
        LIST,
        {},
        {"status": "open"},
        {"status": "cleared"},
        {"kind": "card_daily"},
        {"kind": "cashier_share", "status": "open"},
        {"page": "2"},
        {"format": "csv"},
        {"format": "csv", "status": "open", "kind": "card_daily"},
    ),
    *_list("own region A", LIST, {"region": "RA"}, {"region": "RA", "format": "csv"}),
    *_list("other region B", HQ_SEES_ALL, {"region": "RB"}, {"region": "RB", "format": "csv"}),
    Case("bonus:flag", "a flag on A1", flag_at("A1"), SEEN_A),
    Case("bonus:flag", "a flag on B1", flag_at("B1"), SEEN_B),
    Case(
        "bonus:flag_decide",
        "clear a flag on A1",
        flag_at("A1", fresh=True),
        DECIDE_A,
        method="post",
        data=DECISION,
    ),
    Case(
        "bonus:flag_decide",
        "confirm a flag on B1",
        flag_at("B1", fresh=True),
        DECIDE_B,
        method="post",
        data={"decision": "confirm", "note": "Подтверждаю"},
    ),
    Case(
        "bonus:flag_decide",
        "a decision without a note (refused, back to the flag)",
        flag_at("A1", fresh=True),
        DECIDE_A,
        method="post",
        data={"decision": "clear", "note": ""},
    ),
    Case("bonus:flag_decide", "not by GET", flag_at("A1"), outcomes(405)),
]
