"""Planning visits: by a monthly plan, two days after a store's LP launch, as a re-check
after a failed visit; and assigning them to auditors.

Stores never learn of a visit before it is published (the selectors see to that); the
report names the shopper by the visit's pseudonym only."""

from __future__ import annotations

import calendar
import secrets
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.choices import ChecklistStatus, VisitEventKind, VisitReason, VisitStatus
from audits.models import Checklist, Visit, VisitEvent, VisitPlan
from audits.rules import files_visits
from portal.events.services import event_record
from portal.org.models import Region, Store, User

LAUNCH_VISIT_AFTER_DAYS = 2  # the domain's practice: a mystery shopper two days after
LAUNCH_VISIT_WINDOW_DAYS = 2  # ... and at the latest two days later
RECHECK_AFTER_DAYS = 7  # a failed visit is checked again a week after its publication
RECHECK_WINDOW_DAYS = 14
UNFINISHED = (VisitStatus.PLANNED, VisitStatus.ASSIGNED)


def pseudonym() -> str:
    """What the store's report calls the shopper: «ТП-4821» (random per visit, so two
    reports never tell the store that the same person came)."""
    return f"ТП-{secrets.randbelow(9000) + 1000}"


def visit_checklist_default() -> Checklist | None:
    """The checklist automatic visits use: the most recently published one."""
    return (
        Checklist.objects.filter(status=ChecklistStatus.PUBLISHED)
        .order_by("-published_at", "-pk")
        .first()
    )


def visit_schedule(
    *,
    store: Store,
    checklist: Checklist,
    reason: str,
    not_before: date,
    due_on: date,
    actor: User | None = None,
    plan: VisitPlan | None = None,
    recheck_of: Visit | None = None,
) -> Visit:
    """A planned visit (no auditor yet); records `scheduled`."""
    if due_on < not_before:
        raise ValidationError(_("A visit cannot be due before its first day."))
    visit = Visit.objects.create(
        store=store,
        checklist=checklist,
        reason=reason,
        not_before=not_before,
        due_on=due_on,
        plan=plan,
        recheck_of=recheck_of,
        pseudonym=pseudonym(),
    )
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.SCHEDULED,
        actor=actor,
        payload={"reason": reason, "not_before": not_before, "due_on": due_on},
    )
    return visit


def _launch_window(launch: date) -> tuple[date, date]:
    first = launch + timedelta(days=LAUNCH_VISIT_AFTER_DAYS)
    return first, first + timedelta(days=LAUNCH_VISIT_WINDOW_DAYS)


@transaction.atomic
def launch_visits_schedule(*, store_ids: Iterable[int] | None = None) -> int:
    """Make every store's launch visit agree with its LP launch date: scheduled two days
    after it, moved when the date moves (while nobody has started it), cancelled when
    the date is cleared or the store closed. Idempotent; returns the visits changed."""
    checklist = visit_checklist_default()
    stores = Store.objects.all()
    if store_ids is not None:
        stores = stores.filter(pk__in=list(store_ids))
    visits = {
        v.store_id: v
        for v in Visit.objects.filter(reason=VisitReason.LAUNCH)
        .exclude(status=VisitStatus.CANCELLED)
        .filter(store__in=stores)
        .select_for_update()
    }
    changed = 0
    for store in stores.only("pk", "lp_launch_date", "is_active").order_by("pk"):
        visit = visits.get(store.pk)
        launch = store.lp_launch_date if store.is_active else None
        if visit is None:
            if launch is not None and checklist is not None:
                first, due = _launch_window(launch)
                visit_schedule(
                    store=store,
                    checklist=checklist,
                    reason=VisitReason.LAUNCH,
                    not_before=first,
                    due_on=due,
                )
                changed += 1
            continue
        if visit.status not in UNFINISHED:
            continue
        if launch is None:
            _cancel(visit, reason=_("The store's LP launch date was cleared."))
            changed += 1
        elif _launch_window(launch) != (visit.not_before, visit.due_on):
            before = [visit.not_before, visit.due_on]
            visit.not_before, visit.due_on = _launch_window(launch)
            visit.save(update_fields=["not_before", "due_on"])
            event_record(
                VisitEvent,
                visit=visit,
                kind=VisitEventKind.RESCHEDULED,
                actor=None,
                payload={"window": [before, [visit.not_before, visit.due_on]]},
                reason=_("The store's LP launch date moved."),
            )
            changed += 1
    return changed


