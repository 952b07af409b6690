"""The line model of the text repair: reading the source into lines, and the document's statistics.

Every non-blank source line becomes a ``_Line``: its text with whitespace normalised
(``work``, one character per source character), the deletions applied to it (``dels``,
so every kept character still knows its source column), the blank-line gap before it,
and whether it starts a page.  ``_Feat`` caches the per-line features the junction
decisions read.  ``_Doc`` is the state the stages share.
"""

from __future__ import annotations

import re
from typing import Callable

from kcorpus.clean.patterns import (
    _BRACKET_HEAD,
    _CAPTION_FIRST,
    _CLAUSE_OPEN,
    _COLUMN_GAP,
    _CREDIT_LINE,
    _FIGURE_CAPTION,
    _HANGUL_RE,
    _MULTI_SPACE,
    _NUMBERING_FIRST,
    _ODD_WS,
    _OPEN_END,
    _PAGENUM_BARE,
    _PAGENUM_STRONG,
    _PARTICLE_FIRST,
    _PARTICLE_HEAD,
    _SPACED_CHAR,
    _SPEAKER,
    _STRONG_BULLETS,
    _TITLE_END,
    _WORD_END,
    _WS_MAP,
    SPEAKER_LINES,
    _head_token,
    _numbering,
    _paren_delta,
    _sentence_final,
    _strong_start,
    _structure_start,
    _tail_token,
    _weak_bullet,
    _width,
)
from kcorpus.clean.text import REPAIR_NAMES, Junction

# ---------------------------------------------------------------------------
# Internal line model
# ---------------------------------------------------------------------------


class _Feat:
    """Per-line features used by the junction decisions (computed once)."""

    __slots__ = (
        "start",
        "sent",
        "mid_clause",
        "clause_open",
        "numbering",
        "structure",
        "weak_bullet",
        "caption",
        "title_end",
        "title_line",
        "credit_line",
        "head",
        "tail",
        "particle_head",
    )

    def __init__(self, text: str):
        tail6 = text[-6:]
        pdelta = _paren_delta(text) if "(" in text or ")" in text or "（" in text else 0
        c0 = text[0]
        self.start = _strong_start(text)
        self.sent = _sentence_final(text)
        self.numbering = c0 in _NUMBERING_FIRST and _numbering(text)
        self.structure = _structure_start(text)
        self.weak_bullet = _weak_bullet(text)
        self.mid_clause = text[-1] in _OPEN_END or pdelta > 0 or _WORD_END.search(tail6) is not None
        self.clause_open = pdelta > 0 or _CLAUSE_OPEN.search(tail6) is not None
        self.caption = c0 in _CAPTION_FIRST and bool(_FIGURE_CAPTION.match(text) or _BRACKET_HEAD.match(text))
        last = text[-1]
        self.title_end = (last == ")" or last == "공") and _TITLE_END.search(text[-80:]) is not None
        self.title_line = self.numbering or c0 in _STRONG_BULLETS
        self.credit_line = c0 == "(" and last == ")" and _CREDIT_LINE.match(text) is not None
        self.head = _head_token(text)
        self.tail = _tail_token(text)
        self.particle_head = c0 in _PARTICLE_FIRST and _PARTICLE_HEAD.match(self.head) is not None


