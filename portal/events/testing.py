"""Helpers for the tests of apps whose snippets record events."""

from __future__ import annotations


def snippet_events(model, pk):
    """The CMS's event rows of one object, oldest first (for the apps' own CMS tests)."""
    from django.contrib.contenttypes.models import ContentType

    from portal.events.models import SnippetEvent

    return list(
        SnippetEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
        ).order_by("pk")
    )
