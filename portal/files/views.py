"""Permission-checked file views: the only way stored files leave the server.

The pattern for every private file: find the object (404 if there is none), ask its rule
(404 when the reader may not have it: never reveal that it exists), answer with
`private_file_response`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.models import document_served

from portal.files.registry import private_file_for
from portal.files.responses import private_file_response
from portal.files.wagtail_media import document_private_file


@login_required
def media_serve(request: HttpRequest, path: str) -> HttpResponse:
    """`/media/<path>`: a stored file, to the people its owner's rule admits."""
    found = private_file_for(path)
    if found is None or not found.readable_by(request.user):
        raise Http404
    return private_file_response(request, found.file, filename=found.filename, inline=found.inline)


@login_required
def document_serve(request: HttpRequest, document_id: int, document_filename: str) -> HttpResponse:
    """Replaces Wagtail's document view (same URL name, `wagtaildocs_serve`)."""
    document_model = get_document_model()
    document = get_object_or_404(document_model, pk=document_id)
    if document.filename != document_filename:
        raise Http404
    found = document_private_file(document)
    if not found.readable_by(request.user):
        raise Http404
    # Wagtail's own checks (collection privacy) still apply.
    for hook in hooks.get_hooks("before_serve_document"):
        result = hook(document, request)
        if isinstance(result, HttpResponse):
            return result
    document_served.send(sender=document_model, instance=document, request=request)
    return private_file_response(request, found.file, filename=found.filename, inline=found.inline)
