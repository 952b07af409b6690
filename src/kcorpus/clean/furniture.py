"""Page furniture of the text repair: running headers, page numbers, running titles, footnotes.

Detection marks lines by their ``kind`` ("header", "pagenum", "runtitle" are dropped and
listed in ``removed``; "footnote" lines become their own paragraphs in assembly).  Glued
footnote markers (``지양2)하였고``) are found here and deleted, with the stray space
before a particle (``SEMI 는``), by the within-line repairs that run last, just before
the lines are assembled.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from kcorpus.clean.lines import _Doc, _Line
from kcorpus.clean.patterns import (
    _DIGITS,
    _EDGE_LINES,
    _FOOTNOTE_START,
    _MARKER,
    _PAGENUM_BARE,
    _PAGENUM_STRONG,
    _PARTICLE_SPACE,
    _SPACED_LABEL,
    _SPACED_PAREN_WORD,
    _SPACED_WHOLE,
    _TWO_LETTERS,
    _URL_LINE,
    LIST_MARK_ONLY,
    _footnote_finished,
    _furniture_key,
    _is_number,
    _numbering,
    _paren_delta,
    _particle_ok,
    _sentence_final,
    _strong_start,
    spaced_runs,
)

# ---------------------------------------------------------------------------
# Headers, page numbers, running titles
# ---------------------------------------------------------------------------


def _remove(doc: _Doc, L: _Line, kind: str, rule: str) -> None:
    """Drop line L as furniture of `kind`, counted under `rule` and listed in ``removed``."""
    L.kind = kind
    doc.repairs[rule] += 1
    doc.removed.append((L.no, rule, L.text))


def _remove_drop_furniture(doc: _Doc) -> None:
    """Lines of the drop's furniture (``drop.drop_furniture``) at a page top or bottom."""
    if not doc.furniture:
        return
    pages: list[list[_Line]] = []
    for L in doc.lines:
        if not pages or L.ff_start:
            pages.append([])
        pages[-1].append(L)
    for page in pages:
        for L in page[:_EDGE_LINES] + page[-_EDGE_LINES:]:
            if L.kind == "body" and not L.spaced and _furniture_key(L.text) in doc.furniture:
                pagenum = _PAGENUM_STRONG.match(L.text) or _PAGENUM_BARE.match(L.text)
                _remove(
                    doc, L, "pagenum" if pagenum else "header", "page_number_removed" if pagenum else "header_removed"
                )


def _detect_headers(doc: _Doc) -> None:
    """Running headers/footers: lines that repeat with an increasing page number."""
    groups: dict[str, list[_Line]] = defaultdict(list)
    for L in doc.lines:
        if L.kind != "body" or len(L.text) < 4:
            continue
        key = _DIGITS.sub("#", L.text)
        if "#" in key and _TWO_LETTERS.search(key):
            groups[key].append(L)
    for group in groups.values():
        if len(group) < 2:
            continue
        if any(_sentence_final(L.text) for L in group):
            continue
        toks = [L.text.split(" ") for L in group]
        if len({len(t) for t in toks}) != 1:
            continue
        slots = [
            j for j, t in enumerate(toks[0]) if _is_number(t) and len(t) <= 4 and all(_is_number(tt[j]) for tt in toks)
        ]
        page_slot = None
        for j in slots:
            vals = [int(t[j]) for t in toks]
            if len(set(vals)) >= 2 and all(a < b for a, b in zip(vals, vals[1:])):
                page_slot = j
                break
        if page_slot is None:
            continue
        spread = min(b.no - a.no for a, b in zip(group, group[1:]))
        if spread < 10:
            continue  # adjacent rows of a table, not a running header
        if len(group) == 2:
            # two occurrences only: require header layout (a wide gap around the number)
            tok = toks[0][page_slot]
            if not re.search(r" {3,}" + re.escape(tok) + r"(?: {3,}|$)", group[0].work.rstrip()):
                continue
        for L in group:
            _remove(doc, L, "header", "header_removed")


