"""Where other parts' events enter the SOP services: Wagtail's publishing (the framework
owns it) and changes to the organisation (an `OrgEvent` is recorded for each)."""

from __future__ import annotations


def record_published_version(sender, instance, revision=None, **kwargs) -> None:
    from portal.sop.models import ReadablePage
    from portal.sop.services import sop_version_record

    if not isinstance(instance, ReadablePage) or revision is None:
        return
    sop_version_record(page=instance, revision=revision, author=revision.user)
    _library_changed()


def readable_page_withdrawn(sender, instance, **kwargs) -> None:
    """Unpublished: what it asked of its readers no longer counts (a published page
    cannot be deleted: its versions and confirmations protect it)."""
    from portal.sop.models import ReadablePage

    if isinstance(instance, ReadablePage):
        _library_changed()


def _library_changed() -> None:
    """Every store's compliance figures may change: recount them once committed (a worker
    does it, so that the next reader need not)."""
    from django.db import transaction

    from portal.sop.facts import compliance_changed
    from portal.sop.tasks import compliance_facts

    compliance_changed()
    transaction.on_commit(compliance_facts.delay)


def org_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """A store or a person changed (moved, hired, left, another role): the figures of the
    stores concerned, before and after, may change."""
    from portal.sop.facts import compliance_changed

    if not created:
        return
    if instance.person_id is None:  # a store's own change (its region, closed, opened)
        compliance_changed(store_ids=[instance.store_id])
        return
    # The person's current store heard of it from their save (`person_saved`); a move
    # names the store they left.
    moved = instance.payload.get("store") if isinstance(instance.payload, dict) else None
    if isinstance(moved, list):
        compliance_changed(store_ids=[pk for pk in moved if isinstance(pk, int)])


# What a person's requirements depend on (portal.sop.status, portal.sop.audience).
PLACEMENT_FIELDS = frozenset(
    {"store", "region", "role", "is_active", "hire_date", "position_since", "date_joined"}
)


def person_saved(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    """A person saved by any path (an import, the admin, a command): their store's figures
    may change (a move's former store hears of it from the org event)."""
    from portal.sop.facts import compliance_changed

    if created or update_fields is None or PLACEMENT_FIELDS & set(update_fields):
        compliance_changed(store_ids=[instance.store_id])
