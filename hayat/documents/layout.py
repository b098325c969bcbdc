"""The shape shared by every printed document: A4 pages under the letterhead, styles, and the pieces documents are
made of (facts, itemised tables, sections, signature lines, signatures drawn on a screen). Document kinds compose
these; rendering.py prints."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from typing import IO

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

from hayat.documents.fonts import fonts

PAGE = A4
MARGIN = 16 * mm
FRAME_PADDING = 6  # reportlab's frame keeps 6 points inside the margins
WIDTH = PAGE[0] - 2 * MARGIN - 2 * FRAME_PADDING
HEADER_HEIGHT = 26 * mm
FOOTER_HEIGHT = 12 * mm
ACCENT = colors.HexColor("#0d6efd")
RULE = colors.HexColor("#cccccc")
MUTED = colors.HexColor("#555555")


@dataclass(frozen=True)
class Attachment:
    """A file appended after the document: every page of a PDF, or a picture on a page of its own."""

    caption: str
    open: Callable[[], IO[bytes]]
    is_pdf: bool


@dataclass
class Sheet:
    """What a document kind composes: its title, its reference (a number), the body and the files appended."""

    title: str
    reference: str
    story: list[Flowable]
    attachments: list[Attachment] = field(default_factory=list)
    notice: str = ""  # set when printed: the issue stamp or the draft mark

    def head(self) -> list[Flowable]:
        """The title, the reference and the notice, above the body."""
        s = styles()
        lines = [text(self.title, s.title)]
        lines += [text(line, s.label) for line in (self.reference, self.notice) if line]
        return [*lines, Spacer(1, 3 * mm)]


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    number: ParagraphStyle
    strong: ParagraphStyle
    small: ParagraphStyle


def styles() -> Styles:
    regular, bold = fonts().regular, fonts().bold
    body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13)
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11)
    return Styles(
        title=ParagraphStyle("title", fontName=bold, fontSize=15, leading=19, spaceAfter=1 * mm),
        heading=ParagraphStyle("heading", fontName=bold, fontSize=11, leading=14, spaceBefore=4 * mm,
                               spaceAfter=1.5 * mm, textColor=ACCENT),
        body=body,
        label=ParagraphStyle("label", parent=cell, textColor=MUTED),
        cell=cell,
        number=ParagraphStyle("number", parent=cell, alignment=TA_RIGHT),
        strong=ParagraphStyle("strong", parent=cell, fontName=bold, alignment=TA_RIGHT),
        small=ParagraphStyle("small", parent=body, fontSize=7.5, leading=9.5, textColor=MUTED),
    )


def escape(text: object) -> str:
    """Paragraph text is a small markup language: keep <, > and & literal, and line breaks as breaks."""
    return (str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r\n", "\n").replace("\n", "<br/>"))


def text(value: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(value), style)


def heading(title: str) -> Paragraph:
    return text(title, styles().heading)


def facts(rows: Iterable[tuple[str, object]], *, columns: int = 1) -> Table:
    """Label/value pairs; empty values are left out. Two columns put pairs side by side."""
    s = styles()
    pairs = [(text(name, s.label), text(value, s.cell)) for name, value in rows if value not in (None, "")]
    if columns == 2:
        half = (len(pairs) + 1) // 2
        left, right = pairs[:half], pairs[half:] + [("", "")] * (half * 2 - len(pairs))
        data = [[*a, *b] for a, b in zip(left, right, strict=True)] or [["", "", "", ""]]
        widths = [WIDTH * 0.17, WIDTH * 0.33, WIDTH * 0.17, WIDTH * 0.33]
    else:
        data = [list(pair) for pair in pairs] or [["", ""]]
        widths = [WIDTH * 0.3, WIDTH * 0.7]
    table = Table(data, colWidths=widths)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (0, -1), 0),
    ]))
    return table


def facts_section(title: str, rows: Sequence[tuple[str, object]], *, columns: int = 1) -> list[Flowable]:
    """A heading and its facts, or nothing when every value is empty."""
    if not [value for _name, value in rows if value not in (None, "")]:
        return []
    return [heading(title), facts(rows, columns=columns)]


def grid(header: Sequence[str], rows: Iterable[Sequence[object]], *, widths: Sequence[float],
         numeric: Sequence[int] = (), totals: Iterable[Sequence[object]] = ()) -> Flowable:
    """An itemised table: a header on every page, numbers right-aligned, bold total rows at the end. `widths` are
    shares of the page width. The rows may be an iterator: they are read and made into cells a page at a time."""
    lines = itertools.chain(((values, False) for values in rows), ((values, True) for values in totals))
    return Grid(GridShape(tuple(header), tuple(WIDTH * share for share in widths), frozenset(numeric)), lines)


@dataclass(frozen=True)
class GridShape:
    header: tuple[str, ...]
    widths: tuple[float, ...]
    numeric: frozenset[int]

    @cached_property
    def looks(self) -> dict[tuple[bool, bool], tuple[ParagraphStyle, ParagraphStyle]]:
        """{(bold, label): (style of a text cell, style of a number cell)}."""
        s = styles()
        return {(False, False): (s.cell, s.number), (True, False): (s.strong, s.strong),
                (False, True): (s.label, s.label.clone("label_right", alignment=TA_RIGHT))}

    def cells(self, values: Sequence[object], *, bold: bool = False, label: bool = False) -> list[Paragraph]:
        plain, numeric = self.looks[bold, label]
        return [text(value, numeric if index in self.numeric else plain) for index, value in enumerate(values)]

    def height(self, cells: Sequence[Paragraph]) -> float:
        """The height a row takes in the table: its tallest cell and the cell padding (see `commands`)."""
        return max(cell.wrap(width - (2 if index == 0 else 4), PAGE[1])[1]
                   for index, (cell, width) in enumerate(zip(cells, self.widths, strict=True))) + 4

    def table(self, rows: list[tuple[list[Paragraph], bool]], *, rule_above: int | None) -> Table:
        table = Table([self.cells(self.header, label=True), *(cells for cells, _bold in rows)],
                      colWidths=list(self.widths), repeatRows=1)
        commands = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("LEFTPADDING", (0, 0), (0, -1), 0),
        ]
        if rule_above is not None:
            commands.append(("LINEABOVE", (0, rule_above), (-1, rule_above), 0.8, colors.black))
        table.setStyle(TableStyle(commands))
        return table


class Grid(Flowable):
    """An itemised table printed a page at a time: each split makes a table of the rows that fit the space left,
    under the header, and a Grid of the rest. Only one page's rows are ever made into cells, so a table of
    thousands of rows takes the memory of one page, however many pages it fills. `rows` yields (values, bold);
    the first bold row (the totals) has a rule above it."""

    def __init__(self, shape: GridShape, rows: Iterator[tuple[Sequence[object], bool]],
                 taken: Sequence[tuple[Sequence[object], bool]] = (), totals_started: bool = False):
        super().__init__()
        self.shape, self.rows, self.taken, self.totals_started = shape, rows, list(taken), totals_started

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        # Never drawn whole: asking for more than the space left makes the frame split it into page tables.
        return sum(self.shape.widths), availHeight + 1

    def split(self, availWidth, availHeight):  # noqa: N803
        chosen: list[tuple[list[Paragraph], bool]] = []
        used = self.shape.height(self.shape.cells(self.shape.header, label=True))
        for values, bold in self.pending():
            cells = self.shape.cells(values, bold=bold)
            used += self.shape.height(cells)
            if used > availHeight:
                break
            chosen.append((cells, bold))
        if not self.taken:  # a table without rows: its header alone
            return [self.shape.table([], rule_above=None)] if used <= availHeight else []
        table = self.fitting(chosen, availWidth, availHeight)
        if table is None:
            return []  # not one row fits in what is left of the page: the next page takes it
        rest = self.taken[len(chosen):]
        if not rest:
            return [table]
        totals_started = self.totals_started or any(bold for _cells, bold in chosen)
        return [table, Grid(self.shape, self.rows, rest, totals_started=totals_started)]

    def pending(self) -> Iterator[tuple[Sequence[object], bool]]:
        """The rows read but not printed yet, then new ones from `rows` (kept, should the split be asked again)."""
        yield from self.taken
        for row in self.rows:
            self.taken.append(row)
            yield row

    def fitting(self, chosen: list[tuple[list[Paragraph], bool]], width: float, height: float) -> Table | None:
        """The table of the chosen rows, with one row fewer while reportlab measures it taller than the space."""
        while chosen:
            first_total = next((index for index, (_cells, bold) in enumerate(chosen) if bold), None)
            rule = first_total + 1 if first_total is not None and not self.totals_started else None
            table = self.shape.table(chosen, rule_above=rule)
            if table.wrap(width, height)[1] <= height:
                return table
            chosen.pop()
        return None


def paragraphs(value: str) -> list[Flowable]:
    """Free text as typed, its paragraphs kept."""
    return [text(block, styles().body) for block in value.split("\n\n") if block.strip()]


def signature_lines(names: Sequence[str]) -> Flowable:
    """A line to sign above each name, two per row with a gap between them, kept on one page."""
    s = styles()
    data: list[list[object]] = []
    commands = [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    for start in range(0, len(names), 2):
        pair = list(names[start:start + 2])
        row = len(data)
        data += [["", "", ""], [text(pair[0], s.label), "", text(pair[1], s.label) if len(pair) > 1 else ""]]
        for column in (0, 2)[:len(pair)]:
            commands.append(("LINEBELOW", (column, row), (column, row), 0.6, colors.black))
    table = Table(data, colWidths=[WIDTH * 0.45, WIDTH * 0.1, WIDTH * 0.45],
                  rowHeights=[14 * mm if index % 2 == 0 else None for index in range(len(data))])
    table.setStyle(TableStyle(commands))
    return KeepTogether([Spacer(1, 6 * mm), table])


def signed_picture(png: bytes, caption: str) -> Flowable:
    """A signature drawn on a screen, above a line and its caption (who signed, when), kept on one page."""
    width, height = ImageReader(BytesIO(png)).getSize()
    scale = min(WIDTH * 0.45 / width, 28 * mm / height)
    picture = Image(BytesIO(png), width=width * scale, height=height * scale, hAlign="LEFT")
    table = Table([[picture], [text(caption, styles().label)]], colWidths=[WIDTH * 0.45])
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (0, 0), 0.6, colors.black), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return KeepTogether([Spacer(1, 4 * mm), table])


def writing_lines(count: int) -> Table:
    """Empty ruled lines to write on by hand."""
    table = Table([[""]] * count, colWidths=[WIDTH], rowHeights=[9 * mm] * count)
    table.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, MUTED)]))
    return table
