"""The CMS side of KPIs: LP managers set plans (targets per KPI, store or region, and
period). Every change is logged by Wagtail with the plan's values, and an edit with the
old and new value of each changed field (`kpi.plan_actions`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kpi.models import Plan
from kpi.plan_actions import (
    PlanCreateAction,
    PlanDeleteAction,
    PlanEditAction,
    plan_deleted_log,
)


class PlanViewSet(SnippetViewSet):
    model = Plan
    icon = "crosshairs"
    menu_label = _("KPI plans")
    menu_name = "kpi-plans"
    add_to_admin_menu = True
    list_display = [
        "kpi",
        Column("scope_label", label=_("for whom")),
        "starts_on",
        "ends_on",
        "target",
    ]
    list_filter = ["kpi", "region"]
    search_fields = []
    panels = [
        FieldPanel("kpi"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("region"), FieldPanel("store")])],
            heading=_("For whom (leave both empty for the whole network)"),
        ),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("target"),
    ]


register_snippet(PlanViewSet)


@hooks.register("register_actions")
def register_plan_actions(registry) -> None:
    for action in (PlanCreateAction, PlanEditAction, PlanDeleteAction):
        registry.register(Plan, action)


@hooks.register("before_bulk_action")
def log_plans_bulk_deleted(request, action_type, objects, action_class_instance):
    """Wagtail's bulk delete of snippets writes no log entry: log each plan it deletes
    (this hook runs in the bulk action's transaction)."""
    if action_type != "delete":
        return None
    for plan in objects:
        if isinstance(plan, Plan):
            plan_deleted_log(plan=plan, user=request.user)
    return None
