"""PDF through pypdfium2: characters with their boxes and font sizes, read back as paragraphs.

The layout decides what the text alone cannot: a line that ends short of its column's right edge (the
next line's first word would have fit) ends a paragraph; the same text (digits masked) at the same height
on most pages is a running header or footer; lone page numbers in the margins go; lines in a smaller font
below the body are footnotes, put after the paragraph that carries their marker; raised small digits in
body lines are note markers and are dropped; two-column pages are read column by column; cells side by
side on one baseline are a table row (cells joined by a tab). Lines are numbered per page in reading
order, body then footnotes, furniture not counted.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from kcorpus.io.documents import SourceError
from kcorpus.io.readers.common import Line, paginated_text
from kcorpus.io.readers.pdf_furniture import _PAGE_NUMBER, _body_size, _furniture, _split_notes

VERSION = "7"
_STRUCTURE = re.compile(  # an article heading 제3조(목적) or 제2장 총칙, not a reference 제32조). or 제5조에
    r"^(?:[◦∙•·▶■□○●◆◇△▲※➢-]|[0-9]{1,2}(?:의[0-9]{1,2})?[.)] |[가-하][.)] |\([0-9가-하]{1,2}\) "
    r"|제 ?[0-9]+ ?[조장절](?:의 ?[0-9]+)?(?:[( ]|$))"
)
_SENTENCE_END = re.compile(r"[.?!。」』\"”]\s*$")


@dataclass(eq=False)
class _Line:
    """One line of a page (a run of characters on one baseline) with its box, font size and layout facts."""

    page: int
    x0: float
    x1: float
    bottom: float
    top: float
    size: float
    text: str = ""
    first_word: float = 0.0  # width of the first word
    space: float = 0.0  # width of a space in this line's font
    markers: list[str] = field(default_factory=list)  # superscript note markers dropped from the text
    cells: int = 1
    column: int = 0  # 0 full width / single column, 1 left, 2 right
    page_width: float = 595.0
    tail: int = -1  # index on the page of the first space of the line's last run of spaces
    first: int = -1  # index on the page of the line's first character
    base: float = 0.0  # baseline (origin of the first character): unlike a glyph box, the same in every font

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def read_pdf(data: bytes) -> tuple[str, tuple[tuple[int, int], ...], tuple[tuple[str, str, str], ...]]:
    """The text of a PDF as wrapped paragraphs, the (page, line) of every line, and the lines left out as
    ("page N", "header_removed" | "page_number_removed", text). SourceError when it cannot be read:
    damaged, encrypted, no pages, no text layer."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise SourceError("encrypted PDF (needs a password): decrypt it first, e.g. qpdf --decrypt") from None
        raise SourceError("not a readable PDF (damaged or truncated?)") from None
    try:
        if len(document) == 0:
            raise SourceError("PDF has no pages")
        pages = []
        for index in range(len(document)):
            try:
                pages.append(_page_lines(document, index))
            except pdfium.PdfiumError:
                raise SourceError(f"page {index + 1} of the PDF cannot be read (damaged?)") from None
    finally:
        document.close()
    if not any(line.text.strip() for page in pages for line in page):
        raise SourceError("no text layer (scanned?): run OCR first, e.g. ocrmypdf -l kor")
    furniture = _furniture(pages)
    text, positions = paginated_text(_paragraphs(pages, furniture))
    removed = tuple(
        (f"page {number}", "page_number_removed" if _PAGE_NUMBER.match(line.text) else "header_removed", line.text)
        for number, lines in enumerate(pages, 1)
        for line in sorted(lines, key=lambda line: -line.top)
        if id(line) in furniture
    )
    return text, positions, removed


