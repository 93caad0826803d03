"""The one private-file response: disposition, no sniffing, no active content."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory

from portal.files.responses import private_file_response, safe_filename


def _response(name: str, *, inline: bool, content: bytes = b"data"):
    request = RequestFactory().get("/media/x")
    return private_file_response(
        request, ContentFile(content, name=name), filename=name, inline=inline
    )


@pytest.mark.parametrize("inline", [True, False])
def test_every_private_file_carries_nosniff_and_a_closed_csp(inline):
    response = _response("anketa.pdf", inline=inline)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["Cache-Control"].startswith("private")
    assert b"".join(response.streaming_content) == b"data"


def test_an_image_shown_inline_names_its_file():
    response = _response("stand.png", inline=True)

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="stand.png"'


@pytest.mark.parametrize("name", ["page.html", "drawing.svg", "form.docx", "noext"])
def test_active_or_unknown_types_are_downloaded_even_when_asked_inline(name):
    response = _response(name, inline=True)

    assert response["Content-Disposition"].startswith("attachment;")


def test_a_russian_filename_is_sent_as_rfc_5987():
    response = _response("Бланк анкеты.pdf", inline=False)

    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("dir\\evil.pdf", "evil.pdf"),
        ('a"\r\nSet-Cookie: x.pdf', 'a"Set-Cookie: x.pdf'),
        ("...", "file"),
    ],
)
def test_filenames_lose_paths_and_control_characters(raw, safe):
    assert safe_filename(raw) == safe
