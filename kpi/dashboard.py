"""What the kpi app adds to dashboards (registered in `KpiConfig.ready`): the store's
place for its people, the top and bottom stores for managers — penetration, over the
period the leaderboard shows by default."""

from __future__ import annotations

from kpi.metrics import BY_CODE, Totals
from kpi.selectors import board_default_period, latest_day, leaderboard, scope_plan
from portal.org.models import Store
from portal.org.scoping import ScopeLevel, scope_for

PENETRATION = BY_CODE["penetration"]


def _period():
    """The month the leaderboard page shows by default: the running one once it has
    enough days of receipts, else the last complete one."""
    return board_default_period(latest=latest_day()).shown


def store_place_panel(user) -> dict:
    if not user.store_id:
        return {"row": None}
    period = _period()
    store = user.store
    board = leaderboard(
        kpi=PENETRATION,
        stores=Store.objects.filter(is_active=True, region=store.region_id),
        period=period,
    )
    row = board.row_of(store.pk)
    return {
        "kpi": PENETRATION,
        "period": period,
        "store": store,
        "row": row,
        "of": len(board.ranked),
        "gap": board.gap_to_next_place(row) if row else None,
    }


def board_panel(user) -> dict:
    period = _period()
    stores = Store.objects.filter(is_active=True)
    region = user.region if scope_for(user).level is ScopeLevel.REGION else None
    if region is not None:
        stores = stores.filter(region=region)
    board = leaderboard(kpi=PENETRATION, stores=stores, period=period)
    totals = sum((r.totals for r in board.ranked + board.unranked), Totals())
    plan = scope_plan(kpi=PENETRATION.code, region=region, period=period)
    return {
        "plan": plan,
        "kpi": PENETRATION,
        "period": period,
        "region": region,
        "value": PENETRATION.of(totals),
        "top": board.ranked[:3],
        "bottom": [r for r in board.ranked if r.highlight == "bottom"],
        "ranked": len(board.ranked),
    }