def _page_lines(document, index: int) -> list[_Line]:
    """The lines of one page in stream order, each a run of characters on one baseline."""
    import pypdfium2.raw as raw

    page = document[index]
    width = page.get_width()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count > 0 else ""
        if len(text) != count:  # characters outside the BMP: read one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
        box = raw.FS_RECTF()
        loose_box, font_size, is_generated = (
            raw.FPDFText_GetLooseCharBox,
            raw.FPDFText_GetFontSize,
            raw.FPDFText_IsGenerated,
        )
        chars = []
        handle = textpage.raw
        height, size = -1.0, 0.0
        for i, ch in enumerate(text):
            if ch in "\r\n\x00\ufffe\uffff":
                continue
            loose_box(handle, i, box)  # ascent to descent of the font: the same for every glyph on a line
            if box.top - box.bottom != height:  # the size changes only where the box height does
                height, size = box.top - box.bottom, font_size(handle, i)
            chars.append((ch, box.left, box.right, box.bottom, box.top, size, i))
        lines = _lines(chars, index + 1)
        x, y = ctypes.c_double(), ctypes.c_double()
        for line in lines:
            line.page_width = width
            line.base = y.value if raw.FPDFText_GetCharOrigin(handle, line.first, x, y) else line.bottom
            if line.text.endswith(" ") and is_generated(handle, line.tail):
                line.text = line.text.rstrip()  # PDFium inferred it: the line ends without a space
    finally:
        textpage.close()
        page.close()
    return lines


def _lines(chars, page: int) -> list[_Line]:
    """Group characters into lines: a new line where the baseline moves or the text jumps back or far ahead."""
    lines: list[_Line] = []
    parts: list[str] = []
    current: _Line | None = None
    word_done = marker_open = False
    for ch, x0, x1, bottom, top, size, index in chars:
        if ch.isspace():
            marker_open = False
            if current is not None and parts and parts[-1] != " ":
                parts.append(" ")
                current.tail = index
                word_done = True
                current.space = current.space or max(x1 - x0, size * 0.25)
            continue
        if current is not None:
            raised = size < current.size * 0.9 and bottom > current.bottom + current.size * 0.2
            same_band = abs(bottom - current.bottom) < current.size * 0.5 or (
                raised and bottom < current.top + current.size * 0.5
            )
            gap = x0 - current.x1
            if same_band and -current.size < gap < current.size * 2:  # wider: a column gutter or a table cell
                if raised:
                    if marker_open:
                        current.markers[-1] += ch
                    else:
                        current.markers.append(ch)
                    marker_open = True
                    current.x1 = max(current.x1, x1)  # the marker takes room on the line
                    continue
                marker_open = False
                parts.append(ch)
                current.x1 = max(current.x1, x1)
                current.top = max(current.top, top)
                if not word_done:
                    current.first_word = x1 - current.x0
                continue
            if _lone_marker(current, parts, x0, bottom, size):  # a marker wrapped to the start of a line
                markers = ["".join(parts)]
                current = _Line(page, current.x0, x1, bottom, top, size, first_word=x1 - current.x0, first=index)
                current.markers = markers
                parts, word_done, marker_open = [ch], False, False
                continue
            current.text = _line_text(parts)
            lines.append(current)
        current = _Line(page, x0, x1, bottom, top, size, first_word=x1 - x0, first=index)
        parts = [ch]
        word_done = False
    if current is not None:
        current.text = _line_text(parts)
        lines.append(current)
    return [line for line in lines if line.text.strip()]


def _lone_marker(line: _Line, parts: list[str], x0: float, bottom: float, size: float) -> bool:
    """Whether `line` so far is only a raised note marker just before a character of the text size."""
    return (
        len(parts) <= 3
        and all(part.isdigit() or part in "*†‡" for part in parts)
        and line.size < size * 0.9
        and 0 < line.bottom - bottom < size * 0.6
        and abs(x0 - line.x1) < size * 0.5
    )


def _line_text(parts: list[str]) -> str:
    """A line's text, with one space at its end if it had any (dropped later if PDFium inferred it)."""
    text = "".join(parts)
    return text.rstrip() + " " if text.endswith(" ") else text


# --- reading order -------------------------------------------------------------------------------


def _rows(lines: list[_Line]) -> list[_Line]:
    """Segments on one baseline side by side become one table row, cells joined by a tab."""
    out: list[_Line] = []
    for line in sorted(lines, key=lambda line: (-round(line.bottom, 0), line.x0)):
        last = out[-1] if out else None
        if last is not None and abs(last.bottom - line.bottom) < 2 and line.x0 > last.x1:
            last.text = f"{last.text.rstrip()}\t{line.text}"
            last.x1 = line.x1
            last.cells += 1
            continue
        out.append(line)
    return out


