"""Who may see the KPIs, rank stores, load receipts, follow the loading log, and decide
on batches (segregation of duties: receipts drive regional bonuses, so an upload by
anyone outside HQ waits for an LP manager who did not upload it)."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import follows_regions, has_store, owns_content, role_in, store_in_scope

store_people = role_in(Role.STORE_STAFF, Role.STORE_MANAGER)
lp_manager = role_in(Role.LP_MANAGER)
ranks_stores = follows_regions
# A store's people who see no leaderboard follow their own store's figures instead.
follows_own_store_only = store_people & has_store & ~ranks_stores


@rules.predicate
def uploaded_batch(user, batch) -> bool:
    return batch is not None and batch.created_by_id == user.pk


rules.add_perm("kpi.view_leaderboard", ranks_stores)
rules.add_perm("kpi.open_store", store_in_scope & (store_people | follows_regions))
rules.add_perm("kpi.upload_receipts", follows_regions)
rules.add_perm("kpi.see_all_imports", owns_content)
# HQ's own uploads count at once; everyone else's wait for approval.
rules.add_perm("kpi.load_receipts_directly", owns_content)
# Nobody approves their own money-relevant work.
rules.add_perm("kpi.approve_receipt_batch", lp_manager & ~uploaded_batch)
rules.add_perm("kpi.revert_receipt_batch", owns_content)
