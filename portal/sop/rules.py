"""Who may see the SOP compliance views (page visibility itself is the audience rule)."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import region_in_scope, store_in_scope


def _role_in(*roles: str):
    @rules.predicate(name=f"sop_role_in_{'_'.join(roles)}")
    def predicate(user) -> bool:
        return user.is_authenticated and (user.is_superuser or user.role in roles)

    return predicate


follows_network = _role_in(Role.LP_MANAGER, Role.ADMIN)
follows_regions = _role_in(Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)
follows_stores = _role_in(Role.STORE_MANAGER, Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)

rules.add_perm("sop.open_network_compliance", follows_network)
rules.add_perm("sop.open_region_compliance", region_in_scope & follows_regions)
rules.add_perm("sop.open_store_compliance", store_in_scope & follows_stores)