class _Line:
    __slots__ = (
        "no",
        "work",
        "dels",
        "pieces",
        "text",
        "lead",
        "trail",
        "gap",
        "page_start",
        "kind",
        "width",
        "indent",
        "table",
        "ff_start",
        "spaced",
        "idx",
        "_feat",
    )

    def __init__(self, no: int, work: str, gap: int, page_start: bool):
        self.no = no  # 1-based source line
        self.work = work  # source line, whitespace chars mapped 1:1 to " "
        self.gap = gap  # blank lines between the previous non-blank line and this one
        self.page_start = page_start
        self.lead = work[0] == " "
        self.trail = work[-1] == " "
        self.kind = "body"
        self.ff_start = False  # a page start proven by a form feed
        self.spaced = False  # one character of a letter-spaced heading read one per line (제 / 1 / 장)
        self.indent = len(work) - len(work.lstrip(" "))
        # columns set apart by a wide gap: a table row or a two-column layout line
        self.table = "   " in work and _COLUMN_GAP.search(work) is not None
        self.dels: list[tuple[int, int]] = []
        n = len(work)
        s = n - len(work.lstrip(" "))
        e = len(work.rstrip(" "))
        if s:
            self.dels.append((0, s))
        if e < n:
            self.dels.append((e, n))
        if "  " in work:
            for m in _MULTI_SPACE.finditer(work):
                if s < m.start() and m.end() <= e:
                    self.dels.append((m.start() + 1, m.end()))
        self.pieces: list[tuple[int, str]] = []
        self.text = ""
        self.width: float = 0.0
        self.idx = -1
        self._feat: _Feat | None = None
        self._rebuild()

    def feat(self) -> _Feat:
        if self._feat is None:
            self._feat = _Feat(self.text)
        return self._feat

    def _rebuild(self) -> None:
        if not self.dels:
            self.pieces = [(0, self.work)]
            self.text = self.work
            self.width = _width(self.work)
            self._feat = None
            return
        dels = sorted(self.dels)
        pieces: list[tuple[int, str]] = []
        pos = 0
        w = self.work
        for s, e in dels:
            if s > pos:
                pieces.append((pos, w[pos:s]))
            pos = max(pos, e)
        if pos < len(w):
            pieces.append((pos, w[pos:]))
        self.pieces = pieces
        self.text = "".join(p for _, p in pieces)
        self.width = _width(self.text)
        self._feat = None

    def add_dels(self, spans: list[tuple[int, int]]) -> None:
        if spans:
            self.dels.extend(spans)
            self._rebuild()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"<L{self.no} {self.kind} {self.text[:30]!r}>"


# ---------------------------------------------------------------------------
# Shared state
# ---------------------------------------------------------------------------


class _Doc:
    """One document being cleaned: the state that the stages share, filled in stage order.

    * ``_read_lines``: ``src_lines``, ``lines``; the form-feed and whitespace counts;
    * ``_document_stats``: ``style``, ``wrap_gap``, ``capacity``, ``trail_ratio``, ``regime``
      ("empty" / 0 while not measured: a document without content lines);
    * furniture detection: line kinds, ``removed``, ``marker_spans``;
    * assembly: ``junctions`` (when tracing) and ``char_origin``.

    ``repairs`` counts every rule as it fires.
    """

    def __init__(
        self,
        text: str,
        trace: bool = False,
        shape: str | None = None,
        furniture: frozenset = frozenset(),
        boundary: Callable[[str, str], bool] | None = None,
    ):
        self.trace = trace
        self.boundary = boundary  # word-boundary judge for undecided wraps (Kiwi's spacing model in a run)
        #: "blank_lines" | "single_lines" | "layout" | "paragraphs" | "wrapped" (see ``_detect_shape``)
        self.shape = shape or ""
        self.shape_given = shape is not None
        self.furniture = furniture
        self.form_feeds = "\f" in text
        self.list_marks: set[str] = set()  # first characters of "가. " style list markers in use
        self.speakers = False  # lines start with a speaker's label (chat logs, minutes, Q&A): each is a turn
        self.repairs = {k: 0 for k in REPAIR_NAMES}
        self.removed: list[tuple[int, str, str]] = []
        self.junctions: list[Junction] = []
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.src_lines = text.split("\n")
        self.lines: list[_Line] = []
        self.style = "empty"
        self.wrap_gap = 0
        self.capacity: float = 0.0
        self.trail_ratio = 0.0
        self.regime = "empty"
        #: glued footnote markers per line index (work coordinates)
        self.marker_spans: dict[int, list[tuple[int, int]]] = {}
        #: per cleaned character: (line, column) in the normalised source, or None if inserted
        self.char_origin: list[tuple[int, int] | None] | None = None


