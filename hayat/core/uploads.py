"""Checks of uploaded files by their content, never by their name alone."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError


@dataclass(frozen=True)
class ImageType:
    extension: str
    content_type: str


# The picture formats Hayat accepts, by the name Pillow gives them when it reads a file's content.
IMAGE_TYPES = {
    "JPEG": ImageType("jpg", "image/jpeg"),
    "PNG": ImageType("png", "image/png"),
    "WEBP": ImageType("webp", "image/webp"),
    "GIF": ImageType("gif", "image/gif"),
}
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@dataclass(frozen=True)
class CleanImage:
    """A picture decoded and written again by Pillow: no trailing bytes, no metadata, a known type."""

    content: bytes
    format: str

    @property
    def type(self) -> ImageType:
        return IMAGE_TYPES[self.format]


def check_size(upload, max_bytes: int) -> None:
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="too_large",
        )


def check_image(upload, max_bytes: int) -> str:
    """Accepts only a real JPEG, PNG, WebP or GIF picture within the size limit; returns its format."""
    check_size(upload, max_bytes)
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            check_pixels(image)
            image.verify()
            image_format = image.format
    except Image.DecompressionBombError as error:
        raise too_many_pixels() from error
    except UNREADABLE as error:
        raise ValidationError(_("This file is not a picture Hayat can read."), code="not_an_image") from error
    finally:
        upload.seek(0)
    if image_format not in IMAGE_TYPES:
        raise ValidationError(
            _("Pictures must be JPEG, PNG, WebP or GIF, not %(format)s.") % {"format": image_format},
            code="image_format",
        )
    return image_format


def clean_image(upload, *, max_bytes: int, max_side: int) -> CleanImage:
    """Checks a picture like `check_image`, then decodes it and encodes it again in its own format.

    Whatever rode along in the file (bytes after the picture's end, a script, camera metadata) is gone,
    and the picture is turned upright as the camera recorded and shrunk to at most `max_side` pixels.
    """
    image_format = check_image(upload, max_bytes)
    try:
        with Image.open(upload) as image:
            image.seek(0)  # the first frame of an animation
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail((max_side, max_side))
            buffer = BytesIO()
            picture.save(buffer, format=image_format)
    except Image.DecompressionBombError as error:
        raise too_many_pixels() from error
    except UNREADABLE as error:
        raise ValidationError(_("This file is not a picture Hayat can read."), code="not_an_image") from error
    finally:
        upload.seek(0)
    return CleanImage(buffer.getvalue(), image_format)


def stored_image_type(stored_file) -> ImageType | None:
    """The type of a stored picture read from its content (the name may lie), or None if it is no picture."""
    try:
        with stored_file.open("rb") as handle, Image.open(handle) as image:
            return IMAGE_TYPES.get(image.format)
    except (*UNREADABLE, Image.DecompressionBombError):
        return None


def check_pixels(image: Image.Image) -> None:
    """Pillow only warns between its limit and twice that; a picture that big would fill the memory."""
    width, height = image.size
    if width * height > Image.MAX_IMAGE_PIXELS:
        raise Image.DecompressionBombError(f"{width}x{height}")


def too_many_pixels() -> ValidationError:
    return ValidationError(
        _("This picture has more than %(limit)s million pixels; please send a smaller one.")
        % {"limit": Image.MAX_IMAGE_PIXELS // 1_000_000},
        code="too_many_pixels",
    )
