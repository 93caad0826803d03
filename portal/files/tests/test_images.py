"""Photos from phones: checked by their content, re-encoded as JPEG without metadata,
refused (with the reason) when not a photo, too large, or an image bomb."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from portal.files.images import MAX_BYTES, image_clean

GPS, MODEL, ORIENTATION = 0x8825, 0x0110, 0x0112


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _photo(size=(1200, 900), *, kind="JPEG", mode="RGB", name="", **save) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new(mode, size, "#2e86c1").save(buffer, kind, **save)
    return SimpleUploadedFile(name or f"photo.{kind.lower()}", buffer.getvalue())


def _phone_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[GPS] = {1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)}
    exif[MODEL] = "Phone X"
    exif[ORIENTATION] = orientation
    return exif


def _png_header_only(width: int, height: int, name: str = "bomb.png") -> SimpleUploadedFile:
    """A real 1-bit PNG of width × height blank pixels: a few kilobytes that unpack into
    width × height bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    packer = zlib.compressobj(9)
    row = b"\0" * (1 + (width + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    content = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
    return SimpleUploadedFile(name, content + chunk(b"IEND", b""))


def _opened(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_a_phone_photo_comes_back_as_a_jpeg_without_exif_gps_or_comment():
    upload = _photo((4000, 3000), exif=_phone_exif(), comment=b"IMG_0042 Moscow, Tverskaya 7")

    clean = image_clean(upload)

    image = _opened(clean.content)
    assert (image.format, image.size, (clean.width, clean.height)) == (
        "JPEG",
        (2560, 1920),
        (2560, 1920),
    )
    assert not image.getexif() and GPS not in image.getexif()
    assert "exif" not in image.info and "comment" not in image.info
    assert b"Tverskaya" not in clean.content and b"Phone X" not in clean.content


def test_a_photo_taken_sideways_is_turned_upright_as_the_phone_showed_it():
    clean = image_clean(_photo((400, 300), exif=_phone_exif(orientation=6)))

    assert (clean.width, clean.height) == (300, 400)
    assert not _opened(clean.content).getexif()


@pytest.mark.parametrize(
    ("kind", "mode", "save"),
    [("PNG", "RGBA", {}), ("PNG", "P", {}), ("WEBP", "RGB", {}), ("JPEG", "L", {})],
)
def test_png_webp_and_grey_photos_are_accepted_as_jpeg(kind, mode, save):
    clean = image_clean(_photo((640, 480), kind=kind, mode=mode, **save))

    image = _opened(clean.content)
    assert (image.format, image.size) == ("JPEG", (640, 480))
    assert image.mode in ("RGB", "L")


def test_a_small_photo_keeps_its_size_and_a_bytes_buffer_is_read_as_well():
    upload = _photo((800, 600))

    clean = image_clean(io.BytesIO(upload.read()), long_side=1000)

    assert (clean.width, clean.height) == (800, 600)


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.jpg", b"just text"), "notes.jpg is not a photo"),
        (SimpleUploadedFile("page.jpg", b"<html><script>x</script>"), "page.jpg is not a photo"),
        (_photo(kind="GIF", mode="P", name="anim.jpg"), "anim.jpg is not a photo"),
        (_photo(kind="BMP", name="raw.jpg"), "raw.jpg is not a photo"),
    ],
    ids=["text", "html", "gif", "bmp"],
)
def test_what_is_not_a_photo_by_its_content_is_refused_whatever_its_name(upload, message):
    with pytest.raises(ValidationError) as refused:
        image_clean(upload)

    assert refused.value.messages == [f"{message} (JPEG, PNG or WebP)."]


def test_an_upload_over_10_mb_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("big.jpg", b"\xff" * (MAX_BYTES + 1))

    with pytest.raises(ValidationError) as refused:
        image_clean(upload)

    assert refused.value.messages == ["big.jpg is 10.0 MB; a photo may be at most 10 MB."]


@pytest.mark.parametrize(
    "side",
    [7000, 10_000, 20_000],  # 49 MP (decodable); 100 MP (Pillow warns); 400 MP (Pillow refuses)
)
def test_too_many_pixels_or_an_image_bomb_is_refused_by_its_header(side):
    upload = _png_header_only(side, side)
    assert upload.size < 200_000  # small as sent

    with pytest.raises(ValidationError) as refused:
        image_clean(upload)

    assert refused.value.messages == [
        "bomb.png has more than 40 megapixels; a photo may have at most 40."
    ]


def test_the_limits_can_be_tightened_and_a_name_given():
    with pytest.raises(ValidationError, match="the result photo has more than 0 megapixels"):
        image_clean(_photo((1000, 1000)), max_pixels=500_000, name="the result photo")
    with pytest.raises(ValidationError, match="a photo may be at most 0 MB"):
        image_clean(_photo((1000, 1000)), max_bytes=1000)


def test_a_truncated_photo_is_refused_as_unreadable():
    whole = _photo((1200, 900)).read()
    upload = SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2])

    with pytest.raises(ValidationError) as refused:
        image_clean(upload)

    assert refused.value.messages == ["cut.jpg could not be read as a photo (OSError)."]


def test_a_truncated_photo_is_refused_even_after_weasyprint_let_pillow_pad_images(monkeypatch):
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing it does
    whole = _photo((1200, 900)).read()

    with pytest.raises(ValidationError):
        image_clean(SimpleUploadedFile("cut.jpg", whole[: len(whole) // 2]))

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as the process had it
