"""What the kpi app adds to dashboards (registered in `KpiConfig.ready`): the store's
place for its people, the top and bottom stores for managers — penetration, this month."""

from __future__ import annotations

from kpi.metrics import BY_CODE
from kpi.periods import month_of, period_from
from kpi.selectors import latest_day, leaderboard, scope_plan, totals_of
from portal.org.choices import Role
from portal.org.models import Store

PENETRATION = BY_CODE["penetration"]


def _period():
    day = latest_day()
    return month_of(day) if day else period_from({})


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
    region = user.region if user.role == Role.REGIONAL_MANAGER and user.region_id else None
    if region is not None:
        stores = stores.filter(region=region)
    board = leaderboard(kpi=PENETRATION, stores=stores, period=period)
    totals = totals_of(stores=stores, start=period.start, end=period.end)
    plan = scope_plan(kpi=PENETRATION.code, region=region, period=period)
    return {
        "plan": plan,
        "kpi": PENETRATION,
        "period": period,
        "region": region,
        "value": PENETRATION.of(totals),
        "top": board.ranked[:3],
        "bottom": board.ranked[-3:] if len(board.ranked) >= 6 else [],
        "ranked": len(board.ranked),
    }