def _leading_number(text: str) -> int:
    """The number a bare page-number line (one _PAGENUM_BARE matches) starts with."""
    digits = _DIGITS.match(text)
    assert digits is not None  # _PAGENUM_BARE lines start with a digit
    return int(digits.group())


def _detect_page_numbers(doc: _Doc) -> None:
    """Lone page numbers: ``- 3 -``, ``p. 3``, ``3쪽`` always; bare numbers when they
    increase through the document or sit at a page boundary."""
    bare: list[_Line] = []
    for L in doc.lines:
        if L.kind != "body" or L.spaced:  # 제 / 1 / 장: a digit of a letter-spaced heading
            continue
        if _PAGENUM_STRONG.match(L.text):
            _remove(doc, L, "pagenum", "page_number_removed")
        elif _PAGENUM_BARE.match(L.text):
            bare.append(L)
    if not bare:
        return
    vals = [_leading_number(L.text) for L in bare]
    increasing = len(bare) >= 3 and all(a < b for a, b in zip(vals, vals[1:]))
    for L in bare:
        nxt = doc.lines[L.idx + 1] if L.idx + 1 < len(doc.lines) else None
        prev = doc.lines[L.idx - 1] if L.idx else None
        at_boundary = L.page_start or (nxt is not None and nxt.page_start) or (nxt is None and doc.form_feeds)
        # next to a running header removed at a page edge (the header, then the page number)
        at_boundary = at_boundary or any(X is not None and X.kind == "header" for X in (prev, nxt))
        if increasing or at_boundary:
            _remove(doc, L, "pagenum", "page_number_removed")


# a list item or low-level heading (1) …, (2) …, 3. …, 가. …, ①): numbered within its section, never a running title
_ITEM_HEAD = re.compile(r"^(?:\(?[0-9]{1,2}\)|[0-9]{1,2}\.|\(?[가-하]\)|[가-하]\.|[①-⑳])\s?\S")


def _detect_running_titles(doc: _Doc) -> None:
    """Running section titles: short lines repeated at page boundaries."""
    counts = Counter(L.text for L in doc.lines if L.kind == "body")
    found: list[_Line] = []
    continued: set[str] = set()
    for L in doc.lines:
        if L.kind != "body" or counts[L.text] < 2:
            continue
        t = L.text
        if (
            _sentence_final(t)
            or _ITEM_HEAD.match(t)
            or t[-1] in ".,"
            or _URL_LINE.match(t)
            or L.width > 0.7 * doc.capacity
            or not _TWO_LETTERS.search(t)
        ):
            continue
        prev = doc.lines[L.idx - 1] if L.idx > 0 else None
        nxt = doc.lines[L.idx + 1] if L.idx + 1 < len(doc.lines) else None
        at_boundary = (nxt is not None and (nxt.page_start or nxt.kind in ("header", "pagenum"))) or (
            prev is not None and prev.kind in ("header", "pagenum")
        )
        if at_boundary:
            found.append(L)
        elif prev is not None and prev.kind == "body" and prev.feat().mid_clause and prev.width >= 0.8 * doc.capacity:
            continued.add(t)  # …관리위원회를|구성하지 아니한 자: the end of a wrapped sentence, content
    # Repetition is the evidence: a running title sits at a page boundary in half of its occurrences or more
    # (a section title listed once in the contents and met again at a page top: half), at two boundaries or in
    # a document of three pages or more, and a boundary of the first page does not count (the top of page 1
    # holds the document's own title).  A bill's title repeated above the amendment text, a table cell
    # (<신설>) met on many rows, a heading used in several sections: content, even where one occurrence
    # happens to fall at a page break.
    first_page_end = next((L.idx for L in doc.lines if L.page_start), len(doc.lines))
    found = [L for L in found if L.idx >= first_page_end]
    pages = 1 + sum(1 for L in doc.lines if L.page_start)
    at_edges = Counter(L.text for L in found)
    for L in found:
        n = at_edges[L.text]
        if (n >= 2 or pages > 2) and 2 * n >= counts[L.text] and L.text not in continued:
            _remove(doc, L, "runtitle", "running_title_removed")


