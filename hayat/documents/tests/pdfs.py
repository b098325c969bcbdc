"""Reading printed documents back in tests: their text (pypdf), their pages as PNG (pdftoppm), blank pages."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageStat
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def pdftoppm() -> str:
    """Debian's poppler-utils; installed here when missing (the test machines are Debian, as root)."""
    found = shutil.which("pdftoppm")
    if found is None:
        subprocess.run(["apt-get", "update", "-q"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "poppler-utils"], check=True, capture_output=True)
        found = shutil.which("pdftoppm")
    assert found, "pdftoppm (poppler-utils) is needed to render documents to pictures"
    return found


def pages_as_png(pdf: bytes, *, folder: Path | None = None, name: str = "page", dpi: int = 50) -> list[Path]:
    folder = folder or Path(tempfile.mkdtemp(prefix="hayat-doc-png-"))
    source = folder / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run([pdftoppm(), "-png", "-r", str(dpi), str(source), str(folder / name)], check=True)
    return sorted(folder.glob(f"{name}-*.png"))


def is_blank(png: Path) -> bool:
    """A page with no ink: every pixel (near) white."""
    with Image.open(png) as picture:
        darkest = min(low for low, _high in ImageStat.Stat(picture.convert("L")).extrema)
    return darkest > 240


def pdf_of_pages(count: int, label: str = "Scan page") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    for number in range(1, count + 1):
        canvas.setFont("Helvetica", 28)
        canvas.drawString(100, 700, f"{label} {number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
