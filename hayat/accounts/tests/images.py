"""Real small pictures, made with Pillow, for upload tests."""

import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    return picture_bytes("PNG", size)


def gif_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    return picture_bytes("GIF", size)


def picture_bytes(image_format: str, size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return buffer.getvalue()


def png_upload(name: str = "picture.png", size: tuple[int, int] = (8, 8)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(size), content_type="image/png")


def huge_png_bytes(width: int = 20000, height: int = 20000) -> bytes:
    """A small file that claims a picture of width × height pixels (a "decompression bomb")."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    rows = zlib.compress(b"\x00" * (width // 8 + 1) * 16, 9)  # only the first rows: enough to open
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
