"""Page furniture and footnotes of the PDF reader: running headers and footers (the same text, digits masked, at
the same height on most pages, or the top or bottom line of two pages or more), lone page numbers, and footnotes
(lines in a smaller font below the body, each starting at a note marker)."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kcorpus.io.readers.pdf import _Line

_PAGE_NUMBER = re.compile(
    r"^[-–—(\[ ]*(?:(?:[Pp]age|[Pp]\.) ?)?(?:[0-9]+|[ivxlcIVXLC]+)(?: ?(?:/|of) ?[0-9]+)?(?: ?쪽)?[-–—)\] ]*$"
)  # 3, - 3 -, (iii), 3/12, Page 3, p. 3, 3 of 12, 3쪽
_NOTE_START = re.compile(  # 1) 1. * ※ 주1 [1] ¹, and 1같은 책 (a number set against the text: Word, LibreOffice)
    r"^(?:[0-9]{1,3}[).]|[*※†‡]|주 ?[0-9]+|\[[0-9]{1,3}\]|[¹²³⁰-⁹]+|[0-9]{1,3}(?=[^\s0-9.,:/)\-–—]))"
)
_DIGITS = re.compile(r"[0-9]+")


def _masked(text: str) -> str:
    return _DIGITS.sub("#", text.replace(" ", ""))


def _furniture(pages: list[list[_Line]]) -> set[int]:
    """ids of running headers/footers (same masked text near the same height on most pages, or as the top or
    bottom line of two pages or more: headers that change with the chapter) and of lone page numbers at the
    top or bottom of a page."""
    edge_lines = []
    extremes: set[int] = set()
    for lines in pages:
        ordered = sorted(lines, key=lambda line: -line.top)
        edge_lines.append(ordered[:2] + ordered[-2:] if len(ordered) > 4 else ordered)
        extremes.update(id(line) for line in ordered[:1] + ordered[-1:])
    unique_edges = [list({id(line): line for line in edges}.values()) for edges in edge_lines]
    seen = Counter((_masked(line.text), round(line.bottom / 4)) for edges in unique_edges for line in edges)
    # the second line from an edge must repeat letter for letter: a footnote (1같은 책, 11쪽 / 2같은 책, 12쪽) or a
    # chapter's last line repeats only with its digits masked, and is text
    exact = Counter((line.text.replace(" ", ""), round(line.bottom / 4)) for edges in unique_edges for line in edges)
    furniture: set[int] = set()
    for lines, edges in zip(pages, edge_lines):
        if len(lines) < 3:  # a running header or footer frames a body: a page of one or two lines is all body
            continue
        for line in edges:
            key = (_masked(line.text), round(line.bottom / 4))
            same = id(line) in extremes or exact[(line.text.replace(" ", ""), key[1])] >= max(2, len(pages) / 2)
            if (len(pages) >= 3 and seen[key] >= max(2, len(pages) / 2) and same) or (
                seen[key] >= 2 and id(line) in extremes and len(line.text) < 80
            ):
                furniture.add(id(line))
    body = _body_size(pages)
    for lines in pages:
        if len(lines) < 2:
            continue
        ordered = sorted(lines, key=lambda line: -line.top)
        for line in (ordered[0], ordered[-1]):
            if _PAGE_NUMBER.match(line.text):
                furniture.add(id(line))
        top, below = ordered[0], ordered[1]
        if top.size < body * 0.92 and top.bottom - below.top > body * 1.5 and len(top.text) < 80:
            furniture.add(id(top))  # a small line alone above the text: a running header (also on one page)
    return furniture


def _body_size(pages: list[list[_Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size, 1)] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _split_notes(lines: list[_Line], body: float) -> tuple[list[_Line], list[list[_Line]]]:
    """(body lines, footnotes): footnotes are the lines in a smaller font below the lowest body-size line,
    each starting at a note marker."""
    full = [line for line in lines if line.size >= body * 0.92]
    if not full:
        return lines, []
    floor = min(line.bottom for line in full)
    small = [line for line in lines if line.size < body * 0.92 and line.top < floor]
    if not small or not _NOTE_START.match(sorted(small, key=lambda line: -line.top)[0].text):
        return lines, []
    notes: list[list[_Line]] = []
    for line in sorted(small, key=lambda line: (-round(line.bottom), line.x0)):
        if _NOTE_START.match(line.text) or not notes:
            notes.append([line])
        else:
            notes[-1].append(line)
    chosen = {id(line) for note in notes for line in note}
    return [line for line in lines if id(line) not in chosen], notes
