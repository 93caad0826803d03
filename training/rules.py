"""Who may follow certification and manage the question bank."""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.rules import region_in_scope, role_in, store_in_scope

manages_bank = role_in(Role.LP_MANAGER, Role.ADMIN)
follows_stores = role_in(Role.STORE_MANAGER, Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)
follows_regions = role_in(Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)


@rules.predicate
def owns_certificate(user, certificate) -> bool:
    return certificate is not None and certificate.person_id == user.pk


@rules.predicate
def certificate_in_scope(user, certificate) -> bool:
    return certificate is not None and store_in_scope(user, certificate.person.store)


rules.add_perm("training.manage_bank", manages_bank)
rules.add_perm("training.open_store_report", store_in_scope & follows_stores)
rules.add_perm("training.open_region_report", region_in_scope & follows_regions)
rules.add_perm("training.open_network_report", manages_bank)
rules.add_perm(
    "training.open_certificate", owns_certificate | (certificate_in_scope & follows_stores)
)
