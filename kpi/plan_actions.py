"""Plans are edited in the CMS (Wagtail snippets): their log entries keep the values.

Wagtail logs `wagtail.create`, `wagtail.edit` and `wagtail.delete` for every snippet, but
without what changed; a plan's target moves bonuses, so each entry of a plan carries its
values (`data["values"]`) and, for an edit, every changed field's old and new value
(`data["changes"]`). Wagtail's bulk delete of snippets logs nothing at all: the
`before_bulk_action` hook (in `kpi.wagtail_hooks`) logs each plan it deletes.

These actions extend the recorded ones of `portal.events.cms`, so a plan's change is
also an event row (`SnippetEvent`) like every other snippet's."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from wagtail.log_actions import log

from kpi.models import Plan
from portal.events.cms import RecordedCreateAction, RecordedDeleteAction, RecordedEditAction

LOGGED_FIELDS = ("kpi", "store", "region", "starts_on", "ends_on", "target")


def plan_values(plan: Plan) -> dict[str, str | None]:
    """The plan's values as the log keeps them: codes for the store and region, ISO
    dates, the target as its decimal text without trailing zeros."""
    return {
        "kpi": plan.kpi,
        "store": plan.store.code if plan.store_id else None,
        "region": plan.region.code if plan.region_id else None,
        "starts_on": plan.starts_on.isoformat() if plan.starts_on else None,
        "ends_on": plan.ends_on.isoformat() if plan.ends_on else None,
        "target": None if plan.target is None else _decimal_text(plan.target),
    }


def _decimal_text(value: Decimal) -> str:
    """65.0000 and 65 are the same target: written as 65 (62.5 as 62.5)."""
    return format(Decimal(value).normalize(), "f")


def plan_changes(before: dict, after: dict) -> dict[str, dict[str, str | None]]:
    """{field: {"old": …, "new": …}} for every field that differs."""
    return {
        name: {"old": before[name], "new": after[name]}
        for name in LOGGED_FIELDS
        if before[name] != after[name]
    }


def plan_deleted_log(*, plan: Plan, user) -> None:
    """Log a plan's deletion with the values it had (call before deleting it)."""
    log(instance=plan, action="wagtail.delete", user=user, deleted=True, data=_data(plan))


def _data(plan: Plan, **extra) -> dict:
    return {"values": plan_values(plan), **extra}


class PlanCreateAction(RecordedCreateAction):
    """Create a plan; its `wagtail.create` entry keeps the values it was created with."""

    @transaction.atomic
    def _create(self, skip_permission_checks=False):
        wanted, self.log_action = self.log_action, None
        plan = super()._create(skip_permission_checks=skip_permission_checks)
        if wanted:
            log(instance=plan, action=wanted, user=self.user, data=_data(plan))
        return plan


class PlanEditAction(RecordedEditAction):
    """Edit a plan; its `wagtail.edit` entry keeps the old and new value of every field
    that changed (read from the database before saving, in the same transaction)."""

    @transaction.atomic
    def _edit(self, skip_permission_checks=False):
        stored = Plan.objects.select_related("store", "region").get(pk=self.instance.pk)
        before = plan_values(stored)
        wanted, self.log_action = self.log_action, None
        plan = super()._edit(skip_permission_checks=skip_permission_checks)
        if wanted:
            changes = plan_changes(before, plan_values(plan))
            log(
                instance=plan,
                action=wanted,
                user=self.user,
                content_changed=bool(changes),
                data=_data(plan, changes=changes),
            )
        return plan


class PlanDeleteAction(RecordedDeleteAction):
    """Delete a plan; its `wagtail.delete` entry keeps the values it had."""

    def _delete(self):
        with transaction.atomic():
            if self.log_action:
                plan_deleted_log(plan=self.instance, user=self.user)
                self.log_action = None  # logged above, with the values
            return super()._delete()
