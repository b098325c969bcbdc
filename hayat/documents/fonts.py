"""The one font of every printed document: Noto Sans from the `fontpkg-noto-sans` package, never the machine's.

The package carries a variable TrueType font (width and weight axes). reportlab draws only static outlines, so
fontTools' instancer derives two static instances (regular 400 and bold 700, normal width) the first time a
document is printed, into HAYAT_DATA_DIR/fonts/; later prints and other processes reuse those files. The font
covers Latin, Cyrillic, the Uzbek ʻ (U+02BB) and the peso sign ₱, so Russian and Uzbek never fall back to
Helvetica.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import fontpkg
from django.conf import settings
from fontTools.ttLib import TTFont as FontFile
from fontTools.varLib.instancer import instantiateVariableFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "Noto Sans"
REGULAR, BOLD = "HayatNotoSans", "HayatNotoSans-Bold"
WEIGHTS = {REGULAR: 400, BOLD: 700}


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str


def fonts() -> Fonts:
    """The registered (regular, bold) font names; derives the static instances on first use."""
    registered = pdfmetrics.getRegisteredFontNames()
    for name, weight in WEIGHTS.items():
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(static_instance(name, weight))))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return Fonts(REGULAR, BOLD)


def variable_font() -> Path:
    return Path(fontpkg.path(FAMILY))


def static_instance(name: str, weight: int) -> Path:
    """The static font file of one weight, derived from the packaged variable font if not there yet."""
    source = variable_font()
    target = Path(settings.DATA_DIR) / "fonts" / f"{name}-{source.stat().st_size}.ttf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        write_instance(source, target, weight)
    return target


def write_instance(source: Path, target: Path, weight: int) -> None:
    """Writes a temporary file and moves it into place, so a process never reads a half-written font."""
    with FontFile(str(source)) as variable:
        static = instantiateVariableFont(variable, {"wght": weight, "wdth": 100}, updateFontNames=False)
        handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".ttf")
        os.close(handle)
        static.save(temporary)
    os.replace(temporary, target)
