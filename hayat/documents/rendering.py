"""Prints a composed Sheet as PDF bytes: pages under the letterhead, then every attached file appended in order
(each page of a PDF through pypdf, each picture on a page of its own)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from pypdf import PdfReader, PdfWriter
from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFArray, PDFName, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import SimpleDocTemplate

from hayat.documents.fonts import fonts
from hayat.documents.layout import (
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN,
    MUTED,
    PAGE,
    RULE,
    WIDTH,
    Attachment,
    Sheet,
)
from hayat.documents.models import Letterhead

LOGO_HEIGHT = 18 * mm
# Pictures go into the PDF as binary streams (a JPEG as it is), not as ASCII85 text: a quarter smaller and no
# encoding pass over every photo of a lab report.
rl_config.useA85 = 0


class Frame:
    """Draws the letterhead at the top of every page and the footer (footer text, reference, page) at the bottom."""

    def __init__(self, letterhead: Letterhead, *, language: str, reference: str, page_label: str):
        self.letterhead, self.language, self.reference, self.page_label = letterhead, language, reference, page_label
        self.logo = logo_of(letterhead)

    def __call__(self, canvas: Canvas, document) -> None:
        canvas.saveState()
        self.draw_header(canvas)
        self.draw_footer(canvas, canvas.getPageNumber())
        canvas.restoreState()

    def draw_header(self, canvas: Canvas) -> None:
        regular, bold = fonts().regular, fonts().bold
        top = PAGE[1] - MARGIN
        left = MARGIN
        if self.logo is not None:
            width, height = self.logo.getSize()
            drawn = LOGO_HEIGHT * width / height
            canvas.drawImage(self.logo, left, top - LOGO_HEIGHT, width=drawn, height=LOGO_HEIGHT, mask="auto")
            left += drawn + 4 * mm
        head = self.letterhead
        canvas.setFont(bold, 13)
        canvas.drawString(left, top - 5 * mm, head.name_for(self.language))
        canvas.setFont(regular, 8)
        canvas.setFillColor(MUTED)
        for index, line in enumerate(line for line in (head.address, " · ".join(
                part for part in (head.phone, head.email) if part), tax_line(head)) if line):
            canvas.drawString(left, top - 10 * mm - index * 3.6 * mm, line)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, PAGE[1] - MARGIN - HEADER_HEIGHT + 4 * mm, PAGE[0] - MARGIN,
                    PAGE[1] - MARGIN - HEADER_HEIGHT + 4 * mm)

    def draw_footer(self, canvas: Canvas, page: int | None) -> None:
        """The footer; appended picture pages have no page number of their own (None)."""
        canvas.setFont(fonts().regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.line(MARGIN, MARGIN + FOOTER_HEIGHT - 4 * mm, PAGE[0] - MARGIN, MARGIN + FOOTER_HEIGHT - 4 * mm)
        canvas.drawString(MARGIN, MARGIN + 3 * mm, self.letterhead.footer[:140])
        canvas.drawRightString(PAGE[0] - MARGIN, MARGIN + 3 * mm,
                               " · ".join(part for part in (self.reference, page and f"{self.page_label} {page}")
                                          if part))


class CompressingCanvas(Canvas):
    """Compresses each page's content as the page ends, exactly as reportlab compresses it when the file is written
    (so the bytes are the same): a long document then holds a few KiB a page until it is saved, not the text of
    every page's drawing commands."""

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        super().showPage()
        page = self._doc.Pages.pages[-1]
        if not page.compression or not page.stream:
            return
        contents = PDFStream()
        contents.dictionary["Filter"] = PDFArray([PDFName(PDFZCompress.pdfname)])
        contents.content = PDFZCompress.encode(page.stream)
        contents.__Comment__ = "page stream"
        page.Contents, page.stream = contents, None


def tax_line(letterhead: Letterhead) -> str:
    return _("Tax ID: %(number)s") % {"number": letterhead.tax_id} if letterhead.tax_id else ""


def logo_of(letterhead: Letterhead) -> ImageReader | None:
    if not letterhead.logo:
        return None
    with letterhead.logo.open("rb") as handle:
        return ImageReader(io.BytesIO(handle.read()))


def render(sheet: Sheet, *, letterhead: Letterhead, language: str, page_label: str) -> bytes:
    """The sheet as one PDF. Call it with the document's language active."""
    buffer = io.BytesIO()
    frame = Frame(letterhead, language=language, reference=sheet.reference, page_label=page_label)
    document = SimpleDocTemplate(
        buffer, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT, title=f"{sheet.title} {sheet.reference}".strip(),
        author=letterhead.name_for(language), creator="Hayat", lang=language, initialFontName=fonts().regular)
    document.build([*sheet.head(), *sheet.story], onFirstPage=frame, onLaterPages=frame,
                   canvasmaker=CompressingCanvas)
    if not sheet.attachments:
        return buffer.getvalue()
    return with_attachments(buffer, sheet.attachments, frame)


def with_attachments(main: io.BytesIO, attachments: list[Attachment], frame: Frame) -> bytes:
    writer = PdfWriter()
    writer.append(PdfReader(main))
    for attachment in attachments:
        with attachment.open() as handle:
            if attachment.is_pdf:
                writer.append(PdfReader(handle))
            else:
                writer.append(PdfReader(picture_page(handle, attachment.caption, frame)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def picture_page(handle, caption: str, frame: Frame) -> io.BytesIO:
    """One A4 page: the caption on top, the picture as large as fits below it, the footer at the bottom."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, initialFontName=fonts().regular)
    picture = ImageReader(handle)
    canvas.setFont(fonts().bold, 10)
    canvas.drawString(MARGIN, PAGE[1] - MARGIN - 4 * mm, caption)
    room_height = PAGE[1] - 2 * MARGIN - FOOTER_HEIGHT - 10 * mm
    width, height = picture.getSize()
    scale = min(WIDTH / width, room_height / height, 1)  # shrunk to fit, never blown up past a point a pixel
    drawn_width, drawn_height = width * scale, height * scale
    canvas.drawImage(picture, MARGIN + (WIDTH - drawn_width) / 2, PAGE[1] - MARGIN - 8 * mm - drawn_height,
                     width=drawn_width, height=drawn_height)
    frame.draw_footer(canvas, None)
    canvas.showPage()
    canvas.save()
    buffer.seek(0)
    return buffer
