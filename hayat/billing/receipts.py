"""The printed receipt of a payment, deposit or refund: an A5 PDF in the language of the user who prints it.

Russian and Uzbek need a TrueType font with Cyrillic and the Uzbek apostrophe letters (oʻ, gʻ):
`HAYAT_PDF_FONT` names one, else the first of the usual system fonts found (DejaVu Sans on Linux,
Arial on Windows). Without any, the PDF falls back to Helvetica, which shows Latin text only.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from hayat.billing.models import Payment, PaymentKind
from hayat.core import clock
from hayat.core.formats import format_datetime
from hayat.core.money import format_money

REGULAR_FONTS = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "C:/Windows/Fonts/arial.ttf",
    "/System/Library/Fonts/Supplemental/Arial.ttf", "/Library/Fonts/Arial.ttf",
]
FONT_NAME = "HayatSans"
BOLD_NAME = "HayatSans-Bold"


def bold_path(regular: Path) -> Path:
    for candidate in (regular.with_name(regular.stem + "-Bold" + regular.suffix),
                      regular.with_name(regular.stem.replace("-Regular", "-Bold") + regular.suffix),
                      regular.with_name("arialbd.ttf"), regular.with_name("Arial Bold.ttf")):
        if candidate != regular and candidate.exists():
            return candidate
    return regular


def fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with reportlab; Helvetica when no TrueType font is found."""
    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME, BOLD_NAME
    configured = [settings.HAYAT_PDF_FONT] if settings.HAYAT_PDF_FONT else []
    for path in (Path(candidate) for candidate in [*configured, *REGULAR_FONTS]):
        if path.is_file():
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))
            pdfmetrics.registerFont(TTFont(BOLD_NAME, str(bold_path(path))))
            return FONT_NAME, BOLD_NAME
    return "Helvetica", "Helvetica-Bold"


def title_of(payment: Payment) -> str:
    return {PaymentKind.PAYMENT: _("Payment receipt"), PaymentKind.DEPOSIT: _("Deposit receipt"),
            PaymentKind.REFUND: _("Refund receipt")}[payment.kind]


def rows_of(payment: Payment) -> list[tuple[str, str]]:
    rows = [
        (_("Receipt number"), payment.number),
        (_("Date"), format_datetime(payment.at)),
        (_("Patient"), f"{payment.patient.full_name} ({payment.patient.code})"),
    ]
    if payment.bill_id:
        bill = payment.bill
        rows.append((_("Bill"), bill.number))
        source = bill.booking.number if bill.booking_id else str(bill.episode)
        rows.append((_("Booking") if bill.booking_id else _("Episode"), source))
    rows.append((_("Method"), payment.get_method_display()))
    if payment.note:
        rows.append((_("Note"), payment.note))
    if payment.balance_after is not None:
        if payment.bill_id:
            label = _("Balance due after this payment") if payment.kind == PaymentKind.PAYMENT else _("Balance after")
        else:
            label = _("Deposit left")
        rows.append((label, format_money(payment.balance_after)))
    teller = _("Paid out by") if payment.kind == PaymentKind.REFUND else _("Received by")
    rows.append((teller, payment.received_by.full_name))
    if payment.kind == PaymentKind.REFUND:
        refund = getattr(payment, "refund_request", None)
        if refund is not None and refund.decided_by_id:
            rows.append((_("Approved by"), refund.decided_by.full_name))
    return rows


def render(payment: Payment, *, language: str) -> bytes:
    """The receipt as PDF bytes, its words in `language`."""
    regular, bold = fonts()
    with override(language):
        buffer = io.BytesIO()
        document = SimpleDocTemplate(buffer, pagesize=A5, leftMargin=12 * mm, rightMargin=12 * mm,
                                     topMargin=12 * mm, bottomMargin=12 * mm, author="Hayat",
                                     title=f"{title_of(payment)} {payment.number}")
        brand = ParagraphStyle("brand", fontName=bold, fontSize=11, textColor=colors.HexColor("#0d6efd"))
        heading = ParagraphStyle("heading", fontName=bold, fontSize=15, leading=19, spaceAfter=2 * mm)
        cell = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=12)
        label = ParagraphStyle("label", parent=cell, textColor=colors.HexColor("#555555"))
        big = ParagraphStyle("big", fontName=bold, fontSize=16, leading=20, alignment=TA_CENTER)
        small = ParagraphStyle("small", fontName=regular, fontSize=7, leading=9, textColor=colors.grey)
        sign = "-" if payment.kind == PaymentKind.REFUND else ""
        table = Table([[Paragraph(escape(name), label), Paragraph(escape(value), cell)]
                       for name, value in rows_of(payment)], colWidths=[45 * mm, 79 * mm])
        table.setStyle(TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        amount = Table([[Paragraph(escape(f"{sign}{format_money(payment.amount)}"), big)]], colWidths=[124 * mm])
        amount.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.8, colors.black),
                                    ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
        signatures = Table([[Paragraph(escape(_("Teller's signature")), label),
                             Paragraph(escape(_("Patient's signature")), label)],
                            ["", ""]], colWidths=[62 * mm, 62 * mm], rowHeights=[None, 12 * mm])
        signatures.setStyle(TableStyle([("LINEBELOW", (0, 1), (0, 1), 0.5, colors.black),
                                        ("LINEBELOW", (1, 1), (1, 1), 0.5, colors.black),
                                        ("RIGHTPADDING", (0, 0), (0, -1), 8 * mm)]))
        printed = format_datetime(clock.now())
        document.build([
            Paragraph("Hayat", brand),
            Paragraph(escape(f"{title_of(payment)} {payment.number}"), heading),
            amount, Spacer(1, 4 * mm), table, Spacer(1, 10 * mm), signatures, Spacer(1, 6 * mm),
            Paragraph(escape(_("Printed %(when)s. Keep this receipt.") % {"when": printed}), small),
        ])
        return buffer.getvalue()


def escape(text: str) -> str:
    """Paragraph text is a small markup language: keep <, > and & literal."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
