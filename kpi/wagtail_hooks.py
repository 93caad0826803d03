"""The CMS side of KPIs: LP managers set plans (targets per KPI, store or region, and
period). Every change is logged by Wagtail (history of each plan)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from kpi.models import Plan


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
