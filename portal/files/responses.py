"""The one response for private files: explicit disposition, no sniffing, no active content."""

from __future__ import annotations

import mimetypes
import posixpath
import unicodedata

from django.core.files import File
from django.http import FileResponse, HttpRequest

# Types a browser may show inline: raster images and PDF. Anything else (HTML, SVG, XML,
# office files...) is downloaded, so a file can never run as a page of the portal.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})


def safe_filename(filename: str) -> str:
    """The last path component, without control characters; never empty."""
    name = posixpath.basename(filename.replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name or "file"


def private_file_response(
    request: HttpRequest, file: File, *, filename: str, inline: bool
) -> FileResponse:
    """Stream `file` to the browser of someone a view has already authorised.

    Guarantees: `Content-Disposition` names a safe filename (RFC 6266, non-ASCII as
    `filename*`), `inline` only for the image and PDF types in `INLINE_TYPES` (everything
    else is an attachment), `X-Content-Type-Options: nosniff`,
    `Content-Security-Policy: default-src 'none'`, and `Cache-Control: private` so no
    shared cache keeps a copy.
    """
    name = safe_filename(filename)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    inline = inline and content_type in INLINE_TYPES
    file.open("rb")
    response = FileResponse(
        file, as_attachment=not inline, filename=name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "private, max-age=0, must-revalidate"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
