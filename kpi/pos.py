"""POS systems and their API tokens: issue (or rotate) and authenticate.

A token is shown once, when issued; the database keeps its SHA-256 and its first eight
characters (so people can tell tokens apart), never the token itself.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kpi.models import PosSystem, PosTokenEvent
from portal.events.services import event_record
from portal.org.models import Store, User

PREFIX_LENGTH = 8


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def pos_token_issue(
    *, name: str, stores: QuerySet[Store], actor: User | None = None
) -> tuple[PosSystem, str]:
    """Create the POS system `name`, or give an existing one a new token (the old one
    stops working at once) and reactivate it. Its stores become exactly `stores`.
    Returns the system and the raw token, which is not stored anywhere: show it once.
    `actor` is who issued it (None: the `pos_token` command)."""
    raw = secrets.token_urlsafe(32)
    pos = PosSystem.objects.select_for_update().filter(name=name).first() or PosSystem(name=name)
    kind = PosTokenEvent.Kind.ROTATED if pos.pk else PosTokenEvent.Kind.ISSUED
    pos.token_prefix = raw[:PREFIX_LENGTH]
    pos.token_hash = token_hash(raw)
    pos.is_active = True
    pos.save()
    pos.stores.set(stores)
    event_record(
        PosTokenEvent,
        pos=pos,
        kind=kind,
        actor=actor,
        token_prefix=pos.token_prefix,
        stores=sorted(stores.values_list("code", flat=True)),
    )
    return pos, raw


def pos_authenticate(raw: str) -> PosSystem | None:
    """The active POS system holding this token, or None; records when it was used."""
    if not raw:
        return None
    pos = PosSystem.objects.filter(token_hash=token_hash(raw), is_active=True).first()
    if pos is not None:
        pos.last_used_at = timezone.now()
        PosSystem.objects.filter(pk=pos.pk).update(last_used_at=pos.last_used_at)
    return pos