def _reading_order(lines: list[_Line], width: float) -> list[_Line]:
    """Lines top to bottom; on a two-column page, each band between full-width lines left column first."""
    middle = width / 2
    left = [line for line in lines if line.x1 <= middle + 6 and line.width > width * 0.2]
    right = [line for line in lines if line.x0 >= middle - 6 and line.width > width * 0.2]
    crossing = any(line.x0 < middle - 6 and line.x1 > middle + 6 for line in lines)
    if len(left) < 3 or not (len(right) >= 3 or (not crossing and any(line.x0 >= middle - 6 for line in lines))):
        return _rows(lines)  # (nothing crosses the middle: a right column of a few lines is a text run over)
    for line in lines:
        line.column = 1 if line.x1 <= middle + 6 else 2 if line.x0 >= middle - 6 else 0
    spanning = sorted((line for line in lines if line.column == 0), key=lambda line: -line.top)
    order: list[_Line] = []
    ceiling = float("inf")
    for divider in [*spanning, None]:
        floor = divider.top if divider is not None else float("-inf")
        band = [line for line in lines if line.column and floor < line.top <= ceiling]
        for column in (1, 2):
            order.extend(sorted((line for line in band if line.column == column), key=lambda line: -line.top))
        if divider is not None:
            order.append(divider)
            ceiling = divider.bottom
    return order


# --- paragraphs ----------------------------------------------------------------------------------


def _breaks(a: _Line, b: _Line, edge: float, left: float, pitch: float, slack: float = 0.0) -> bool:
    """Whether a paragraph ends between consecutive lines a and b (edge: right edge of a's column, left: left
    edge of b's; slack: room a ragged-right layout leaves at a wrap, see _ragged_slack)."""
    if a.cells > 1 or b.cells > 1 or abs(a.size - b.size) > a.size * 0.1:
        return True
    room = edge - a.x1
    if _STRUCTURE.match(b.text) and room > a.size * 0.9 and a.text.count("(") <= a.text.count(")"):
        return True  # a list item; not 다. after a wrap inside 했다., nor 제32조). in (안 제19조의3 및 제32조)
    if b.page == a.page and b.column == a.column and a.base - b.base > pitch * 1.15:
        return True
    if b.x0 > left + b.size * 0.8 and a.x0 < left + a.size * 0.5:  # b's first line is indented
        return True
    if room > b.first_word + a.space + a.size * 0.2 + slack:
        return True
    # after a sentence end, room for two syllables ends the paragraph; not room a word of Latin letters or digits
    # left because it does not fit (…늘고 있다.|OECD 회원국, 응답률은|71.6%: such a word is never cut)
    unsplit = b.text[:1].isascii() and b.text[:1].isalnum() and b.first_word + a.space > room
    return room > a.size * 2 and bool(_SENTENCE_END.search(a.text)) and not unsplit


def _ragged_slack(ordered: list[_Line], right: list[float]) -> float:
    """How much room a left-aligned (ragged-right) layout leaves at a wrap beyond the next word: measured on
    long lines that stop mid-sentence (they wrapped), the 90th percentile of room - next word, at most 3 em.
    0 for justified text, whose wraps reach the edge."""
    excess = [
        (edge - a.x1) - (b.first_word + a.space)
        for a, b, edge in zip(ordered, ordered[1:], right)
        if b.page == a.page
        and b.column == a.column
        and a.x1 - a.x0 > (edge - a.x0) * 0.7
        and not _SENTENCE_END.search(a.text)
        and not _STRUCTURE.match(b.text)
    ]
    if len(excess) < 5:
        return 0.0
    excess.sort()
    size = statistics.median(line.size for line in ordered)
    return min(max(excess[int(len(excess) * 0.9)], 0.0), size * 3)


