"""Writes of the SOP library: published versions, confirmations, reminders, responsibilities."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, Workflow

from portal.events.changes import field_changes
from portal.events.services import event_record
from portal.org.choices import OrgEventKind, Role
from portal.org.models import OrgEvent, Region, Store, User
from portal.sop import selectors
from portal.sop.audience import Placement
from portal.sop.choices import Aspect, ChangeKind, ReminderStage
from portal.sop.compliance import compliance_book
from portal.sop.editorial import editorial_setup
from portal.sop.models import (
    Acknowledgement,
    ReadablePage,
    Responsibility,
    SopIndexPage,
    SopReminder,
    SopVersion,
)

# Reminders start this many days before the due date; the regional manager hears of it
# this many days after the store manager did.
REMIND_BEFORE_DAYS = 2
ESCALATE_TO_REGION_AFTER_DAYS = 7


@transaction.atomic
def sop_version_record(
    *, page: ReadablePage, revision: Revision, author: User | None = None
) -> SopVersion:
    """Record a publication as minor or material, as the editor marked it. Idempotent.

    The first publication is always material: nobody has confirmed anything yet.
    """
    existing = SopVersion.objects.filter(revision=revision).first()
    if existing:
        return existing
    first = not SopVersion.objects.filter(page_id=page.pk).exists()
    kind = ChangeKind.MATERIAL if first else (page.change_kind or ChangeKind.MATERIAL)
    return SopVersion.objects.create(
        page_id=page.pk,
        revision=revision,
        kind=kind,
        change_summary=page.change_summary if not first else "",
        author=author,
    )


@transaction.atomic
def acknowledgement_record(
    *, person: User, page: ReadablePage, revision_id: int, at: datetime | None = None
) -> Acknowledgement:
    """«Read and understood» for one published revision. Idempotent; never changes a record.

    Refuses pages outside the person's audience and revisions that were never published.
    """
    # Content owners may read every page, but confirm only what is addressed to them.
    if not page.live or not selectors.page_audience(page).admits(Placement.of(person)):
        raise PermissionDenied(_("This page is not addressed to you."))
    version = SopVersion.objects.filter(page_id=page.pk, revision_id=revision_id).first()
    if version is None:
        raise ValidationError(_("This revision of the page was never published."))
    existing = Acknowledgement.objects.filter(person=person, revision_id=revision_id).first()
    if existing:
        return existing
    return Acknowledgement.objects.create(
        person=person,
        page_id=page.pk,
        revision_id=revision_id,
        acknowledged_at=at or timezone.now(),
    )


@transaction.atomic
def acknowledgements_record_bulk(
    *, page: ReadablePage, revision_id: int, entries: Sequence[tuple[User, datetime]]
) -> int:
    """Confirmations signed on paper (the printed page has signature lines), entered at once.

    All or nothing: a person outside the page's audience rejects the whole batch, named by
    personnel number. Idempotent: people who already confirmed this revision are skipped.
    Returns the number of new records.
    """
    if not SopVersion.objects.filter(page_id=page.pk, revision_id=revision_id).exists():
        raise ValidationError(_("This revision of the page was never published."))
    audience = selectors.page_audience(page)
    outside = [
        person.personnel_number
        for person, _at in entries
        if not audience.admits(Placement.of(person))
    ]
    if outside:
        raise ValidationError(
            _("Not in the audience of «%(title)s»: %(numbers)s")
            % {"title": page.title, "numbers": ", ".join(outside)}
        )
    done = set(
        Acknowledgement.objects.filter(
            revision_id=revision_id, person__in=[person for person, _at in entries]
        ).values_list("person_id", flat=True)
    )
    rows = [
        Acknowledgement(person=person, page_id=page.pk, revision_id=revision_id, acknowledged_at=at)
        for person, at in entries
        if person.pk not in done
    ]
    Acknowledgement.objects.bulk_create(rows)
    return len(rows)


@dataclass
class ReminderReport:
    reminders: int = 0
    store_escalations: int = 0
    region_escalations: int = 0
    emails: int = 0


def _recipients_by_store_and_region() -> tuple[dict[int, list[User]], dict[int, list[User]]]:
    managers: dict[int, list[User]] = defaultdict(list)
    regionals: dict[int, list[User]] = defaultdict(list)
    for person in User.objects.filter(
        is_active=True, role__in=[Role.STORE_MANAGER, Role.REGIONAL_MANAGER]
    ):
        if person.role == Role.STORE_MANAGER and person.store_id:
            managers[person.store_id].append(person)
        elif person.region_id:
            regionals[person.region_id].append(person)
    return managers, regionals


@transaction.atomic
def sop_reminders_send(*, today: date | None = None) -> ReminderReport:
    """Remind readers before the due date, then escalate to the store and region managers.

    Each (person, version, stage) is sent once (a unique row), so the daily beat task may
    run any number of times. One digest e-mail per recipient.
    """
    today = today or timezone.localdate()
    book = compliance_book(people=User.objects.all(), today=today)
    sent = set(SopReminder.objects.values_list("person_id", "version_id", "stage"))
    managers, regionals = _recipients_by_store_and_region()
    report = ReminderReport()
    digests: dict[str, list[tuple[str, User, ReadablePage, date]]] = defaultdict(list)
    rows = []
    for row in book.people:
        person = row.person
        region_id = person.store.region_id if person.store_id else person.region_id
        for page, req in row.pending_items:
            version = book.versions.get(page.pk)
            if version is None or req.due is None:
                continue
            stages = []
            if today >= req.due - timedelta(days=REMIND_BEFORE_DAYS):
                stages.append((ReminderStage.READER, [person]))
            if today > req.due:
                stages.append((ReminderStage.STORE_MANAGER, managers.get(person.store_id, [])))
            if today > req.due + timedelta(days=ESCALATE_TO_REGION_AFTER_DAYS):
                stages.append((ReminderStage.REGIONAL_MANAGER, regionals.get(region_id, [])))
            for stage, recipients in stages:
                # A manager late with their own reading hears of it as a reader, not twice.
                recipients = [
                    r
                    for r in recipients
                    if r.email and (stage == ReminderStage.READER or r != person)
                ]
                if (person.pk, version.id, stage) in sent or not recipients:
                    continue
                rows.append(
                    SopReminder(
                        person=person,
                        version_id=version.id,
                        stage=stage,
                        recipients=", ".join(r.email for r in recipients),
                    )
                )
                for recipient in recipients:
                    digests[recipient.email].append((stage, person, page, req.due))
                report.reminders += stage == ReminderStage.READER
                report.store_escalations += stage == ReminderStage.STORE_MANAGER
                report.region_escalations += stage == ReminderStage.REGIONAL_MANAGER
    SopReminder.objects.bulk_create(rows)
    with translation.override(settings.LANGUAGE_CODE):
        for email, entries in digests.items():
            context = {"entries": entries, "base_url": settings.WAGTAILADMIN_BASE_URL}
            send_mail(
                subject=_("LP portal: pages to read and confirm"),
                message=render_to_string("email/sop/reminder.txt", context),
                from_email=None,
                recipient_list=[email],
            )
            report.emails += 1
    return report


@transaction.atomic
def responsibility_set(
    *,
    actor: User | None,
    aspect: str,
    person: User,
    region: Region | None = None,
    store: Store | None = None,
    note: str = "",
) -> Responsibility:
    """Name the person responsible for an aspect in the network, a region or a store.

    Atomic; `actor` is who decided it (None: the system, e.g. `seed_demo`). An
    `OrgEvent` (`responsibility_set`) records the aspect, the level and the responsible
    person's and note's values before and after; setting what is already set changes
    and records nothing."""
    if aspect not in Aspect.values:
        raise ValidationError(_("Unknown aspect: %(aspect)s") % {"aspect": aspect})
    if region is not None and store is not None:
        raise ValidationError(_("A responsibility is for a region or a store, not both."))
    row = (
        Responsibility.objects.select_for_update()
        .filter(aspect=aspect, region=region, store=store)
        .first()
    )
    before = {"person": row.person_id, "note": row.note} if row else {}
    changes = field_changes(before, {"person": person.pk, "note": note})
    if not changes:
        return row
    row = row or Responsibility(aspect=aspect, region=region, store=store)
    row.person, row.note = person, note
    row.save()
    event_record(
        OrgEvent,
        kind=OrgEventKind.RESPONSIBILITY_SET,
        actor=actor,
        region=region,
        store=store,
        person=person,
        payload={"aspect": aspect, **changes},
    )
    return row


def sop_editorial_setup() -> Workflow | None:
    """Give LP managers the content tree and the review workflow. Idempotent.

    The data migration does this on every new database; `seed_demo` calls it again so a
    flushed database (tests, resets) gets it back. See `portal.sop.editorial`.
    """
    from django.apps import apps

    return editorial_setup(apps)


def sop_index_ensure(*, parent: Page) -> SopIndexPage:
    """The library's section below the home page (created once)."""
    index = SopIndexPage.objects.child_of(parent).first()
    if index:
        return index
    with translation.override(settings.LANGUAGE_CODE):
        index = SopIndexPage(title=_("SOPs and scripts"), slug="sop")
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index
