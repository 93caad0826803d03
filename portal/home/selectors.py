"""What each role's dashboard shows. Every function has a fixed query budget."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from portal.org import selectors as org_selectors
from portal.org.choices import Role
from portal.org.models import User
from portal.org.rules import can_view_regions


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
    if user.role == Role.REGIONAL_MANAGER and user.region_id:
        context.update(
            region=user.region,
            region_stores=list(org_selectors.region_store_summary(region=user.region)),
        )
    if user.is_network_role or user.is_superuser:
        regions = list(org_selectors.network_region_summary(user=user))
        context.update(
            network_regions=regions,
            network_store_count=sum(r.store_count for r in regions),
            network_launched_count=sum(r.launched_count for r in regions),
            network_staff_count=sum(r.staff_count for r in regions),
            can_open_regions=can_view_regions.test(user),
        )
    return context