# ---------------------------------------------------------------------------
# Reading lines
# ---------------------------------------------------------------------------


def _read_lines(doc: _Doc) -> None:
    """Split the source into ``_Line``s: blank lines become gaps; a form feed, or a leading
    space on a line that follows another without a blank line, marks a page start."""
    gap = 0
    ff_pending = False  # a form feed seen: the next content line starts a page
    seen = False
    for i, raw in enumerate(doc.src_lines):
        page_start = ff_pending
        ff_pending = False
        if "\f" in raw:
            doc.repairs["form_feed_removed"] += raw.count("\f")
            if raw[: raw.index("\f")].strip():
                ff_pending = True  # page break after this line's text
            else:
                page_start = True
        work = raw.translate(_WS_MAP) if _ODD_WS.search(raw) else raw
        if not work.strip():
            gap += 1
            ff_pending = ff_pending or page_start
            continue
        # the extraction marks page starts by a leading space on a line that
        # follows the previous page's last line without a blank line
        by_form_feed = page_start
        if seen and gap == 0 and work[0] == " ":
            page_start = True
        L = _Line(i + 1, work, gap if seen else 0, page_start)
        L.ff_start = by_form_feed
        L.idx = len(doc.lines)
        doc.lines.append(L)
        seen = True
        gap = 0
    for L in doc.lines:
        n_runs = sum(1 for s, e in L.dels if 0 < s and e < len(L.work))
        doc.repairs["whitespace_collapsed"] += n_runs


# ---------------------------------------------------------------------------
# Document statistics
# ---------------------------------------------------------------------------


def _document_stats(doc: _Doc) -> None:
    """Layout style (blank-line wraps or not), line capacity and trailing-space regime."""
    lines = [L for L in doc.lines if L.kind == "body"]
    n0 = sum(1 for L in lines[1:] if L.gap == 0 and not L.page_start)
    n1 = sum(1 for L in lines[1:] if L.gap == 1)
    # "blank_wrap": blank lines separate wrapped lines (the bundled corpus);
    # "normal": wrapped lines are consecutive and blank lines end paragraphs.
    doc.style = "blank_wrap" if n1 > 2 * n0 else "normal"
    if doc.shape == "wrapped":
        doc.style = "normal"
    doc.wrap_gap = 1 if doc.style == "blank_wrap" else 0
    doc.list_marks = {L.text[0] for L in lines if len(L.text) > 2 and L.text[1:3] == ". "}
    doc.speakers = sum(1 for L in lines if _SPEAKER.match(L.text)) >= SPEAKER_LINES
    if doc.style != "blank_wrap":
        for L in lines:  # a leading space marks a page start only in the bundled reports' layout
            L.page_start = L.ff_start
    _mark_spaced(lines)
    widths = sorted(L.width for L in lines if L.width >= 10)
    if widths:
        doc.capacity = widths[min(len(widths) - 1, int(len(widths) * 0.85))]
    else:
        doc.capacity = 80
    if not doc.shape_given:
        doc.shape = _detect_shape(doc, lines)
    # trailing-space regime, measured on lines that are followed by a wrap
    cand = [L for k, L in enumerate(lines[:-1]) if lines[k + 1].gap == doc.wrap_gap and L.width >= 0.6 * doc.capacity]
    with_trail = sum(1 for L in cand if L.trail)
    r = with_trail / len(cand) if cand else 0.0
    doc.trail_ratio = r
    if len(cand) < 5:
        doc.regime = "mixed" if r >= 0.5 else "lexical"
    elif r >= 0.9:
        doc.regime = "all"  # every line has a trailing space: wraps at word boundaries
    elif r <= 0.2:
        # trailing whitespace stripped (or kept at a few wraps only, as pypdf does): a trailing space
        # still marks a word boundary, its absence says nothing
        doc.regime = "lexical"
    else:
        doc.regime = "mixed"  # trailing space = word boundary, none = in-word


