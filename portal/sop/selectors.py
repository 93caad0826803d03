"""Reads of the SOP library: what a person may read, must confirm, and who answers for what."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from wagtail.models import Revision

from portal.org.models import Region, Store, User
from portal.org.rules import owns_content
from portal.sop.audience import Audience, Placement, audience_q
from portal.sop.choices import Aspect, ChangeKind, ReadingStatus
from portal.sop.models import (
    Acknowledgement,
    ReadablePage,
    RereadRequest,
    Responsibility,
    SopVersion,
)
from portal.sop.status import AckRef, Requirement, VersionRef, requirement


def reads_everything(user) -> bool:
    """Content owners read every page, whatever its audience."""
    return owns_content.test(user)


def pages_for(*, user) -> QuerySet[ReadablePage]:
    """Live pages whose audience includes this person (what they are asked to read)."""
    if not user.is_authenticated or not user.is_active:
        return ReadablePage.objects.none()
    return ReadablePage.objects.live().filter(audience_q(Placement.of(user)))


def pages_readable_by(*, user) -> QuerySet[ReadablePage]:
    """Live pages this person may open: their audience's pages, or all for content owners."""
    if reads_everything(user):
        return ReadablePage.objects.live()
    return pages_for(user=user)


def page_audience(page: ReadablePage) -> Audience:
    return Audience(
        roles=frozenset(page.audience_roles),
        region_ids=frozenset(page.audience_regions.values_list("pk", flat=True)),
        store_ids=frozenset(page.audience_stores.values_list("pk", flat=True)),
    )


