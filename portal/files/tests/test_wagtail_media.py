"""CMS documents and images reach only the readers of a page that uses them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.files.tests.factories import document, image, publish_sop_using
from portal.org.choices import Role

pytestmark = pytest.mark.django_db


def _document_url(doc) -> str:
    return reverse("wagtaildocs_serve", args=[doc.pk, doc.filename])


def _image_urls(client, page) -> list[str]:
    """The image URLs the page itself shows (what `{% image %}` renders)."""
    body = client.get(page.url).content.decode()
    return re.findall(r'<img[^>]+src="([^"]+)"', body)


def test_a_reader_in_the_audience_gets_the_document(client, world):
    doc = document()
    publish_sop_using(documents=[doc], roles=[Role.STORE_STAFF], stores=[world.store_a1])
    client.force_login(world.people[Role.STORE_STAFF])

    response = client.get(doc.url)

    assert doc.url == _document_url(doc)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert "anketa.pdf" in response["Content-Disposition"]


def test_a_reader_outside_the_audience_does_not_get_the_document(client, world):
    doc = document()
    publish_sop_using(documents=[doc], roles=[Role.STORE_STAFF], stores=[world.store_b1])
    client.force_login(world.people[Role.STORE_STAFF])  # a seller of A1

    assert client.get(_document_url(doc)).status_code == 404


def test_the_stored_path_of_a_document_is_no_way_around_the_rule(client, world):
    doc = document()
    publish_sop_using(documents=[doc], roles=[Role.STORE_STAFF], stores=[world.store_b1])
    client.force_login(world.people[Role.STORE_STAFF])

    assert doc.file.url == f"/media/{doc.file.name}"
    assert client.get(doc.file.url).status_code == 404


def test_content_owners_get_every_document_even_unused(client, world):
    doc = document()
    client.force_login(world.people[Role.LP_MANAGER])

    assert client.get(_document_url(doc)).status_code == 200


def test_a_document_only_a_draft_uses_is_for_content_owners(client, world):
    doc = document()
    publish_sop_using(documents=[doc], roles=[Role.STORE_STAFF], publish=False)
    client.force_login(world.people[Role.STORE_STAFF])

    assert client.get(_document_url(doc)).status_code == 404


def test_a_document_under_a_wrong_filename_is_not_found(client, world):
    doc = document()
    publish_sop_using(documents=[doc], roles=[Role.STORE_STAFF])
    client.force_login(world.people[Role.STORE_STAFF])

    assert client.get(reverse("wagtaildocs_serve", args=[doc.pk, "other.pdf"])).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    doc = document()
    publish_sop_using(documents=[doc], roles=[Role.STORE_STAFF])

    response = client.get(_document_url(doc))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_page_shows_its_image_through_the_checked_view_to_its_audience(client, world):
    picture = image()
    page = publish_sop_using(images=[picture], roles=[Role.STORE_STAFF], stores=[world.store_a1])
    client.force_login(world.people[Role.STORE_STAFF])

    [src] = _image_urls(client, page)
    response = client.get(src)

    assert src.startswith("/media/images/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_an_image_rendition_and_original_are_refused_outside_the_audience(client, world):
    picture = image()
    page = publish_sop_using(images=[picture], roles=[Role.STORE_STAFF], stores=[world.store_b1])
    client.force_login(world.people[Role.LP_MANAGER])
    [src] = _image_urls(client, page)

    client.force_login(world.people[Role.STORE_STAFF])  # a seller of A1

    assert client.get(src).status_code == 404
    assert client.get(picture.file.url).status_code == 404


def test_a_stored_file_nobody_claims_is_not_served(client, world):
    client.force_login(world.people[Role.ADMIN])

    assert client.get("/media/original_images/unknown.png").status_code == 404


def test_cms_avatars_are_for_people_who_use_the_cms(client, world):
    from django.core.files.images import ImageFile
    from wagtail.users.models import UserProfile

    picture = image()
    profile = UserProfile.get_for_user(world.people[Role.LP_MANAGER])
    profile.avatar = ImageFile(picture.file.open("rb"), name="me.png")
    profile.save()
    url = profile.avatar.url

    client.force_login(world.people[Role.ADMIN])
    shown = client.get(url).status_code
    client.force_login(world.people[Role.STORE_STAFF])
    refused = client.get(url).status_code

    assert (shown, refused) == (200, 404)
