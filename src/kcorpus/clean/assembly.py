"""Assembly of the text repair: paragraphs from the decided junctions, and the rendered result.

``_assemble`` walks the body and footnote lines in order, decides every junction
(``junctions._decide``; footnote continuation lines by ``junctions._join_kind``),
counts it, and collects paragraphs: one per footnote, placed after the paragraph that
runs across the page break, and floating URL/furniture lines likewise.  ``_render``
joins the paragraphs with ``"\\n\\n"`` into a ``CleanedText`` with its line map (an
inserted joining space and the paragraph separator map to the line before them).
"""

from __future__ import annotations

from kcorpus.clean.junctions import Decision, _decide, _is_short, _join_kind
from kcorpus.clean.lexicon import _Lexicon
from kcorpus.clean.lines import _Doc, _Line
from kcorpus.clean.patterns import (
    _FOOTNOTE_START,
    _URL_LINE,
    _footnote_finished,
    _numbering,
    _sentence_final,
    _strong_start,
    _weak_bullet,
)
from kcorpus.clean.text import CleanedText, Junction

# the decisions as module globals: on the hot path an enum attribute lookup (Decision.X)
# costs ~0.2 µs, several per junction; members are singletons, so they compare by identity
_WORD, _SPACE, _PARTICLE, _BREAK = Decision.WORD, Decision.SPACE, Decision.PARTICLE, Decision.BREAK


def _assemble(doc: _Doc) -> list[list]:
    """Walk the lines, decide every junction, collect paragraphs.

    A paragraph is [kind, pieces]; pieces are (text, line_no | None, col).
    """
    lines = [L for L in doc.lines if L.kind in ("body", "footnote")]
    lex = _Lexicon(doc.lines, doc.wrap_gap)  # vocabulary evidence, built when first needed
    paras: list[list] = []
    cur: list | None = None
    pending: list[list] = []  # floating paragraphs waiting for `cur` to close
    A: _Line | None = None
    last_fn: list | None = None  # last footnote paragraph (a block may continue it)
    last_fn_line: _Line | None = None
    crossed = False
    head: _Line | None = None  # first line of the current paragraph
    n = len(lines)
    i = 0

    def close() -> None:
        nonlocal cur
        if cur is not None:
            paras.append(cur)
            cur = None
        paras.extend(pending)
        pending.clear()

    def pieces(L: _Line) -> list:
        return [(p, L.no, c) for c, p in L.pieces]

    while i < n:
        L = lines[i]
        if L.kind == "footnote":
            # one paragraph per footnote; continuation lines join by the same rules
            fn_start = _FOOTNOTE_START.match(L.text)
            if (
                fn_start is None
                and last_fn is not None
                and last_fn_line is not None  # set together with last_fn
                and (not _footnote_finished(last_fn_line.text) or last_fn_line is lines[i - 1])
            ):
                d, why = _join_kind(doc, lex, last_fn_line, L)
                last_fn[1].append((" " if d is _SPACE else "", None, 0))
                last_fn[1].extend(pieces(L))
                _count(doc, last_fn_line, L, d, "footnote_" + why)
            else:
                if last_fn_line is not None and last_fn_line is lines[i - 1]:
                    _count(doc, last_fn_line, L, _BREAK, "footnote")
                last_fn = ["footnote", pieces(L)]
                doc.repairs["footnote_paragraphs"] += 1
                (pending if cur is not None else paras).append(last_fn)
            last_fn_line = L
            crossed = True
            i += 1
            # furniture after a footnote block (running title/date lines of the
            # next page): short, non-structural lines before an open sentence resumes
            if cur is not None and i < n and lines[i].kind == "body" and A is not None:
                i = _skip_furniture(doc, lines, i, A, pending, pieces)
            continue
        if L.kind == "body" and _URL_LINE.match(L.text) and cur is not None and A is not None:
            # a bare URL (image link) can sit at a page boundary inside a sentence
            nxt = lines[i + 1] if i + 1 < n else None
            if (
                nxt is not None
                and nxt.kind == "body"
                and nxt.page_start
                and not _sentence_final(A.text)
                and not _is_short(doc, A, nxt)
            ):
                pending.append(["url", pieces(L)])
                _count(doc, A, L, _BREAK, "floating_url")
                crossed = True
                i += 1
                continue
        if cur is None or A is None:
            cur = ["body", pieces(L)]
            head = L
        else:
            assert head is not None  # set with cur
            nxt = lines[i + 1] if i + 1 < n else None
            d, why = _decide(doc, lex, A, L, crossed, nxt, head)
            _count(doc, A, L, d, why)
            if d is _BREAK:
                close()
                cur = ["body", pieces(L)]
                head = L
            else:
                cur[1].append((" " if d is _SPACE else "", None, 0))
                cur[1].extend(pieces(L))
        A = L
        crossed = False
        i += 1
    close()
    return paras


def _skip_furniture(doc: _Doc, lines, i, A, pending, pieces) -> int:
    """After a footnote block, skip the next page's furniture (running title, date,
    masthead: short non-structural lines) when A stops mid-sentence, so that A joins
    the first full line of the next page.  Returns the index of that line."""
    if _sentence_final(A.text) or A.width < 0.86 * doc.capacity:
        return i
    k = i
    while k < len(lines) and k - i < 6:
        X = lines[k]
        if X.kind != "body":
            return i
        if X.width >= 0.86 * doc.capacity:
            break
        if _strong_start(X.text) or _numbering(X.text) or _weak_bullet(X.text) or _sentence_final(X.text):
            return i
        k += 1
    if k == i or k >= len(lines) or k - i >= 6:
        return i
    B = lines[k]
    if B.kind != "body" or _strong_start(B.text) or _numbering(B.text) or _weak_bullet(B.text):
        return i
    for X in lines[i:k]:
        pending.append(["furniture", pieces(X)])
        _count(doc, A, X, _BREAK, "floating_furniture")
    return k


def _count(doc: _Doc, A: _Line, B: _Line, d: Decision, why: str) -> None:
    if d is _WORD:
        doc.repairs["joined_in_word"] += 1
    elif d is _SPACE:
        doc.repairs["joined_with_space"] += 1
    elif d is _PARTICLE:
        doc.repairs["particle_space_removed"] += 1
    else:
        doc.repairs["kept_break"] += 1
    if doc.trace:
        doc.junctions.append(Junction(A.no, B.no, d.value, why, A.text[-30:], B.text[:30]))


def _render(doc: _Doc, paras: list[list]) -> CleanedText:
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    offs: list[int] = []
    nums: list[int] = []
    origin: list | None = [] if doc.trace else None
    pos = 0
    cur_line = None
    for pi, (_kind, pcs) in enumerate(paras):
        if pi:
            out.append("\n\n")
            if origin is not None:
                origin.extend((None, None))
            pos += 2
        start = pos
        for text, line, col in pcs:
            if not text:
                continue
            if line is not None and line != cur_line:
                offs.append(pos)
                nums.append(line)
                cur_line = line
            out.append(text)
            if origin is not None:
                if line is None:
                    origin.extend([None] * len(text))
                else:
                    origin.extend((line, col + k) for k in range(len(text)))
            pos += len(text)
        spans.append((start, pos))
    doc.char_origin = origin
    return CleanedText(
        text="".join(out),
        paragraphs=tuple(spans),
        line_offsets=tuple(offs),
        line_numbers=tuple(nums),
        repairs=dict(doc.repairs),
        removed=tuple(doc.removed),
        shape=doc.shape,
    )
