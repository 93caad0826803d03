"""What each role's dashboard shows. Every function has a fixed query budget."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from portal.home import panels
from portal.org import selectors as org_selectors
from portal.org.choices import Role
from portal.org.models import User
from portal.org.rules import can_view_regions, follows_stores
from portal.org.scoping import ScopeLevel, scope_for
from portal.sop import selectors as sop_selectors
from portal.sop.compliance import compliance_figures, compliance_figures_for_stores


def dashboard_template(*, user: User) -> str:
    role = user.role if user.role in Role.values else Role.ADMIN
    return f"home/dashboard/{role}.html"


def dashboard_context(*, user: User) -> dict[str, Any]:
    """The org facts a role's dashboard stands on; later apps add their own panels."""
    context: dict[str, Any] = {"role": user.role}
    if user.store_id:
        store = user.store
        counts = store.people.filter(is_active=True).aggregate(
            staff=Count("pk"),
            managers=Count("pk", filter=Q(role=Role.STORE_MANAGER)),
        )
        context.update(
            store=store,
            store_region=store.region,
            store_staff_count=counts["staff"],
            store_managers=list(
                store.people.filter(is_active=True, role=Role.STORE_MANAGER).only(
                    "first_name", "last_name", "middle_name", "email"
                )
            ),
        )
    scope = scope_for(user)
    if scope.level is ScopeLevel.REGION:
        context.update(
            region=user.region,
            region_stores=list(org_selectors.region_store_summary(region=user.region)),
        )
    context.update(_library_context(user=user))
    context["extra_panels"] = panels.panels_for(user)
    if scope.level is ScopeLevel.NETWORK:
        regions = list(org_selectors.network_region_summary(user=user))
        context.update(
            network_regions=regions,
            network_store_count=sum(r.store_count for r in regions),
            network_launched_count=sum(r.launched_count for r in regions),
            network_staff_count=sum(r.staff_count for r in regions),
            can_open_regions=can_view_regions.test(user),
        )
    elif scope.directory_only:
        context["directory_regions"] = list(org_selectors.directory_region_summary(user=user))
    return context


def _library_context(*, user: User) -> dict[str, Any]:
    """SOP panels: what to read, who is responsible, and the confirmations the role follows."""
    required = sop_selectors.reading_list(person=user)
    pending = [item for item in required if item.requirement.pending]
    context: dict[str, Any] = {
        "reading_pending": pending[:5],
        "reading_pending_count": len(pending),
        "reading_required_count": len(required),
        "owners": sop_selectors.responsibles_for_user(user=user),
    }
    scope = scope_for(user)
    if scope.level is ScopeLevel.STORE and follows_stores.test(user):
        book = compliance_figures_for_stores(stores=org_selectors.stores_visible_to(user=user))
        context["compliance_url"] = reverse("sop:compliance_store", args=[user.store.code])
        context["compliance_total"] = book.total
    elif scope.level is ScopeLevel.REGION:
        book = compliance_figures_for_stores(stores=org_selectors.stores_visible_to(user=user))
        context["compliance_url"] = reverse("sop:compliance_region", args=[user.region.code])
        context["compliance_total"] = book.total
        behind = [row for row in book.stores_behind_first() if row.tally.required]
        context["compliance_laggards"] = behind[:5]
    elif scope.level is ScopeLevel.NETWORK:
        book = compliance_figures(
            stores=org_selectors.stores_of(), storeless=org_selectors.people_of(), by_store=False
        )
        context["compliance_total"] = book.total
        context["compliance_url"] = reverse("sop:compliance")
        context["reviews_overdue"] = list(sop_selectors.reviews_overdue()[:10])
    if scope.directory_only:
        context["scripts"] = list(
            sop_selectors.pages_readable_by(user=user)
            .filter(scriptpage__isnull=False)
            .order_by("title")
        )
    return context
