"""Real small files of every kind a lab upload may be, and some it must not be, for tests and demo data."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

MINIMAL_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n"
    b"trailer << /Root 1 0 R >>\n"
    b"%%EOF\n"
)


def picture_bytes(image_format: str, size: tuple[int, int] = (40, 30), mode: str = "RGB",
                  colour=(30, 120, 200)) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, colour).save(buffer, format=image_format)
    return buffer.getvalue()


def pdf_bytes(text: str = "") -> bytes:
    if not text:
        return MINIMAL_PDF
    return MINIMAL_PDF.replace(b"trailer", f"% {text}\ntrailer".encode())


def dicom_bytes() -> bytes:
    return b"\0" * 128 + b"DICM" + b"\x02\x00\x00\x00UL\x04\x00\xc8\x00\x00\x00" + b"\0" * 200


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def png(name: str = "scan.png", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    return upload(name, picture_bytes("PNG", size), "image/png")


def jpeg(name: str = "photo.jpg", size: tuple[int, int] = (40, 30)) -> SimpleUploadedFile:
    return upload(name, picture_bytes("JPEG", size), "image/jpeg")


def webp(name: str = "photo.webp") -> SimpleUploadedFile:
    return upload(name, picture_bytes("WEBP"), "image/webp")


def tiff(name: str = "film.tiff") -> SimpleUploadedFile:
    return upload(name, picture_bytes("TIFF"), "image/tiff")


def pdf(name: str = "report.pdf", text: str = "") -> SimpleUploadedFile:
    return upload(name, pdf_bytes(text), "application/pdf")


def dicom(name: str = "chest.dcm") -> SimpleUploadedFile:
    return upload(name, dicom_bytes(), "application/dicom")


def text_as_pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return upload(name, b"This is plain text pretending to be a PDF.\n", "application/pdf")


def html_as_png(name: str = "scan.png") -> SimpleUploadedFile:
    return upload(name, b"<html><script>alert(1)</script></html>", "image/png")


def program_as_jpeg(name: str = "photo.jpg") -> SimpleUploadedFile:
    return upload(name, b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200, "image/jpeg")


def truncated_png(name: str = "cut.png") -> SimpleUploadedFile:
    return upload(name, picture_bytes("PNG", (200, 200))[:60], "image/png")


def truncated_pdf(name: str = "cut.pdf") -> SimpleUploadedFile:
    return upload(name, MINIMAL_PDF[:80], "application/pdf")


def empty(name: str = "empty.pdf") -> SimpleUploadedFile:
    return upload(name, b"", "application/pdf")
