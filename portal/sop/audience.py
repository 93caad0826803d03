"""Who a readable page is for: one rule, in Python for rows in memory and in SQL for lists.

A page's audience is a set of roles, optionally narrowed to regions and/or stores (a person
matches when their store or their region is listed). Both forms are tested to agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q

from portal.org.choices import Role


@dataclass(frozen=True)
class Audience:
    roles: frozenset[str]
    region_ids: frozenset[int] = frozenset()
    store_ids: frozenset[int] = frozenset()

    def includes(self, *, role: str, store_id: int | None, region_id: int | None) -> bool:
        if role not in self.roles:
            return False
        if not self.region_ids and not self.store_ids:
            return True
        return (store_id is not None and store_id in self.store_ids) or (
            region_id is not None and region_id in self.region_ids
        )

    def admits(self, placement: Placement) -> bool:
        return self.includes(
            role=placement.role, store_id=placement.store_id, region_id=placement.region_id
        )


@dataclass(frozen=True)
class Placement:
    """Where a person stands, as far as audiences care."""

    person_id: int
    role: str
    store_id: int | None
    region_id: int | None

    @classmethod
    def of(cls, person) -> Placement:
        region_id = person.store.region_id if person.store_id else person.region_id
        return cls(person.pk, person.role, person.store_id, region_id)


def audience_q(placement: Placement) -> Q:
    """ReadablePage rows whose audience includes this placement."""
    from portal.sop.models import ReadablePage

    regions = ReadablePage.audience_regions.through.objects.filter(readablepage_id=OuterRef("pk"))
    stores = ReadablePage.audience_stores.through.objects.filter(readablepage_id=OuterRef("pk"))
    if placement.role not in Role.values:
        return Q(pk__in=[])
    everywhere = ~Exists(regions) & ~Exists(stores)
    here = Exists(stores.filter(store_id=placement.store_id)) | Exists(
        regions.filter(region_id=placement.region_id)
    )
    return Q(audience_roles__contains=f",{placement.role},") & (everywhere | here)