# the number a letter-spaced heading starts with or that follows 제 (2027년, Ⅱ., 제1장), its period too
_HEADING_NUMBER = re.compile(r"(?:^|(?<=제))(?:[0-9]{1,4}|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,4})(?:\.|(?=[년장절편관조항호]))")


def _mark_spaced(lines: list[_Line]) -> None:
    """Mark the lines of a letter-spaced heading that the extractor read one character per line: runs of
    one-character lines inside one page with two syllables at least (부 / 칙), and in them the number a heading
    starts with (2 / 0 / 2 / 7 / 년, Ⅱ / . / 추 / 진) or that follows 제 (제 / 1 / 장): those digits are no
    page numbers.  Any other digit in a run is not the heading's (주 / 요 / 내 / 1 / 용: a page number read
    into it)."""
    runs: list[list[_Line]] = [[]]
    for L in lines:
        if L.page_start or not (len(L.text) == 1 and _SPACED_CHAR.match(L.text)):
            if _PAGENUM_STRONG.match(L.text) or _PAGENUM_BARE.match(L.text):
                continue  # a page number read into the heading (복 / - 2 - / 리) does not end it
            runs.append([])
        if len(L.text) == 1 and _SPACED_CHAR.match(L.text):
            runs[-1].append(L)
    for run in runs:
        text = "".join(X.text for X in run)
        if sum(1 for c in text if _HANGUL_RE.match(c)) < 2:
            continue
        number = {k for m in _HEADING_NUMBER.finditer(text) for k in range(*m.span())}
        for k, X in enumerate(run):
            X.spaced = k in number or _HANGUL_RE.match(X.text) is not None


def column_full(doc: _Doc, A: _Line, B: _Line) -> bool:
    """A short line that is full in a narrower column (a table cell, a box): the line before it has the same
    width, within a syllable or two, or the next one has and the column goes on after it."""
    if A.width < 16 or B.gap != doc.wrap_gap or not (_HANGUL_RE.match(A.text[-1]) and _HANGUL_RE.match(B.text[0])):
        return False
    fa = A.feat()
    # a list item or bullet is a unit of its own: only the next line can show it is full
    prev = doc.lines[A.idx - 1] if A.idx > 0 and not (fa.start or fa.structure or fa.numbering) else None
    after = doc.lines[B.idx + 1] if B.idx + 1 < len(doc.lines) else None

    def near(X: _Line | None) -> bool:
        return (
            X is not None
            and X.kind == "body"
            and X.gap == B.gap
            and abs(X.width - A.width) <= max(3, 0.1 * A.width)
            and not X.feat().sent
        )

    # the next line alone is no proof when the one after it leaves the column (not as wide, no sentence end): a block
    # of short fields (피고 서울특별시 마포구청장 / 소송수행자 강태윤, 서하람 / 변론종결 2026. 9. 18.)
    return near(prev) or (near(B) and (after is None or near(after) or after.feat().sent))


# widths (display columns) of a line that no page layout wraps at: a paragraph on one line
_UNWRAPPED_WIDTH = 110


def _detect_shape(doc: _Doc, lines: list[_Line]) -> str:
    """What the input looks like: wrapped lines separated by blank lines ("blank_lines"), wrapped lines
    one per line ("single_lines"), the same with columns of spaces ("layout"), or one paragraph per line
    already ("paragraphs": long lines that end sentences, with no column gaps)."""
    wide = [L for L in lines if L.width >= 20]
    # lines longer than any page wraps at, or far past the document's usual line width, that end sentences
    for long, share in (
        ([L for L in wide if L.width > _UNWRAPPED_WIDTH and not L.table], 0.3),
        ([L for L in wide if L.width > 1.3 * doc.capacity and not L.table], 0.1),
    ):
        if long and len(long) >= share * len(wide):
            if sum(1 for L in long if _sentence_final(L.text)) >= 0.6 * len(long):
                return "paragraphs"
    if doc.style == "blank_wrap":
        return "blank_lines"
    laid_out = sum(1 for L in lines if L.table or L.indent >= 4)
    return "layout" if laid_out >= max(2, 0.05 * len(lines)) else "single_lines"