# ---------------------------------------------------------------------------
# Footnotes
# ---------------------------------------------------------------------------


def _marker_spans(L: _Line, depth: int) -> tuple[list[tuple[int, int]], int]:
    """Glued footnote markers in L (work coordinates); returns spans and end depth."""
    w = L.work
    if ")" not in w:
        return [], max(0, min(depth + _paren_delta(w), 3)) if "(" in w else depth
    spans = []
    pos = 0
    d = depth
    for m in _MARKER.finditer(w):
        d += _paren_delta(w[pos : m.start()])
        d = max(d, 0)
        pos = m.start()
        if d == 0 and int(m.group(1)) > 0:
            spans.append((m.start(), m.end()))
    d += _paren_delta(w[pos:])
    return spans, max(0, min(d, 3))


def _detect_footnotes(doc: _Doc) -> None:
    """Footnote blocks: lines starting ``N)`` for a number used as a glued marker in the
    body, with their continuation lines; records the glued markers in ``marker_spans``."""
    # glued markers in the body give the footnote numbers in use
    doc.marker_spans = {}
    numbers: set[int] = set()
    depth = 0
    for L in doc.lines:
        if L.kind != "body":
            continue
        if L.gap != doc.wrap_gap and not L.page_start:
            depth = 0
        if _FOOTNOTE_START.match(L.text):
            depth = 0
            continue
        spans, depth = _marker_spans(L, depth)
        if spans:
            doc.marker_spans[L.idx] = spans
            numbers.update(int(L.work[s : e - 1]) for s, e in spans)
    if not numbers:
        return
    lines = doc.lines
    n = len(lines)
    i = 0
    while i < n:
        L = lines[i]
        m = _FOOTNOTE_START.match(L.text) if L.kind == "body" else None
        if not m or int(m.group(1)) not in numbers:
            i += 1
            continue
        # a continuation line glued (no blank line) right before the block start
        start = i
        if (
            doc.style == "blank_wrap"
            and L.gap == 0
            and not L.page_start
            and i > 0
            and lines[i - 1].kind == "body"
            and not _strong_start(lines[i - 1].text)
            and not _numbering(lines[i - 1].text)
        ):
            start = i - 1
        j = i + 1
        last = L
        while j < n:
            X = lines[j]
            if X.kind in ("header", "pagenum", "runtitle"):
                break
            if X.page_start:
                break
            if X.gap >= 2 and doc.style == "blank_wrap":
                break
            mm = _FOOTNOTE_START.match(X.text)
            if mm and int(mm.group(1)) in numbers:
                last = X
                j += 1
                continue
            if _strong_start(X.text) or _numbering(X.text):
                break
            if X.gap == 0 or (X.gap <= doc.wrap_gap + 1 and not _footnote_finished(last.text)):
                last = X
                j += 1
                continue
            break
        # notes sit at a page bottom: "1) 적성검사 주기" followed by text and "2) …" is a heading
        at_page_end = j == n or lines[j].page_start or lines[j].kind in ("header", "pagenum", "runtitle")
        before_unit = j < n and (_strong_start(lines[j].text) or _numbering(lines[j].text))
        if not at_page_end and (doc.style != "blank_wrap" or before_unit):
            i += 1
            continue
        for k in range(start, j):
            lines[k].kind = "footnote"
        i = j


# ---------------------------------------------------------------------------
# Within-line repairs (footnote markers, particle spaces)
# ---------------------------------------------------------------------------


# 제  2  호 set wide as a letter-spaced heading is 제2호; 제    호 (two syllables) is a blank number: 법률 제 호
_SPACED_NUMBERED = re.compile(r"(?<![가-힣])제 {2,}[0-9]{1,4} {2,}[조항호장절편관목](?![가-힣])")
_NUMBER_SLOT = re.compile(r"제 +[조항호장절편관목]")
_SPACES = re.compile(" +")
_NUMBER_CHAR = re.compile("[0-9ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]")


