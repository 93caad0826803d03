"""Other intake channels (a chatbot, the app) and their API tokens: issue (or rotate) and
authenticate. Like the POS systems' tokens, a token is shown once, when issued; the
database keeps its SHA-256 and its first eight characters, never the token itself."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from incidents.models import IntakeChannel
from incidents.services.csat import token_hash

PREFIX_LENGTH = 8


@transaction.atomic
def channel_token_issue(*, name: str) -> tuple[IntakeChannel, str, bool]:
    """Create the channel `name`, or give an existing one a new token (the old one stops
    working at once) and reactivate it. Returns the channel, the raw token (stored
    nowhere: show it once) and whether the channel is new."""
    raw = secrets.token_urlsafe(32)
    channel = IntakeChannel.objects.select_for_update().filter(name=name).first()
    created = channel is None
    if created:
        channel = IntakeChannel(name=name)
    channel.token_prefix = raw[:PREFIX_LENGTH]
    channel.token_hash = token_hash(raw)
    channel.is_active = True
    channel.save()
    return channel, raw, created


def channel_authenticate(raw: str) -> IntakeChannel | None:
    """The active channel holding this token, or None; records when it was used."""
    if not raw or len(raw) > 128:
        return None
    channel = IntakeChannel.objects.filter(token_hash=token_hash(raw), is_active=True).first()
    if channel is not None:
        channel.last_used_at = timezone.now()
        IntakeChannel.objects.filter(pk=channel.pk).update(last_used_at=channel.last_used_at)
    return channel
