"""Who may see the SOP compliance views (page visibility itself is the audience rule)."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import region_in_scope, role_in, store_in_scope

follows_network = role_in(Role.LP_MANAGER, Role.ADMIN)
follows_regions = role_in(Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)
follows_stores = role_in(Role.STORE_MANAGER, Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)

rules.add_perm("sop.open_network_compliance", follows_network)
rules.add_perm("sop.open_region_compliance", region_in_scope & follows_regions)
rules.add_perm("sop.open_store_compliance", store_in_scope & follows_stores)
