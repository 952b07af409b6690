"""Word spaces inside a letter-spaced heading read one syllable per line (pdftotext: 사 / 업 / 개 / 요).

The extractor keeps no trace of the wider gap between the heading's words, so the heading's own spelling decides:
a bill's fixed headings are written glued (제안이유, 주요내용, 제안이유 및 주요내용 as 제안이유및주요내용, as the
National Assembly sets them) and so is a press release's masthead (보도자료); any other heading of four syllables
or more gets the word spaces Kiwi's spacing model gives it (사업 개요, 처분 요구 현황), a word of two syllables at
least either side of a space, except where the document writes the syllables around the space glued in its text
(감사결과 총괄 in a report that writes 감사결과).  Without the judge a heading stays glued, as before.
"""

from __future__ import annotations

import re

from kcorpus.clean.lexicon import _Lexicon
from kcorpus.clean.lines import _Doc, _Line
from kcorpus.clean.patterns import _HANGUL_RE

_BILL_HEADING = re.compile(r"(?:제안이유|주요내용|및)+")
_GLUED_HEADINGS = frozenset(("제안이유", "보도자료"))


def _syllable_line(L: _Line) -> bool:
    return L.kind == "body" and len(L.text) == 1 and _HANGUL_RE.match(L.text) is not None


def _run(doc: _Doc, A: _Line) -> tuple[str, int]:
    """The heading of one-syllable lines that line A is in, glued, and A's position (syllables up to and with A)."""
    lines = doc.lines
    s = A.idx
    while s > 0 and _syllable_line(lines[s - 1]):
        s -= 1
    e = A.idx + 1
    while e < len(lines) and _syllable_line(lines[e]):
        e += 1
    return "".join(L.text for L in lines[s:e]), A.idx + 1 - s


def _bill(doc: _Doc) -> bool:
    """Does the document have a bill's heading 제안이유 (set one syllable per line or on a line)?"""
    syllables = "".join(L.text if _syllable_line(L) else "\n" for L in doc.lines)
    return "제안이유" in syllables or any(L.text.startswith("제안이유") for L in doc.lines)


def heading_word_space(doc: _Doc, lex: _Lexicon, A: _Line) -> bool:
    """Is there a word space after line A inside the letter-spaced heading of one-syllable lines it is in?"""
    if doc.boundary is None:
        return False
    heading, k = _run(doc, A)
    if len(heading) < 4 or k < 2 or len(heading) - k < 2 or heading in _GLUED_HEADINGS:
        return False
    if _BILL_HEADING.fullmatch(heading) and _bill(doc):
        return False
    lex.ensure_lexicon()
    around = heading[k - 2 : k + 2]
    if lex.glued_inside(around) > lex.pair_tail_count.get(around[:2] + " " + around[2:], 0):
        return False  # the document writes these words glued elsewhere (감사결과, 지적사항): so does its heading
    return doc.boundary(heading[:k], heading[k:])
