"""Writes of the SOP library: published versions, confirmations, reminders, responsibilities."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision, Workflow

from portal.events.changes import field_changes
from portal.events.services import event_record
from portal.notify.choices import LadderAudience
from portal.notify.ladders import Ladder, LadderRecipients, Rung
from portal.notify.services import Message, notify_many
from portal.org.choices import OrgEventKind
from portal.org.models import OrgEvent, Region, Store, User
from portal.sop import selectors
from portal.sop.audience import Placement
from portal.sop.choices import Aspect, ChangeKind
from portal.sop.compliance import compliance_book
from portal.sop.editorial import editorial_setup
from portal.sop.facts import compliance_changed
from portal.sop.models import (
    Acknowledgement,
    ReadablePage,
    RereadRequest,
    Responsibility,
    SopIndexPage,
    SopVersion,
)


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
    # Confirming again answers a request to read the page again (the revision may be the
    # one confirmed before: the rule did not change, the store's practice did).
    RereadRequest.objects.filter(person=person, page_id=page.pk, answered_at__isnull=True).update(
        answered_at=at or timezone.now()
    )
    existing = Acknowledgement.objects.filter(person=person, revision_id=revision_id).first()
    if existing:
        return existing
    compliance_changed(store_ids=[person.store_id])
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
    compliance_changed(store_ids=[row.person.store_id for row in rows])
    return len(rows)


# Reminders start this many days before the due date; the regional manager hears of it
# this many days after the store manager did (the day after the due date).
REMIND_BEFORE_DAYS = 2
ESCALATE_TO_REGION_AFTER_DAYS = 7

# Reader → store manager → regional manager, as data (portal.notify.ladders).
READING_LADDER = Ladder(
    "sop.reading",
    (
        Rung(step=0, day=-REMIND_BEFORE_DAYS, audience=LadderAudience.PERSON),
        Rung(step=1, day=1, audience=LadderAudience.STORE_MANAGERS),
        Rung(
            step=2, day=1 + ESCALATE_TO_REGION_AFTER_DAYS, audience=LadderAudience.REGION_MANAGERS
        ),
    ),
)


@dataclass
class ReminderReport:
    reminders: int = 0
    store_escalations: int = 0
    region_escalations: int = 0
    notifications: int = 0


def _reading_message(
    *, rung: Rung, recipient: User, person: User, page: ReadablePage, due: date, version_id: int
) -> Message:
    due_text = date_format(due, "SHORT_DATE_FORMAT")
    if rung.audience == LadderAudience.PERSON:
        title = _("Read and confirm «%(page)s»") % {"page": page.title}
        body = _("Due %(due)s.") % {"due": due_text}
        url = f"{reverse('sop:library')}?status=pending"
    else:
        title = _("%(person)s has not confirmed «%(page)s»") % {
            "person": person.full_name,
            "page": page.title,
        }
        body = _("Was due %(due)s.") % {"due": due_text}
        url = (
            reverse("sop:compliance_store", args=[person.store.code])
            if person.store_id
            else reverse("sop:compliance")
        )
    return Message(
        recipient=recipient,
        key=f"sop.reading:{version_id}:{person.pk}",
        step=rung.step,
        title=title,
        body=body,
        url=url,
    )


@transaction.atomic
def sop_reminders_send(*, today: date | None = None) -> ReminderReport:
    """Remind readers before the due date, then escalate to the store and region managers.

    Each rung of `READING_LADDER` reaches each recipient once per (version, reader): the
    daily beat task may run any number of times. Recorded through `portal.notify` (the
    inbox always, e-mail and messenger after commit, one digest per person).
    """
    today = today or timezone.localdate()
    book = compliance_book(people=User.objects.all(), today=today)
    recipients = LadderRecipients.load()
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for row in book.people:
            for page, req in row.pending_items:
                version = book.versions.get(page.pk)
                if version is None or req.due is None:
                    continue
                for rung in READING_LADDER.reached(anchor=req.due, today=today):
                    messages.extend(
                        _reading_message(
                            rung=rung,
                            recipient=recipient,
                            person=row.person,
                            page=page,
                            due=req.due,
                            version_id=version.id,
                        )
                        for recipient in recipients.of(rung, row.person)
                    )
    created = notify_many(messages)
    report = ReminderReport(notifications=len(created))
    for _key, step in {(n.key, n.step) for n in created}:
        report.reminders += step == 0
        report.store_escalations += step == 1
        report.region_escalations += step == 2
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


@transaction.atomic
def reread_request(
    *, people: Sequence[User], page: ReadablePage, reason: str, due_on: date, url: str = ""
) -> int:
    """Ask each of `people` in the page's audience to read it again and confirm it by
    `due_on` (an inbox notification links the page); a person already asked and not yet
    answered is not asked twice. Returns the people asked."""
    audience = selectors.page_audience(page)
    open_ids = set(
        RereadRequest.objects.filter(page=page, answered_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )
    asked = [
        person
        for person in people
        if person.is_active and person.pk not in open_ids and audience.admits(Placement.of(person))
    ]
    made = RereadRequest.objects.bulk_create(
        RereadRequest(person=person, page=page, reason=reason[:300], url=url, due_on=due_on)
        for person in asked
    )
    notify_many(
        Message(
            recipient=request.person,
            key=f"sop.reread.{request.pk}",
            title=_("Read again and confirm by %(day)s: «%(title)s»")
            % {"day": date_format(due_on, "SHORT_DATE_FORMAT"), "title": page.title},
            body=reason,
            url=page.url,
        )
        for request in made
    )
    return len(made)
