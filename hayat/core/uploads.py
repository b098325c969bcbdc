"""Checks of uploaded files by their content, never by their name alone."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


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
            image.verify()
            image_format = image.format
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(_("This file is not a picture Hayat can read."), code="not_an_image") from error
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(
            _("Pictures must be JPEG, PNG, WebP or GIF, not %(format)s.") % {"format": image_format},
            code="image_format",
        )
    return image_format
