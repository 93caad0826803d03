"""Before and after values of a change, as an event's payload keeps them (JSON)."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

JsonValue = Any


def jsonable(value: Any) -> JsonValue:
    """A value as JSON keeps it: dates and times in ISO 8601, a decimal as its text
    (money stays exact), a model as its primary key, a file as its stored name."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(item) for item in value]
    return str(value)


def field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> dict[str, list[JsonValue]]:
    """`{field: [before, after]}` for every field whose JSON value differs (a field
    present on one side only counts as changed from or to None)."""
    diff: dict[str, list[JsonValue]] = {}
    for name in [*before, *(name for name in after if name not in before)]:
        old, new = jsonable(before.get(name)), jsonable(after.get(name))
        if old != new:
            diff[name] = [old, new]
    return diff


def instance_values(instance: models.Model, *, exclude: Iterable[str] = ()) -> dict[str, Any]:
    """An object's own values, by field name, as JSON: every concrete field but the
    primary key (a foreign key as the related object's key), many-to-many fields as
    sorted keys, and each child relation of a cluster (Wagtail's inline panels) as the
    list of its rows' values."""
    skip = set(exclude)
    opts = instance._meta
    values: dict[str, Any] = {}
    for field in opts.concrete_fields:
        if field.primary_key or field.name in skip:
            continue
        raw = field.value_from_object(instance)
        values[field.name] = jsonable(raw) if _plain(raw) else field.value_to_string(instance)
    if instance.pk is None:
        return values
    for field in opts.many_to_many:
        if field.name not in skip:
            values[field.name] = sorted(jsonable(pk) for pk in _related_keys(instance, field))
    for relation in _child_relations(instance):
        name = relation.get_accessor_name()
        if name in skip:
            continue
        parent_field = relation.field.name
        values[name] = [
            instance_values(child, exclude={parent_field})
            for child in getattr(instance, name).all()
        ]
    return values


def _plain(value: Any) -> bool:
    return value is None or isinstance(
        value,
        (
            bool,
            int,
            float,
            str,
            Decimal,
            datetime.date,
            datetime.time,
            uuid.UUID,
            FieldFile,
            list,
            dict,
            models.Model,
        ),
    )


def _related_keys(instance: models.Model, field: models.Field) -> list[Any]:
    return list(getattr(instance, field.name).values_list("pk", flat=True))


def _child_relations(instance: models.Model) -> list:
    """The cluster's child relations (modelcluster), none for a plain model."""
    try:
        from modelcluster.models import get_all_child_relations
    except ImportError:  # pragma: no cover - modelcluster is installed with Wagtail
        return []
    return get_all_child_relations(instance)
