"""The site icon: linked from every page and answered at /favicon.ico."""

from __future__ import annotations

from django.contrib.staticfiles import finders


def test_favicon_ico_redirects_to_the_sites_icon(client, db):
    # When a browser asks for /favicon.ico (no login), then it is sent to the static icon
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")


def test_pages_link_the_icon(client, db):
    html = client.get("/accounts/login/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg"' in html
