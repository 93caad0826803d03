"""The navigation of the portal, by role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.org.choices import Role
from portal.org.rules import follows_stores


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    icon: str
    children: tuple[NavItem, ...] = ()


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [NavItem(_("Dashboard"), reverse("home:dashboard"), "speedometer2")]
    if user.store_id:
        items.append(NavItem(_("My store"), user.store.get_absolute_url(), "shop"))
    if user.role == Role.REGIONAL_MANAGER and user.region_id:
        items.append(NavItem(_("My region"), user.region.get_absolute_url(), "map"))
    items.append(NavItem(_("SOPs"), reverse("sop:library"), "journal-text"))
    items.append(NavItem(_("Exams"), reverse("training:home"), "mortarboard"))
    if user.has_perm("kpi.view_leaderboard"):
        items.append(NavItem(_("Leaderboard"), reverse("kpi:leaderboard"), "trophy"))
    elif user.store_id and user.role in (Role.STORE_STAFF, Role.STORE_MANAGER):
        items.append(NavItem(_("Store KPIs"), reverse("kpi:my_store"), "graph-up"))
    reports = []
    if user.role != Role.STORE_STAFF and user.role != Role.AUDITOR:
        reports.append(NavItem(_("Stores"), reverse("org:store_list"), "shop-window"))
    if follows_stores.test(user):
        reports.append(NavItem(_("Confirmations"), reverse("sop:compliance"), "clipboard-check"))
        reports.append(NavItem(_("Certification"), reverse("training:coverage"), "patch-check"))
    if user.has_perm("training.manage_bank"):
        reports.append(NavItem(_("Question bank"), reverse("training:bank"), "collection"))
    if user.has_perm("kpi.upload_receipts"):
        reports.append(NavItem(_("Load receipts"), reverse("kpi:imports"), "receipt"))
    if user.has_perm("org.import_org"):
        reports.append(NavItem(_("Import"), reverse("org:import"), "upload"))
    if user.has_perm("wagtailadmin.access_admin"):
        reports.append(NavItem(_("Content (CMS)"), reverse("wagtailadmin_home"), "pencil-square"))
    if user.is_staff:
        reports.append(NavItem(_("Administration"), reverse("admin:index"), "gear"))
    if len(reports) == 1:
        items.extend(reports)
    elif reports:
        items.append(NavItem(_("Reports and tools"), "", "grid", tuple(reports)))
    current = request.path
    flat = [child for item in items for child in (item.children or (item,))]
    return {
        "nav_items": items,
        "nav_current": max(
            (i.url for i in flat if current.startswith(i.url) and i.url != "/"),
            key=len,
            default="/" if current == "/" else "",
        ),
    }
