"""Who sees what: the single scoping mechanism of the portal.

Every list in every app is filtered by `Scope.filter(...)`, and every object check by
`Scope.allows(...)`; both are derived from the same `Scope`, so a list and a detail page
can never disagree about whether a user may see a row.

- store staff and store managers: their store;
- regional managers: the stores of their region;
- HQ roles (LP manager, admin): the whole network;
- the hotline (agents, supervisors): the store *directory* of the whole network (code,
  name, address, region: `directory_q`) and no store's data (people, KPIs, compliance,
  certificates: `q` and `allows` answer "nothing");
- auditors: only rows assigned to them (`owner_field`), nothing by store.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, Q, QuerySet

from portal.org.choices import (
    DIRECTORY_ROLES,
    NETWORK_ROLES,
    OWN_ASSIGNMENT_ROLES,
    REGION_ROLES,
    STORE_ROLES,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from portal.org.models import User

M = TypeVar("M", bound=Model)


class ScopeLevel(enum.Enum):
    NONE = "none"
    OWN = "own"
    DIRECTORY = "directory"
    STORE = "store"
    REGION = "region"
    NETWORK = "network"


@dataclass(frozen=True)
class Scope:
    level: ScopeLevel
    user_id: int | None = None
    store_id: int | None = None
    region_id: int | None = None

    def q(
        self,
        *,
        store_field: str | None = "store",
        region_field: str | None = None,
        owner_field: str | None = None,
    ) -> Q:
        """A filter for rows this scope may see.

        `store_field` is the path to the row's store ("" when the row *is* a store),
        `region_field` the path to its region (derived from the store path if omitted),
        `owner_field` the path to the user a row is assigned to (auditors' scope).
        """
        nothing = Q(pk__in=[])
        if self.level is ScopeLevel.NETWORK:
            return Q()
        if self.level is ScopeLevel.OWN:
            return Q(**{owner_field: self.user_id}) if owner_field else nothing
        if region_field is None and store_field is not None:
            region_field = f"{store_field}__region" if store_field else "region"
        if self.level is ScopeLevel.REGION and region_field:
            return Q(**{region_field: self.region_id})
        if self.level is ScopeLevel.STORE and store_field is not None:
            return Q(**{store_field or "pk": self.store_id})
        return nothing

    def filter(self, queryset: QuerySet[M], **paths: str | None) -> QuerySet[M]:
        return queryset.filter(self.q(**paths))

    @property
    def directory_only(self) -> bool:
        """Sees stores' directory entries but none of their data (the hotline)."""
        return self.level is ScopeLevel.DIRECTORY

    def directory_q(self, *, store_field: str = "", region_field: str | None = None) -> Q:
        """Stores (or regions) whose directory entry — code, name, address, region — this
        scope may read: every one for the hotline, the data scope for everyone else."""
        if self.directory_only:
            return Q()
        return self.q(store_field=store_field, region_field=region_field)

    def allows(
        self,
        *,
        store_id: int | None = None,
        region_id: int | None = None,
        owner_id: int | None = None,
    ) -> bool:
        """The same decision as `q()`, for one object already in memory."""
        if self.level is ScopeLevel.NETWORK:
            return True
        if self.level is ScopeLevel.OWN:
            return owner_id is not None and owner_id == self.user_id
        if self.level is ScopeLevel.REGION:
            return region_id is not None and region_id == self.region_id
        if self.level is ScopeLevel.STORE:
            return store_id is not None and store_id == self.store_id
        return False


def scope_for(user: User | AnonymousUser) -> Scope:
    if not user.is_authenticated or not user.is_active:
        return Scope(ScopeLevel.NONE)
    if user.is_superuser or user.role in NETWORK_ROLES:
        return Scope(ScopeLevel.NETWORK, user_id=user.pk)
    if user.role in DIRECTORY_ROLES:
        return Scope(ScopeLevel.DIRECTORY, user_id=user.pk)
    if user.role in REGION_ROLES and user.region_id:
        return Scope(ScopeLevel.REGION, user_id=user.pk, region_id=user.region_id)
    if user.role in STORE_ROLES and user.store_id:
        return Scope(
            ScopeLevel.STORE,
            user_id=user.pk,
            store_id=user.store_id,
            region_id=user.store.region_id,
        )
    if user.role in OWN_ASSIGNMENT_ROLES:
        return Scope(ScopeLevel.OWN, user_id=user.pk)
    return Scope(ScopeLevel.NONE, user_id=user.pk)
