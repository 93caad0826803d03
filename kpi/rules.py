"""Who may see the KPIs, rank stores, load receipts and follow the loading log."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import follows_regions, owns_content, role_in, store_in_scope

store_people = role_in(Role.STORE_STAFF, Role.STORE_MANAGER)

rules.add_perm("kpi.view_leaderboard", follows_regions)
rules.add_perm("kpi.open_store", store_in_scope & (store_people | follows_regions))
rules.add_perm("kpi.upload_receipts", follows_regions)
rules.add_perm("kpi.see_all_imports", owns_content)