def _cancel(visit: Visit, *, reason: str, actor: User | None = None) -> None:
    before = visit.status
    visit.status = VisitStatus.CANCELLED
    visit.save(update_fields=["status"])
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.CANCELLED,
        actor=actor,
        payload={"status": [before, VisitStatus.CANCELLED]},
        reason=reason,
    )


@transaction.atomic
def visit_cancel(*, actor: User, visit: Visit, reason: str) -> Visit:
    """Cancel a visit nobody has filed yet; the reason is required and recorded."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Say why the visit is cancelled."))
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status not in UNFINISHED:
        raise ValidationError(_("Only a visit not started yet can be cancelled."))
    _cancel(visit, reason=reason, actor=actor)
    return visit


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


@transaction.atomic
def plan_create(
    *,
    actor: User,
    checklist: Checklist,
    month: date,
    region: Region | None = None,
    visits_per_store: int = 1,
) -> VisitPlan:
    """Schedule `visits_per_store` visits to every open store of `region` (None: the
    network) in `month`, each in its own part of the month."""
    if not checklist.is_published:
        raise ValidationError(_("Publish the checklist before planning visits with it."))
    if not 1 <= visits_per_store <= 4:
        raise ValidationError(_("Plan one to four visits per store in a month."))
    first, last = month_bounds(month)
    if VisitPlan.objects.filter(checklist=checklist, region=region, month=first).exists():
        raise ValidationError(_("This checklist is already planned for that month and region."))
    plan = VisitPlan.objects.create(
        checklist=checklist,
        region=region,
        month=first,
        visits_per_store=visits_per_store,
        created_by=actor,
    )
    stores = Store.objects.filter(is_active=True)
    if region is not None:
        stores = stores.filter(region=region)
    days = (last - first).days + 1
    for store in stores.order_by("code"):
        for part in range(visits_per_store):
            start = first + timedelta(days=days * part // visits_per_store)
            end = first + timedelta(days=days * (part + 1) // visits_per_store - 1)
            visit_schedule(
                store=store,
                checklist=checklist,
                reason=VisitReason.PLAN,
                not_before=start,
                due_on=end,
                actor=actor,
                plan=plan,
            )
    return plan


def recheck_schedule(*, visit: Visit, actor: User | None = None) -> Visit | None:
    """A re-check of a failed visit (once: a re-check's own failure asks for another).
    A visit that passes after all (a correction, an accepted appeal) has its re-check
    cancelled while nobody has started it; one that fails after all gets one."""
    existing = Visit.objects.filter(recheck_of=visit).first()
    if existing is not None:
        if visit.passed and existing.status in UNFINISHED:
            _cancel(
                existing,
                reason=_("The visit it re-checks passes after a correction."),
                actor=actor,
            )
        elif visit.passed is False and existing.status == VisitStatus.CANCELLED:
            start = timezone.localdate() + timedelta(days=RECHECK_AFTER_DAYS)
            existing.status, existing.auditor = VisitStatus.PLANNED, None
            existing.not_before = start
            existing.due_on = start + timedelta(days=RECHECK_WINDOW_DAYS)
            existing.save(update_fields=["status", "auditor", "not_before", "due_on"])
            event_record(
                VisitEvent,
                visit=existing,
                kind=VisitEventKind.SCHEDULED,
                actor=actor,
                payload={"not_before": existing.not_before, "due_on": existing.due_on},
                reason=_("The visit it re-checks fails after a correction."),
            )
            return existing
        return None
    if visit.passed is not False:
        return None
    start = timezone.localdate() + timedelta(days=RECHECK_AFTER_DAYS)
    return visit_schedule(
        store=visit.store,
        checklist=visit.checklist,
        reason=VisitReason.RECHECK,
        not_before=start,
        due_on=start + timedelta(days=RECHECK_WINDOW_DAYS),
        actor=actor,
        recheck_of=visit,
    )


def _neighbour_auditor_id(visit: Visit, *, before: bool) -> int | None:
    """Who holds the store's visit just before (or after) this one."""
    earlier = Q(due_on__lt=visit.due_on) | Q(due_on=visit.due_on, pk__lt=visit.pk)
    later = Q(due_on__gt=visit.due_on) | Q(due_on=visit.due_on, pk__gt=visit.pk)
    order = ("-due_on", "-pk") if before else ("due_on", "pk")
    return (
        Visit.objects.filter(store_id=visit.store_id, auditor__isnull=False)
        .exclude(pk=visit.pk)
        .exclude(status=VisitStatus.CANCELLED)
        .filter(earlier if before else later)
        .order_by(*order)
        .values_list("auditor_id", flat=True)
        .first()
    )


def previous_auditor_id(visit: Visit) -> int | None:
    """Who filed (or holds) the store's visit before this one."""
    return _neighbour_auditor_id(visit, before=True)


@transaction.atomic
def visit_assign(*, actor: User, visit: Visit, auditor: User) -> Visit:
    """Give a visit not started yet to an auditor; never the one who made the store's
    previous visit (a shopper the staff might recognise). Records `assigned`."""
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.status not in UNFINISHED:
        raise ValidationError(_("Only a visit not started yet can be assigned."))
    if not files_visits(auditor):
        raise ValidationError(
            _("%(name)s is not an active auditor.") % {"name": auditor.get_full_name()}
        )
    if auditor.pk in (
        _neighbour_auditor_id(visit, before=True),
        _neighbour_auditor_id(visit, before=False),
    ):
        raise ValidationError(
            _("%(name)s makes this store's visit before or after this one: choose another auditor.")
            % {"name": auditor.get_full_name()}
        )
    before = visit.auditor_id
    visit.auditor, visit.status = auditor, VisitStatus.ASSIGNED
    visit.save(update_fields=["auditor", "status"])
    event_record(
        VisitEvent,
        visit=visit,
        kind=VisitEventKind.ASSIGNED,
        actor=actor,
        payload={"auditor": [before, auditor.pk]},
    )
    return visit


def open_workload(auditors: Sequence[User]) -> dict[int, int]:
    """Visits each auditor holds and has not submitted."""
    rows = (
        Visit.objects.filter(
            auditor__in=auditors,
            status__in=(VisitStatus.ASSIGNED, VisitStatus.DRAFT, VisitStatus.RETURNED),
        )
        .values("auditor_id")
        .annotate(n=Count("pk"))
    )
    counts = {a.pk: 0 for a in auditors}
    counts.update({row["auditor_id"]: row["n"] for row in rows})
    return counts


@transaction.atomic
def visits_assign_evenly(
    *, actor: User, visits: Iterable[Visit], auditors: Sequence[User]
) -> list[Visit]:
    """Assign each visit to the auditor holding the fewest open visits who did not make the
    store's previous one (ties: the order given). Returns the visits assigned."""
    load = open_workload(auditors)
    done = []
    for visit in visits:
        neighbours = {
            _neighbour_auditor_id(visit, before=True),
            _neighbour_auditor_id(visit, before=False),
        }
        choices = [a for a in auditors if a.pk not in neighbours]
        if not choices:
            continue
        auditor = min(choices, key=lambda a: load[a.pk])
        done.append(visit_assign(actor=actor, visit=visit, auditor=auditor))
        load[auditor.pk] += 1
    return done
