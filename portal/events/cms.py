"""CMS-edited snippets record their changes through `event_record` (`SnippetEvent`).

Wagtail 8 saves a snippet through its actions (`wagtail.actions`: create, edit, delete),
which the snippet views look up in `action_registry` and run in one transaction; its
`after_*_snippet` hooks run only after that transaction has committed, and its own log
entries keep no values. So `portal.events.wagtail_hooks` registers the recorded actions
below for every snippet model: the event is written in the same transaction as the
change, with the values the object was created or deleted with, or every changed
field's value before and after (read from the database on both sides, so an inline
panel's rows count too). Wagtail's bulk delete bypasses the actions; its
`before_bulk_action` hook (inside the bulk transaction) records those deletions.

A model that needs its own actions (`kpi.plan_actions`) subclasses these."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from wagtail.actions.create import CreateAction
from wagtail.actions.delete import DeleteAction
from wagtail.actions.edit import EditAction

from portal.events.changes import field_changes, instance_values
from portal.events.models import SnippetEvent, SnippetEventKind
from portal.events.services import event_record


def stored_values(instance: models.Model) -> dict[str, Any]:
    """The object's values as the database holds them now (inline rows included)."""
    stored = type(instance)._default_manager.get(pk=instance.pk)
    return instance_values(stored)


def snippet_event_record(
    instance: models.Model, *, kind: str, actor: Any, payload: dict[str, Any]
) -> SnippetEvent:
    """Record a snippet's change: its type, key and name, who, and `payload`."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return event_record(
        SnippetEvent,
        kind=kind,
        actor=user,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=True),
        object_id=str(instance.pk),
        object_repr=str(instance)[:255],
        payload=payload,
    )


def snippet_deleted_record(instance: models.Model, *, actor: Any) -> SnippetEvent:
    """Record a deletion with the values the object had (call before deleting it)."""
    return snippet_event_record(
        instance,
        kind=SnippetEventKind.DELETED,
        actor=actor,
        payload={"values": stored_values(instance)},
    )


class RecordedCreateAction(CreateAction):
    """Create the snippet; a `created` event keeps the values it was created with."""

    @transaction.atomic
    def _create(self, skip_permission_checks: bool = False):
        instance = super()._create(skip_permission_checks=skip_permission_checks)
        snippet_event_record(
            instance,
            kind=SnippetEventKind.CREATED,
            actor=self.user,
            payload={"values": stored_values(instance)},
        )
        return instance


class RecordedEditAction(EditAction):
    """Edit the snippet; an `edited` event keeps every changed field's value before and
    after (an edit that changes nothing records nothing)."""

    @transaction.atomic
    def _edit(self, skip_permission_checks: bool = False):
        before = stored_values(self.instance)
        instance = super()._edit(skip_permission_checks=skip_permission_checks)
        changes = field_changes(before, stored_values(instance))
        if changes:
            snippet_event_record(
                instance,
                kind=SnippetEventKind.EDITED,
                actor=self.user,
                payload={"changes": changes},
            )
        return instance


class RecordedDeleteAction(DeleteAction):
    """Delete the snippet; a `deleted` event keeps the values it had."""

    def _delete(self):
        with transaction.atomic():
            snippet_deleted_record(self.instance, actor=self.user)
            return super()._delete()


RECORDED_ACTIONS = (RecordedCreateAction, RecordedEditAction, RecordedDeleteAction)