def _line_pitch(ordered: list[_Line], right: list[float], body_size: float) -> float:
    """The distance between the baselines of two lines of one paragraph: the median over lines that wrapped (they
    reach their column's edge and the next line starts where they do), else the lower quartile of all pitches."""
    pairs = [
        (a.base - b.base, a, b, edge)
        for a, b, edge in zip(ordered, ordered[1:], right)
        if a.page == b.page and a.base - b.base > a.size * 0.5  # (table cells read one after another: one baseline)
    ]
    wrapped = sorted(
        d for d, a, b, edge in pairs if a.cells == b.cells == 1 and abs(a.x0 - b.x0) < 1 and edge - a.x1 < a.size * 3
    )
    if len(wrapped) >= 3:
        return wrapped[len(wrapped) // 2]
    pitches = sorted(d for d, *_ in pairs)
    pitch = pitches[len(pitches) // 4] if pitches else body_size * 1.5
    if len(pitches) < 4:  # too few to tell line spacing from paragraph spacing: at most 1.6 times the size
        pitch = min(pitch, body_size * 1.6)
    return pitch


def _edges(ordered: list[_Line]) -> dict[tuple[int, int], tuple[float, float]]:
    """The left and right edge of each column of each page: (page, column) -> (left, right)."""
    edges: dict[tuple[int, int], tuple[float, float]] = {}
    counts: Counter[tuple[int, int]] = Counter()
    for line in ordered:
        if line.cells > 1:  # a table row does not show where the text column ends
            continue
        key = (line.page, line.column)
        low, high = edges.get(key, (line.x0, line.x1))
        edges[key] = (min(low, line.x0), max(high, line.x1))
        counts[key] += 1
    fuller = {round(low): high for key, (low, high) in edges.items() if counts[key] >= 5}  # by left edge
    one_column = any(line.x0 < line.page_width / 2 - 6 < line.page_width / 2 + 6 < line.x1 for line in ordered)
    for key, (low, high) in list(edges.items()):
        if counts[key] >= 5:
            continue
        # too few lines to show the edge: a fuller column starting at the same place shows it; else margins as
        # wide as the left one, if the document has lines across the middle of the page (one column; without
        # them the text may be one column of two, and its longest line is the best guess)
        page_lines = [line for line in ordered if line.page == key[0]]
        width = page_lines[0].page_width
        same = [edge for left, edge in fuller.items() if abs(left - low) <= 2]
        if same:
            edges[key] = (low, max(high, max(same)))
        elif key[1] != 1 and (high > width / 2 or one_column):
            edges[key] = (low, max(high, width - min(line.x0 for line in page_lines)))
    return edges


def _paragraphs(pages: list[list[_Line]], furniture: set[int]) -> list[list[Line]]:
    """Paragraphs of (text, page, line on page) without the `furniture` lines, footnotes after the paragraph
    that cites them."""
    body_size = _body_size(pages)
    ordered: list[_Line] = []
    notes_of_page: dict[int, list[list[_Line]]] = {}
    for number, lines in enumerate(pages, 1):
        kept = [line for line in lines if id(line) not in furniture]
        body, notes = _split_notes(kept, body_size)
        ordered.extend(_reading_order(body, lines[0].page_width if lines else 595.0))
        notes_of_page[number] = notes
    edges = _edges(ordered)
    right = [edges.get((line.page, line.column), (line.x0, line.x1))[1] for line in ordered]
    for k, (a, b) in enumerate(zip(ordered, ordered[1:])):
        if a.column and not b.column and b.page == a.page and abs(a.x0 - b.x0) < 2:
            # a short line taken for a left column (a two-column table lower on the page) followed by a full-width
            # line that starts where it does: one column, whose edge is the full-width line's
            right[k] = max(right[k], edges.get((b.page, 0), (b.x0, b.x1))[1])
    pitch = _line_pitch(ordered, right, body_size)
    slack = _ragged_slack(ordered, right)
    breaks = [True] + [
        _breaks(a, b, edge, edges.get((b.page, b.column), (b.x0, b.x1))[0], pitch, slack)
        for a, b, edge in zip(ordered, ordered[1:], right)
    ]
    numbering: Counter[int] = Counter()
    paragraphs: list[list[Line]] = []
    where_marker: dict[tuple[int, str], int] = {}
    for index, line in enumerate(ordered):
        if breaks[index]:
            paragraphs.append([])
        numbering[line.page] += 1
        paragraphs[-1].append((line.text, line.page, numbering[line.page]))
        for marker in line.markers:
            where_marker.setdefault((line.page, marker), len(paragraphs) - 1)
    last_of_page = {text_page: i for i, paragraph in enumerate(paragraphs) for _, text_page, _ in paragraph}
    placed: dict[int, list[list[Line]]] = {}
    for page, notes in notes_of_page.items():
        for note in notes:
            label = re.match(r"[0-9]+|[*†‡]", note[0].text)
            anchor = where_marker.get((page, label.group())) if label else None
            if anchor is None:
                anchor = last_of_page.get(page, len(paragraphs) - 1)
            rows = []
            for line in note:
                numbering[page] += 1
                rows.append((line.text, page, numbering[page]))
            placed.setdefault(max(anchor, 0), []).append(rows)
    result: list[list[Line]] = []
    for index, paragraph in enumerate(paragraphs or [[]]):
        result.append(paragraph)
        result.extend(placed.get(index, []))
    return result
