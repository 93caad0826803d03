"""Permissions of the organisation app as django-rules predicates.

Visibility ("may this user see this object at all?") comes from `scoping`; a view answers
an invisible object with 404. These rules add what a role may *do* with a visible object;
a visible object the role may not use answers 403.

Names use the verb "open" so they never collide with Django's model permissions
(`org.view_store` and friends), which a group could grant network-wide.
"""

from __future__ import annotations

import rules

from portal.org.choices import Role
from portal.org.scoping import scope_for


def role_in(*roles: str):
    """A predicate: the user has one of these roles (superusers always pass)."""

    @rules.predicate(name=f"role_in_{'_'.join(roles)}")
    def predicate(user) -> bool:
        return user.is_authenticated and (user.is_superuser or user.role in roles)

    return predicate


@rules.predicate
def store_in_scope(user, store) -> bool:
    return store is not None and scope_for(user).allows(
        store_id=store.pk, region_id=store.region_id
    )


@rules.predicate
def region_in_scope(user, region) -> bool:
    return region is not None and scope_for(user).allows(region_id=region.pk)


@rules.predicate
def person_in_scope(user, person) -> bool:
    if person is None:
        return False
    region_id = person.store.region_id if person.store_id else person.region_id
    return scope_for(user).allows(store_id=person.store_id, region_id=region_id)


@rules.predicate
def is_self(user, person) -> bool:
    return person is not None and user.pk == person.pk


@rules.predicate
def person_is_active(user, person) -> bool:
    return person is not None and person.is_active


@rules.predicate
def has_store(user) -> bool:
    return bool(user.store_id)


@rules.predicate
def has_region(user) -> bool:
    return bool(user.region_id)


# Content owners (HQ): their role's group may enter the Wagtail admin at /cms/.
CONTENT_OWNER_ROLES = frozenset({Role.LP_MANAGER, Role.ADMIN})
# Those who change content or money-relevant data or see the whole network.
SECOND_FACTOR_ROLES = frozenset(
    {Role.ADMIN, Role.LP_MANAGER, Role.REGIONAL_MANAGER, Role.CALL_CENTER_SUPERVISOR}
)

# Who follows which level of the network (shared by every app's rules).
follows_stores = role_in(Role.STORE_MANAGER, Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)
follows_regions = role_in(Role.REGIONAL_MANAGER, Role.LP_MANAGER, Role.ADMIN)
owns_content = role_in(*CONTENT_OWNER_ROLES)  # HQ: SOPs, exams, the whole network
needs_second_factor = role_in(*SECOND_FACTOR_ROLES)
can_view_people = follows_stores
can_view_regions = follows_regions
is_org_admin = role_in(Role.ADMIN)


@rules.predicate
def is_seller(user) -> bool:
    """A sales assistant or cashier (no superuser pass: an administrator is no seller)."""
    return user.role == Role.STORE_STAFF


# Everyone but sellers and auditors looks stores up (the hotline in the directory only).
looks_up_stores = role_in(
    Role.STORE_MANAGER,
    Role.REGIONAL_MANAGER,
    Role.CALL_CENTER_AGENT,
    Role.CALL_CENTER_SUPERVISOR,
    Role.LP_MANAGER,
    Role.ADMIN,
)
manages_a_region = role_in(Role.REGIONAL_MANAGER) & has_region

rules.add_perm("org.open_store", store_in_scope)
rules.add_perm("org.open_store_people", store_in_scope & can_view_people)
rules.add_perm("org.open_region", region_in_scope & can_view_regions)
rules.add_perm("org.open_person", is_self | (person_in_scope & can_view_people))
rules.add_perm("org.import_org", is_org_admin)
# A first password for a person without e-mail: their store's manager, or a manager above
# within their scope; never for oneself, never for an inactive person.
rules.add_perm(
    "org.issue_activation_code", person_in_scope & can_view_people & ~is_self & person_is_active
)
