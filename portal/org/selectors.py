"""Reads of the organisation, always scoped to the user asking."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from portal.org.models import OrgEvent, Region, Store, User
from portal.org.scoping import scope_for


@dataclass(frozen=True)
class RegionRef:
    pk: int
    code: str
    name: str


@dataclass(frozen=True)
class StoreRef:
    """What the store tables and their CSV show of a store, read as values: for a
    thousand stores, model objects cost more than the figures beside them."""

    pk: int
    code: str
    name: str
    region: RegionRef


# The values a `StoreRef` is made of, as `values_list` names them (prefix them with the
# relation to read them through another model: `store__code`).
STORE_REF_FIELDS = ("pk", "code", "name", "region_id", "region__code", "region__name")


class StoreRefs:
    """Makes `StoreRef`s from `STORE_REF_FIELDS` values, one `RegionRef` per region."""

    def __init__(self) -> None:
        self.regions: dict[int, RegionRef] = {}

    def __call__(
        self, pk: int, code: str, name: str, region_id: int, region_code: str, region_name: str
    ) -> StoreRef:
        region = self.regions.get(region_id)
        if region is None:
            region = self.regions[region_id] = RegionRef(region_id, region_code, region_name)
        return StoreRef(pk, code, name, region)


def store_refs(stores: QuerySet[Store]) -> list[StoreRef]:
    """The stores by code, in one query."""
    make = StoreRefs()
    return [make(*row) for row in stores.order_by("code").values_list(*STORE_REF_FIELDS)]


def stores_visible_to(*, user: User) -> QuerySet[Store]:
    return scope_for(user).filter(Store.objects.select_related("region"), store_field="")


def stores_of(
    *, region: Region | None = None, store: Store | None = None, active_only: bool = False
) -> QuerySet[Store]:
    """The network's stores, or a region's, or one store, NOT scoped to a user.

    For figures a view has already authorised at that level (a leaderboard ranks every store
    of the network before showing the user's own rows; a region's compliance)."""
    stores = Store.objects.all()
    if region is not None:
        stores = stores.filter(region=region)
    if store is not None:
        stores = stores.filter(pk=store.pk)
    if active_only:
        stores = stores.filter(is_active=True)
    return stores


def people_of(*, store: Store | None = None) -> QuerySet[User]:
    """Everyone in the network, or a store's people, NOT scoped to a user (see `stores_of`)."""
    people = User.objects.all()
    return people.filter(store=store) if store is not None else people


def store_directory(*, user: User) -> QuerySet[Store]:
    """Stores whose directory entry (code, name, address, region) the user may read.

    The same as `stores_visible_to` except for the hotline, whose scope is the directory of
    the whole network: views that show more of a store than its entry use the other one.
    """
    return Store.objects.select_related("region").filter(
        scope_for(user).directory_q(store_field="")
    )


def directory_regions(*, user: User) -> QuerySet[Region]:
    """Regions to filter the store directory by."""
    return Region.objects.filter(
        scope_for(user).directory_q(store_field=None, region_field="pk")
    ).order_by("name")


def regions_visible_to(*, user: User) -> QuerySet[Region]:
    return scope_for(user).filter(Region.objects.all(), store_field=None, region_field="pk")


def people_visible_to(*, user: User) -> QuerySet[User]:
    scope = scope_for(user)
    # A person belongs to a store (store people) or directly to a region (managers).
    q = scope.q(store_field="store") | scope.q(store_field=None, region_field="region")
    return User.objects.filter(q).select_related("store", "store__region", "region")


def store_list(*, user: User, query: str = "", region_code: str = "") -> QuerySet[Store]:
    """The store directory the user may read; with the head count where the user's scope
    covers the stores' people (not for the hotline)."""
    stores = store_directory(user=user)
    if not scope_for(user).directory_only:
        stores = stores.annotate(staff_count=Count("people", filter=Q(people__is_active=True)))
    if region_code:
        stores = stores.filter(region__code=region_code)
    if query:
        stores = stores.filter(
            Q(code__icontains=query) | Q(name__icontains=query) | Q(city__icontains=query)
        )
    return stores.order_by("code")


def store_get_visible(*, user: User, code: str) -> Store:
    """Fetch a store the user may see; 404 otherwise (never reveal that it exists)."""
    store = stores_visible_to(user=user).filter(code=code).first()
    if store is None:
        raise Http404
    return store


def store_directory_get(*, user: User, code: str) -> Store:
    """Fetch a store's directory entry the user may read; 404 otherwise."""
    store = store_directory(user=user).filter(code=code).first()
    if store is None:
        raise Http404
    return store


def region_get_visible(*, user: User, code: str) -> Region:
    region = regions_visible_to(user=user).filter(code=code).first()
    if region is None:
        raise Http404
    return region


def person_get_visible(*, user: User, personnel_number: str) -> User:
    person = people_visible_to(user=user).filter(personnel_number=personnel_number).first()
    if person is None and user.personnel_number == personnel_number:
        person = user
    if person is None:
        raise Http404
    return person


def store_people(*, store: Store) -> QuerySet[User]:
    return store.people.order_by("-is_active", "role", "last_name", "first_name")


def region_store_summary(*, region: Region) -> QuerySet[Store]:
    return (
        region.stores.annotate(
            staff_count=Count("people", filter=Q(people__is_active=True)),
            manager_count=Count(
                "people", filter=Q(people__is_active=True, people__role="store_manager")
            ),
        )
        .select_related("region")
        .order_by("code")
    )


def network_region_summary(*, user: User) -> QuerySet[Region]:
    return regions_visible_to(user=user).annotate(
        store_count=Count("stores", filter=Q(stores__is_active=True), distinct=True),
        launched_count=Count(
            "stores",
            filter=Q(stores__is_active=True, stores__lp_launch_date__isnull=False),
            distinct=True,
        ),
        staff_count=Count(
            "stores__people", filter=Q(stores__people__is_active=True), distinct=True
        ),
    )


def directory_region_summary(*, user: User) -> QuerySet[Region]:
    """Regions of the store directory with their open stores and LP launches (no people)."""
    return directory_regions(user=user).annotate(
        store_count=Count("stores", filter=Q(stores__is_active=True)),
        launched_count=Count(
            "stores", filter=Q(stores__is_active=True, stores__lp_launch_date__isnull=False)
        ),
    )


def person_events(*, person: User, limit: int = 20) -> QuerySet[OrgEvent]:
    return OrgEvent.objects.filter(person=person).select_related("actor")[:limit]
