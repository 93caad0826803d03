"""The audits' dashboard panels: the auditor's visits to make; for those who follow
stores, the mystery-shopper score of their level over three months, and what waits for
them (the LP manager: visits to review and appeals to decide; a store manager: the latest
report and open corrective actions). A fixed handful of queries."""

from __future__ import annotations

from django.utils import timezone

from audits.choices import VISIT_OPEN, ActionStatus, AppealStatus, VisitStatus
from audits.models import Appeal, CorrectiveAction, Visit
from audits.selectors.analytics import months_back, score_trend
from audits.selectors.visits import visits_visible_to
from portal.org.scoping import ScopeLevel, scope_for


def auditor_panel(user) -> dict:
    mine = Visit.objects.filter(auditor=user, status__in=VISIT_OPEN)
    return {
        "open": mine.count(),
        "returned": mine.filter(status=VisitStatus.RETURNED).count(),
        "next": mine.order_by("due_on", "pk").select_related("store").first(),
    }


def follows_panel(user) -> dict:
    scope = scope_for(user)
    months = months_back(timezone.localdate(), 3)
    if scope.level is ScopeLevel.STORE:
        trend = score_trend(months=months, store_ids=[scope.store_id])
    elif scope.level is ScopeLevel.REGION:
        trend = score_trend(months=months, region_id=scope.region_id)
    else:
        trend = score_trend(months=months)
    context = {"trend": trend, "latest": None, "actions": None, "review": None, "appeals": None}
    if scope.level is ScopeLevel.NETWORK:
        context["review"] = Visit.objects.filter(status=VisitStatus.SUBMITTED).count()
        context["appeals"] = Appeal.objects.filter(status=AppealStatus.OPEN).count()
    elif scope.level is ScopeLevel.STORE:
        context["latest"] = (
            visits_visible_to(user=user)
            .order_by("-published_at")
            .only("pk", "score", "passed")
            .first()
        )
        context["actions"] = CorrectiveAction.objects.filter(
            visit__store_id=scope.store_id, status=ActionStatus.OPEN
        ).count()
    return context
