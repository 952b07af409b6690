"""Typeset known Korean text as PDF (reportlab, NanumGothic) for the reader tests and the evaluation script."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Page:
    """One page: its paragraphs (markers as ``<super>1</super>``), table rows, and footnotes drawn at its bottom."""

    paragraphs: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)


def font_path() -> Path | None:
    """NanumGothic as koreanize-matplotlib ships it (found without importing it: that patches matplotlib), or None."""
    from kcorpus.errors import KcorpusError
    from kcorpus.render.plots import font_path as nanum

    try:
        return nanum()
    except KcorpusError:
        return None


def typeset(
    path: Path,
    pages: list[Page],
    *,
    header: str | list[str] = "",
    page_numbers: bool = True,
    columns: int = 1,
    cjk: bool = True,
    size: float = 10.5,
    justify: bool = False,
    indent: float = 0.0,
) -> Path:
    """Write `pages` to `path`: a running header (or one per page) and centred page numbers, footnotes in 7.5 pt
    at the bottom."""
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Paragraph, Table

    if "NanumGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NanumGothic", str(font_path())))
    width, height = A4
    margin, gutter = 60, 24
    foot_room = 90
    body = ParagraphStyle(
        "body",
        fontName="NanumGothic",
        fontSize=size,
        leading=size * 1.5,
        spaceAfter=size * 0.6,
        wordWrap="CJK" if cjk else None,
        alignment=TA_JUSTIFY if justify else TA_LEFT,
        firstLineIndent=indent,
    )
    column_width = (width - 2 * margin - (columns - 1) * gutter) / columns
    frames = [
        Frame(margin + i * (column_width + gutter), margin + foot_room, column_width, height - 2 * margin - foot_room)
        for i in range(columns)
    ]
    notes = {number: page.footnotes for number, page in enumerate(pages, 1)}

    def furniture(canvas, doc):
        canvas.saveState()
        number = canvas.getPageNumber()
        text = header if isinstance(header, str) else header[min(number, len(header)) - 1]
        if text:
            canvas.setFont("NanumGothic", 8)
            canvas.drawString(margin, height - margin + 20, text)
        if page_numbers:
            canvas.setFont("NanumGothic", 9)
            canvas.drawCentredString(width / 2, margin - 30, f"- {number} -")
        canvas.setFont("NanumGothic", 7.5)
        y = margin + foot_room - 22
        for note in notes.get(number, []):
            for line in _wrap(note, width - 2 * margin, 7.5):
                canvas.drawString(margin, y, line)
                y -= 10
        canvas.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=A4, pageTemplates=[PageTemplate("p", frames, onPage=furniture)])
    story: list = []
    for index, page in enumerate(pages):
        if index:
            story.append(PageBreak())
        story.extend(Paragraph(text, body) for text in page.paragraphs)
        if page.table:
            cells = [[Paragraph(cell, body) for cell in row] for row in page.table]
            story.append(Table(cells, colWidths=[column_width / len(page.table[0])] * len(page.table[0])))
    doc.build(story)
    return path


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Footnote lines: break at spaces so each line fits `width`."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines, line = [], ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and stringWidth(candidate, "NanumGothic", size) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line]
