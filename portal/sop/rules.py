"""Who may see the SOP compliance views (page visibility itself is the audience rule)."""

from __future__ import annotations

import rules

from portal.org.rules import (
    follows_regions,
    follows_stores,
    owns_content,
    region_in_scope,
    store_in_scope,
)

rules.add_perm("sop.open_network_compliance", owns_content)
rules.add_perm("sop.open_region_compliance", region_in_scope & follows_regions)
rules.add_perm("sop.open_store_compliance", store_in_scope & follows_stores)
