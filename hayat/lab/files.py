"""Lab attachment files: what they really are (by content), where they are stored, and their thumbnails.

A file is accepted only when its bytes say it is one of the allowed kinds (PDF, JPEG, PNG, WebP, TIFF,
DICOM); its name and the browser's content type are ignored. Pictures must also open and verify in
Pillow. Stored names are generated (`lab/<patient code>/<uuid>.<extension of the detected kind>`), so
nothing a user typed ever reaches the file system.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

import puremagic
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

ROOT = "lab"
THUMBNAIL_SIZE = (360, 360)
CHUNK = 1024 * 1024
PDF_TAIL = 2048  # "%%EOF" must appear near the end of a PDF; a cut-off upload has none


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str
    icon: str  # Font Awesome name shown where there is no thumbnail
    pillow_format: str = ""  # set for pictures: Pillow must read the file as this format
    inline: bool = True  # browsers can show it in a tab; otherwise it is always downloaded

    @property
    def is_picture(self) -> bool:
        return bool(self.pillow_format)


KINDS: dict[str, FileKind] = {
    kind.content_type: kind
    for kind in (
        FileKind("application/pdf", "pdf", gettext_lazy("PDF document"), "file-pdf"),
        FileKind("image/jpeg", "jpg", gettext_lazy("JPEG picture"), "file-image", "JPEG"),
        FileKind("image/png", "png", gettext_lazy("PNG picture"), "file-image", "PNG"),
        FileKind("image/webp", "webp", gettext_lazy("WebP picture"), "file-image", "WEBP"),
        FileKind("image/tiff", "tiff", gettext_lazy("TIFF picture"), "file-image", "TIFF", inline=False),
        FileKind("application/dicom", "dcm", gettext_lazy("DICOM image"), "x-ray", inline=False),
    )
}
CONTENT_TYPES = tuple(KINDS)


def kind_of(content_type: str) -> FileKind:
    return KINDS[content_type]


def allowed_kinds_text() -> str:
    return "PDF, JPEG, PNG, WebP, TIFF, DICOM"


def max_bytes() -> int:
    return settings.HAYAT_UPLOAD_MAX_BYTES


def max_files_per_group() -> int:
    return settings.HAYAT_LAB_MAX_FILES_PER_GROUP


def max_group_bytes() -> int:
    """All the files of one group together, so one request cannot bring files-per-group × file-size."""
    return settings.HAYAT_UPLOAD_GROUP_MAX_BYTES


@dataclass(frozen=True)
class CheckedFile:
    """An upload whose content was checked, with what was learnt about it."""

    upload: object
    kind: FileKind
    original_name: str
    size: int
    sha256: str


def check_upload(upload) -> CheckedFile:
    """Returns what the file is, or raises ValidationError with a message that names the file."""
    name = original_name(upload)
    size = upload.size
    if not size:
        raise ValidationError(_("%(name)s is empty.") % {"name": name}, code="empty_file")
    if size > max_bytes():
        raise ValidationError(
            _("%(name)s is %(size)s; the limit is %(limit)s.")
            % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_bytes())},
            code="too_large",
        )
    kind = detect_kind(upload)
    if kind is None:
        raise ValidationError(
            _("%(name)s is not a file type Hayat accepts for lab results (%(allowed)s).")
            % {"name": name, "allowed": allowed_kinds_text()},
            code="file_type",
        )
    if kind.content_type == "application/pdf" and not has_pdf_end(upload, size):
        raise ValidationError(_("%(name)s is not a complete PDF document.") % {"name": name}, code="broken_pdf")
    if kind.is_picture:
        check_picture(upload, kind, name)
    return CheckedFile(upload=upload, kind=kind, original_name=name, size=size, sha256=digest(upload))


def detect_kind(upload) -> FileKind | None:
    upload.seek(0)
    try:
        candidates = puremagic.magic_stream(upload)
    except (puremagic.PureError, ValueError, OSError):
        return None
    finally:
        upload.seek(0)
    for candidate in candidates:
        if candidate.mime_type in KINDS:
            return KINDS[candidate.mime_type]
    return None


def has_pdf_end(upload, size: int) -> bool:
    upload.seek(max(0, size - PDF_TAIL))
    try:
        return b"%%EOF" in upload.read(PDF_TAIL)
    finally:
        upload.seek(0)


def check_picture(upload, kind: FileKind, name: str) -> None:
    unreadable = ValidationError(_("%(name)s is not a picture Hayat can read.") % {"name": name},
                                 code="broken_picture")
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format != kind.pillow_format:
                raise unreadable
            width, height = image.size
            if width * height > Image.MAX_IMAGE_PIXELS:
                raise Image.DecompressionBombError(f"{width}x{height}")
            image.verify()
    except Image.DecompressionBombError as error:
        raise ValidationError(_("%(name)s has more pixels than Hayat opens safely.") % {"name": name},
                              code="too_many_pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise unreadable from error
    finally:
        upload.seek(0)


def digest(upload) -> str:
    sha = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(CHUNK), b""):
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()


def original_name(upload) -> str:
    """The name the user's computer gave the file, without any folder, for display and downloads."""
    raw = str(getattr(upload, "name", "") or "")
    name = PurePosixPath(raw.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:200] or _("file")


def folder_for(patient_code: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "", patient_code or "") or "unknown"
    return f"{ROOT}/{safe}"


def new_name(patient_code: str, kind: FileKind) -> str:
    return f"{folder_for(patient_code)}/{uuid.uuid4().hex}.{kind.extension}"


def thumbnail_name(stored_name: str) -> str:
    stem = stored_name.rsplit(".", 1)[0]
    return f"{stem}.thumb.jpg"


def download_name(original: str, kind: FileKind) -> str:
    """The original name, with the right extension when the user's name claimed another type."""
    stem, dot, extension = original.rpartition(".")
    if dot and extension.lower() in EXTENSION_ALIASES.get(kind.extension, {kind.extension}):
        return original
    return f"{stem if dot and stem else original}.{kind.extension}"


EXTENSION_ALIASES = {"jpg": {"jpg", "jpeg", "jpe", "jfif"}, "tiff": {"tiff", "tif"}, "dcm": {"dcm", "dicom"}}


class StoredFiles:
    """Writes checked files to storage and removes them again unless the caller keeps them.

    Used as a context manager around a use case: if anything inside raises, every file written so far
    is deleted, so a refused or failed upload leaves nothing on disk.
    """

    def __init__(self, storage: Storage | None = None):
        self.storage = storage or default_storage
        self.names: list[str] = []

    def __enter__(self) -> StoredFiles:
        return self

    def __exit__(self, exc_type, exc, traceback) -> None:
        if exc_type is not None:
            self.discard()

    def save(self, name: str, content) -> str:
        content.seek(0)
        stored = self.storage.save(name, content)
        self.names.append(stored)
        return stored

    def discard(self) -> None:
        for name in self.names:
            self.storage.delete(name)
        self.names.clear()


def make_thumbnail(upload) -> ContentFile | None:
    """A small JPEG of a picture, or None when Pillow cannot draw one (odd TIFF modes, for instance)."""
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.draft("RGB", (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2))
            picture = ImageOps.exif_transpose(image)
            picture.thumbnail(THUMBNAIL_SIZE)
            if picture.mode not in ("RGB", "L"):
                canvas = Image.new("RGB", picture.size, "white")
                rgba = picture.convert("RGBA")
                canvas.paste(rgba, mask=rgba.getchannel("A"))
                picture = canvas
            buffer = BytesIO()
            picture.convert("RGB").save(buffer, format="JPEG", quality=80, optimize=True)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue())