def page_readable_by(*, page: ReadablePage, user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if reads_everything(user):
        return True
    return page_audience(page).admits(Placement.of(user))


def material_versions(*, page_ids: Iterable[int] | None = None) -> dict[int, VersionRef]:
    """The current material version of each page (one query)."""
    newest = SopVersion.objects.filter(page=OuterRef("page"), kind=ChangeKind.MATERIAL).order_by(
        "-revision_id"
    )
    rows = SopVersion.objects.filter(
        kind=ChangeKind.MATERIAL, revision_id=Subquery(newest.values("revision_id")[:1])
    )
    if page_ids is not None:
        rows = rows.filter(page_id__in=list(page_ids))
    return {
        row.page_id: VersionRef(
            row.pk, row.page_id, row.revision_id, row.published_at, row.change_summary
        )
        for row in rows.only("id", "page_id", "revision_id", "published_at", "change_summary")
    }


def latest_acknowledgements(*, people: QuerySet[User]) -> dict[tuple[int, int], AckRef]:
    """{(person id, page id): newest confirmation} for these people (one query)."""
    rows = (
        Acknowledgement.objects.filter(person__in=people.values("pk"))
        .values("person_id", "page_id")
        .annotate(revision_id=Max("revision_id"), at=Max("acknowledged_at"))
    )
    return {(r["person_id"], r["page_id"]): AckRef(r["revision_id"], r["at"]) for r in rows}


@dataclass(frozen=True)
class ReadingItem:
    page: ReadablePage
    requirement: Requirement
    version: VersionRef | None

    @property
    def status(self) -> ReadingStatus:
        return self.requirement.status


def reading_list(
    *, person: User, today: date | None = None, mandatory_only: bool = True
) -> list[ReadingItem]:
    """What this person must read, overdue first, then by due date."""
    today = today or timezone.localdate()
    pages = pages_for(user=person).order_by("title")
    if mandatory_only:
        pages = pages.filter(mandatory=True)
    pages = list(pages)
    versions = material_versions(page_ids=[p.pk for p in pages])
    acks = latest_acknowledgements(people=User.objects.filter(pk=person.pk))
    items = [
        ReadingItem(
            page,
            requirement(
                version=versions.get(page.pk),
                ack=acks.get((person.pk, page.pk)),
                due_days=page.due_days,
                started_on=person.started_on,
                today=today,
            ),
            versions.get(page.pk),
        )
        for page in pages
    ]
    order = {ReadingStatus.OVERDUE: 0, ReadingStatus.RECONFIRM: 1, ReadingStatus.TO_READ: 2}
    return sorted(
        items,
        key=lambda i: (order.get(i.status, 3), i.requirement.due or date.max, i.page.title),
    )


def reviews_overdue(*, today: date | None = None) -> QuerySet[ReadablePage]:
    """Live pages whose review-by date has passed (the LP manager's to-do)."""
    today = today or timezone.localdate()
    return (
        ReadablePage.objects.live()
        .filter(review_by__lt=today)
        .select_related("content_owner")
        .order_by("review_by")
    )


def page_versions(*, page: ReadablePage) -> QuerySet[SopVersion]:
    return page.versions.select_related("author").order_by("-revision_id")


@dataclass(frozen=True)
class AspectOwner:
    aspect: str
    label: str
    responsibility: Responsibility | None


def responsibles_for(
    *, store: Store | None = None, region: Region | None = None
) -> list[AspectOwner]:
    """Who answers for each aspect here: the store's own, else its region's, else HQ's."""
    region_id = store.region_id if store is not None else (region.pk if region else None)
    here = Q(region__isnull=True, store__isnull=True)
    if region_id is not None:
        here |= Q(region_id=region_id, store__isnull=True)
    if store is not None:
        here |= Q(store_id=store.pk)
    rows = Responsibility.objects.filter(here).select_related(
        "person", "person__store", "region", "store"
    )
    best: dict[str, Responsibility] = {}
    for row in sorted(rows, key=_specificity):  # the most specific row wins
        best[row.aspect] = row
    return [AspectOwner(code, label, best.get(code)) for code, label in Aspect.choices]


def _specificity(row: Responsibility) -> int:
    return 2 if row.store_id else 1 if row.region_id else 0


def responsibles_for_user(*, user) -> list[AspectOwner]:
    if user.store_id:
        return responsibles_for(store=user.store)
    if user.region_id:
        return responsibles_for(region=user.region)
    return responsibles_for()


def responsibilities_visible_to(*, user) -> QuerySet[Responsibility]:
    """The registry: network-wide rows for everyone, plus regional and store rows in scope."""
    from portal.org.scoping import scope_for

    scope = scope_for(user)
    in_scope = Q(store__isnull=False) & scope.q(store_field="store")
    regional = Q(region__isnull=False, store__isnull=True) & scope.q(
        store_field=None, region_field="region"
    )
    return (
        Responsibility.objects.filter(
            Q(region__isnull=True, store__isnull=True) | in_scope | regional
        )
        .select_related("person", "region", "store", "store__region")
        .order_by("aspect", "region__name", "store__code")
    )


def search_readable(*, user, query: str, limit: int = 30):
    """Full-text search (Russian stemming on PostgreSQL) over pages this person may open."""
    query = (query or "").strip()
    if not query:
        return []
    readable_ids = pages_readable_by(user=user).values_list("pk", flat=True)
    return list(
        ReadablePage.objects.live()
        .filter(pk__in=list(readable_ids))
        .specific()
        .search(query, operator="and")[:limit]
    )


def library_pages(*, user, params: Mapping[str, str]) -> list[ReadablePage]:
    pages = pages_readable_by(user=user).specific().order_by("title")
    kind = params.get("kind")
    if kind == "sop":
        pages = pages.filter(soppage__isnull=False)
    elif kind == "script":
        pages = pages.filter(scriptpage__isnull=False)
    if params.get("aspect") in Aspect.values:
        pages = pages.filter(aspect=params["aspect"])
    return list(pages)


def library_context(*, user, params: Mapping[str, str]) -> dict:
    """The library: pages this person may open, each with their own reading status."""
    statuses = {item.page.pk: item for item in reading_list(person=user, mandatory_only=False)}
    # Optional pages carry no deadline: only mandatory ones show a reading status.
    rows = [
        (page, statuses.get(page.pk) if page.mandatory else None)
        for page in library_pages(user=user, params=params)
    ]
    if params.get("status") == "pending":
        rows = [(page, item) for page, item in rows if item and item.requirement.pending]
    pending = [
        item for item in statuses.values() if item.page.mandatory and item.requirement.pending
    ]
    return {
        "rows": rows,
        "required_count": sum(item.page.mandatory for item in statuses.values()),
        "pending_count": len(pending),
        "overdue_count": sum(item.status == ReadingStatus.OVERDUE for item in pending),
        "aspects": Aspect.choices,
        "params": params,
    }


def reading_context(*, page: ReadablePage, user) -> dict:
    """What the reader of one page sees around it: their status, what changed, who owns it."""
    from portal.sop.diff import page_changes
    from portal.sop.forms import AcknowledgeForm

    in_audience = page_audience(page).admits(Placement.of(user))
    version = material_versions(page_ids=[page.pk]).get(page.pk)
    ack = latest_acknowledgements(people=User.objects.filter(pk=user.pk)).get((user.pk, page.pk))
    req = requirement(
        version=version,
        ack=ack,
        due_days=page.due_days,
        started_on=user.started_on,
        today=timezone.localdate(),
    )
    changes = None
    versions_since: list[SopVersion] = []
    if in_audience and ack is not None and ack.revision_id < page.live_revision_id:
        versions_since = list(
            page.versions.filter(revision_id__gt=ack.revision_id).order_by("-revision_id")
        )
        if req.pending:
            changes = page_changes(page=page, since=Revision.objects.get(pk=ack.revision_id))
    owners = [
        owner
        for owner in responsibles_for_user(user=user)
        if owner.aspect in (page.aspect, Aspect.OVERALL)
    ]
    reread = (
        RereadRequest.objects.filter(person_id=user.pk, page=page, answered_at__isnull=True).first()
        if in_audience
        else None
    )
    return {
        "in_audience": in_audience,
        "reread": reread,
        "requirement": req if in_audience and page.mandatory else None,
        # A minor revision on top of what they confirmed asks nothing of the reader.
        "acknowledged_now": in_audience and ack is not None and req.done,
        "ack_form": AcknowledgeForm(initial={"revision": page.live_revision_id}),
        "changes": changes,
        "versions_since": versions_since,
        "versions": list(page_versions(page=page)[:10]),
        "owners": owners,
    }


def script_for(*, category: str):
    """The live script page of a complaint category (its current published revision), the
    newest first; None when the library has none. The desk shows it beside a ticket."""
    from portal.sop.models import ScriptPage

    return (
        ScriptPage.objects.live().filter(category=category).order_by("-last_published_at").first()
    )