def _letter_spacing(work: str, continued: bool = False) -> list[tuple[int, int]]:
    """Spaces inside letter-spaced headings and labels (``부      칙``, ``발 의 자 :``, ``(생 략)``):
    single syllables set wider apart than words, or a whole short line / bracket / label of them (not when the
    line `continued` a full line cut mid-clause: …반납하여|야 함, …3미터 이내|인 곳 are words)."""
    found = spaced_runs(work)
    core = work.strip(" ")
    if len(core) <= 16 and not continued and _SPACED_WHOLE.match(core):
        s = work.index(core)
        found.append((s, s + len(core)))
    if "(" in work or "<" in work or "〈" in work:
        found += [m.span() for m in _SPACED_PAREN_WORD.finditer(work)]
    m = _SPACED_LABEL.match(work) if ":" in work or "：" in work else None
    if m:
        found.append(m.span())
    if "제" in work:
        found += [m.span() for m in _SPACED_NUMBERED.finditer(work)]
    spans = []
    for s, e in found:
        blank = _NUMBER_SLOT.fullmatch(work, s, e)
        word_gaps = _word_gaps(work, s, e)
        # 법률 제    호: the space of a number still to be filled in, not letter spacing; one space stays
        spans += [
            (k, k + 1)
            for k in range(s, e)
            if work[k] == " " and not (blank and work[k - 1] == "제") and not (k in word_gaps and work[k - 1] != " ")
        ]
    return spans


def _word_gaps(work: str, s: int, e: int) -> set[int]:
    """Starts of the gaps in work[s:e] at least twice as wide as its narrowest and two spaces wider: the word
    space of a letter-spaced heading of two words (감   사   결   과         총   괄 -> 감사결과 총괄)."""
    gaps = [(m.start(), m.end() - m.start()) for m in _SPACES.finditer(work, s, e)]
    narrow = min((n for _, n in gaps), default=0)
    # never after a digit or a roman numeral: a number goes with its unit or period (2 0 2 7 년, Ⅰ .), whatever
    # the gap pdftotext -layout leaves after a narrow digit
    wide = {k for k, n in gaps if n >= 2 * narrow and n >= narrow + 2 and not _NUMBER_CHAR.match(work[k - 1])}
    return wide if len(gaps) > 1 else set()


def _continues_full_line(doc: _Doc, L: _Line) -> bool:
    """Does line L follow, at a wrap's gap, a full body line that stops mid-clause (no sentence end, no colon)?"""
    prev = doc.lines[L.idx - 1] if L.idx > 0 else None
    if prev is None or prev.kind != "body" or L.gap != doc.wrap_gap or not prev.text:
        return False
    return prev.width >= 0.9 * doc.capacity and not prev.feat().sent and prev.text[-1] not in ":：)」』”’"


def _within_line_repairs(doc: _Doc) -> None:
    """Delete glued footnote markers, letter spacing and (not in clean "paragraphs" text) stray spaces before
    particles; a line left with no text drops out (kind "empty")."""
    for L in doc.lines:
        if L.kind not in ("body", "footnote"):
            continue
        spans = list(doc.marker_spans.get(L.idx, ())) if L.kind == "body" else []
        for s, e in spans:
            doc.repairs["footnote_marker_removed"] += 1
            doc.removed.append((L.no, "footnote_marker_removed", L.work[s:e]))
        spans += _letter_spacing(L.work, L.kind == "body" and _continues_full_line(doc, L))
        written = doc.shape == "paragraphs"  # clean text (an office file's paragraphs): a space as written stays
        for m in () if written else _PARTICLE_SPACE.finditer(L.work):
            if _particle_ok(L.work[: m.start(1)], m.group(2)) and not LIST_MARK_ONLY.fullmatch(L.work[: m.start(1)]):
                spans.append((m.start(1), m.end(1)))
                doc.repairs["particle_space_removed"] += 1
        L.add_dels(spans)
        if not L.text:
            L.kind = "empty"
