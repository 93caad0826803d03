"""The one way to record an event: `event_record(Model, kind=…, actor=…, payload=…, **refs)`.

Call it inside the service's transaction, so the event and the change it records are
written together or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils import timezone

from portal.events.changes import jsonable
from portal.events.models import Event

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

E = TypeVar("E", bound=Event)


class UnknownEventKind(ValueError):
    """A kind the event model does not declare (a typo would otherwise be stored)."""


def event_build(
    model: type[E],
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    payload: Mapping[str, Any] | None = None,
    at: datetime | None = None,
    **refs: Any,
) -> E:
    """An unsaved event row (for `bulk_create`); `event_record` saves one at once."""
    choices = model._meta.get_field("kind").choices
    if choices and kind not in {value for value, _label in choices}:
        raise UnknownEventKind(f"{model.__name__} has no kind {kind!r}")
    return model(
        kind=kind,
        actor=actor,
        at=at or timezone.now(),
        payload=jsonable(dict(payload or {})),
        **refs,
    )


def event_record(
    model: type[E],
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    payload: Mapping[str, Any] | None = None,
    at: datetime | None = None,
    **refs: Any,
) -> E:
    """Record that `actor` (None: the system) did `kind` to what `refs` name (the
    concrete model's own fields: `attempt=…`, `store=…`), with `payload` as JSON
    (dates, decimals and model objects are turned into JSON values). Raises
    `UnknownEventKind` for a kind the model does not declare."""
    event = event_build(model, kind=kind, actor=actor, payload=payload, at=at, **refs)
    event.save(force_insert=True)
    return event


def events_record(
    model: type[E],
    *,
    kind: str,
    actor: AbstractBaseUser | None,
    payloads: Iterable[Mapping[str, Any]],
    at: datetime | None = None,
    **refs: Any,
) -> list[E]:
    """Several events of one kind at once (one INSERT), one per payload."""
    at = at or timezone.now()
    return model.objects.bulk_create(
        event_build(model, kind=kind, actor=actor, payload=payload, at=at, **refs)
        for payload in payloads
    )
