"""Writes of schemes: set up and changed by HQ, archived, and suspended or resumed by
themselves as their scope holds or loses its plan."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kpi.bonus import clock
from kpi.bonus.choices import SchemeEventKind, SchemeStatus
from kpi.bonus.models import Scheme, SchemeEvent, Statement
from portal.events.changes import field_changes, instance_values
from portal.events.services import event_record
from portal.notify.services import Message, notify_many
from portal.org.choices import Role
from portal.org.models import Region, User


def _event(scheme: Scheme, kind: str, actor: User | None, **payload) -> None:
    event_record(
        SchemeEvent, kind=kind, actor=actor, payload=payload, at=clock.now(), scheme=scheme
    )


@transaction.atomic
def scheme_create(*, actor: User, regions: Iterable[Region] = (), **fields) -> Scheme:
    """A scheme as HQ sets it up (the form has checked the fields)."""
    scheme = Scheme.objects.create(created_by=actor, created_at=clock.now(), **fields)
    scheme.regions.set(list(regions))
    _event(scheme, SchemeEventKind.CREATED, actor, **instance_values(scheme))
    return scheme


@transaction.atomic
def scheme_update(
    *, actor: User, scheme: Scheme, regions: Iterable[Region] | None = None, **changes
) -> Scheme:
    """Change a scheme; each changed field's before and after value is recorded. Closed
    periods keep what they were computed with (their statements are not touched)."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    before = instance_values(scheme)
    before_regions = sorted(scheme.regions.values_list("pk", flat=True))
    for name, value in changes.items():
        setattr(scheme, name, value)
    scheme.full_clean(exclude=["created_by"])
    scheme.save()
    payload = field_changes(before, instance_values(scheme))
    if regions is not None:
        scheme.regions.set(list(regions))
        after_regions = sorted(r.pk for r in regions)
        if after_regions != before_regions:
            payload["regions"] = [before_regions, after_regions]
    if payload:
        _event(scheme, SchemeEventKind.CHANGED, actor, **payload)
    return scheme


def _streak(met: list[bool | None], value: bool) -> int:
    """How many of the latest periods in a row had `met == value`."""
    count = 0
    for item in reversed(met):
        if item is not value:
            break
        count += 1
    return count


@transaction.atomic
def scheme_suspension_check(*, scheme: Scheme) -> str | None:
    """Suspend an active scheme whose scope met plan in each of its last `suspend_after`
    periods; resume a suspended one after `resume_after` periods in a row that missed it.
    A period meets plan when every statement of it did (each region, or the network); a
    period without a plan to compare neither counts nor breaks a streak. Both changes
    are event rows and announced to HQ and the regions' managers. Returns the change."""
    if scheme.suspend_after is None or scheme.status == SchemeStatus.ARCHIVED:
        return None
    periods: dict = {}
    for starts_on, met in Statement.objects.filter(scheme=scheme).values_list(
        "starts_on", "scope_met"
    ):
        periods.setdefault(starts_on, []).append(met)
    verdicts = [
        all(m is True for m in mets)
        for _start, mets in sorted(periods.items())
        if all(m is not None for m in mets)
    ]
    change = None
    if scheme.status == SchemeStatus.ACTIVE and _streak(verdicts, True) >= scheme.suspend_after:
        scheme.status, change = SchemeStatus.SUSPENDED, SchemeEventKind.SUSPENDED
        streak = _streak(verdicts, True)
    elif (
        scheme.status == SchemeStatus.SUSPENDED and _streak(verdicts, False) >= scheme.resume_after
    ):
        scheme.status, change = SchemeStatus.ACTIVE, SchemeEventKind.RESUMED
        streak = _streak(verdicts, False)
    if change is None:
        return None
    scheme.save(update_fields=["status"])
    _event(scheme, change, None, periods_in_a_row=streak)
    title = (
        _("Bonus scheme «%(name)s» suspended itself: the plan held %(n)s periods in a row")
        if change == SchemeEventKind.SUSPENDED
        else _("Bonus scheme «%(name)s» resumed: the plan was missed %(n)s periods in a row")
    ) % {"name": scheme.name, "n": streak}
    recipients = User.objects.filter(is_active=True, role=Role.LP_MANAGER)
    region_ids = list(scheme.regions.values_list("pk", flat=True))
    managers = User.objects.filter(is_active=True, role=Role.REGIONAL_MANAGER)
    if region_ids:
        managers = managers.filter(region_id__in=region_ids)
    notify_many(
        Message(
            person,
            key=f"bonus-scheme-{scheme.pk}-{change}-{clock.today():%Y%m%d}",
            title=title,
            url=reverse("bonus:scheme", args=[scheme.pk]),
        )
        for person in [*recipients, *managers]
    )
    return change


@transaction.atomic
def scheme_archive(*, actor: User, scheme: Scheme) -> Scheme:
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if scheme.status != SchemeStatus.ARCHIVED:
        scheme.status = SchemeStatus.ARCHIVED
        scheme.save(update_fields=["status"])
        _event(scheme, SchemeEventKind.ARCHIVED, actor)
    return scheme
