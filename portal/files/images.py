"""Photos people upload from a phone (audit evidence, a corrective action's result): checked
by their content, never trusted by name or type; re-encoded as JPEG, which drops every
EXIF tag (GPS position, phone model, time) and anything hidden after the image data.

Limits: 10 MB as sent, 40 megapixels. A picture is measured from its header before its
pixels are decoded, so an "image bomb" (a small file that unpacks into billions of
pixels) is refused without the memory it asks for."""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "MPO", "PNG", "WEBP")
LONG_SIDE = 2560  # stored photos are at most this long: plenty to read a price tag
QUALITY = 85


@dataclass(frozen=True)
class CleanImage:
    content: bytes  # JPEG, no metadata
    width: int
    height: int


def image_clean(
    upload: UploadedFile | io.BytesIO,
    *,
    name: str = "",
    max_bytes: int = MAX_BYTES,
    max_pixels: int = MAX_PIXELS,
    long_side: int = LONG_SIDE,
) -> CleanImage:
    """The upload as a clean JPEG, or `ValidationError` naming the file and what is wrong."""
    label = name or getattr(upload, "name", "") or _("the photo")
    size = getattr(upload, "size", None)
    if size is None:
        size = len(upload.getbuffer())
    if size > max_bytes:
        raise ValidationError(
            _("%(name)s is %(size)s MB; a photo may be at most %(max)s MB.")
            % {"name": label, "size": round(size / 2**20, 1), "max": max_bytes // 2**20}
        )
    not_a_photo = _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": label}
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:  # reads the header only
                width, height, kind = *probe.size, probe.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        width = height = max_pixels  # its header asks for more than Pillow will decode
        kind = "bomb"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(not_a_photo) from None
    if width * height > max_pixels:
        raise ValidationError(
            _("%(name)s has more than %(max)s megapixels; a photo may have at most %(max)s.")
            % {"name": label, "max": max_pixels // 10**6}
        )
    if kind not in FORMATS:
        raise ValidationError(not_a_photo)
    upload.seek(0)
    # WeasyPrint, once imported, lets Pillow pad a truncated image with grey for the whole
    # process; a photo cut short in transit must be refused, not stored half grey.
    padded = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(upload) as image:
            image.load()
            image = ImageOps.exif_transpose(image)  # upright as the phone showed it
            if image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            image.thumbnail((long_side, long_side))
            # Pillow writes a JPEG's comment (COM) from the image's own info unless told
            # otherwise: nothing read from the upload goes into the clean file.
            image.info.clear()
            out = io.BytesIO()
            image.save(out, "JPEG", quality=QUALITY, optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(
            _("%(name)s could not be read as a photo (%(error)s).")
            % {"name": label, "error": error.__class__.__name__}
        ) from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = padded
    return CleanImage(out.getvalue(), image.width, image.height)
