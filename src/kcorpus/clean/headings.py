"""Word spaces inside a letter-spaced heading read one syllable per line (pdftotext: 사 / 업 / 개 / 요).

The extractor keeps no trace of the wider gap between the heading's words, so the heading's own spelling decides:
a bill's fixed headings are written glued (제안이유, 주요내용, 제안이유 및 주요내용 as 제안이유및주요내용, as the
National Assembly sets them) and so is a press release's masthead (보도자료); any other heading of four syllables
or more gets the word spaces Kiwi's spacing model gives it (사업 개요, 처분 요구 현황), a word of two syllables at
least either side of a space, except where the document writes the syllables around the space glued in its text
(감사결과 총괄 in a report that writes 감사결과).  Without the judge a heading stays glued, as before, but for its
number: 제 / 1 / 장 / 총 / 칙 is 제1장 총칙, Ⅱ / . / 추 / 진 is Ⅱ. 추진 (digits and roman numerals are characters
of the heading, ``_Line.spaced``).
"""

from __future__ import annotations

import re

from kcorpus.clean.lexicon import _Lexicon
from kcorpus.clean.lines import _Doc, _Line

_BILL_HEADING = re.compile(r"(?:제안이유|주요내용|및)+")
_GLUED_HEADINGS = frozenset(("제안이유", "보도자료"))
_FURNITURE = frozenset(("header", "pagenum", "runtitle"))
# a heading's number (제1장, 제2절, Ⅲ., 4.): one word, and a word space after it
_HEADING_NUMBER = re.compile(r"제[0-9]{1,3}[장절편관]|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ]{1,4}\.|[0-9]{1,2}\.")


def _syllable_line(L: _Line) -> bool:
    return L.kind == "body" and L.spaced


def _run(doc: _Doc, A: _Line) -> tuple[str, int]:
    """The heading of one-character lines that line A is in, glued, and A's position (characters up to and with A)."""
    lines = [L for L in doc.lines if L.kind not in _FURNITURE]  # a page number read into it (주 / 요 / 내 / 1 / 용)
    at = lines.index(A)
    s = at
    while s > 0 and _syllable_line(lines[s - 1]):
        s -= 1
    e = at + 1
    while e < len(lines) and _syllable_line(lines[e]):
        e += 1
    return "".join(L.text for L in lines[s:e]), at + 1 - s


def _bill(doc: _Doc) -> bool:
    """Does the document have a bill's heading 제안이유 (set one syllable per line or on a line)?"""
    syllables = "".join(L.text if _syllable_line(L) else "\n" for L in doc.lines)
    return "제안이유" in syllables or any(L.text.startswith("제안이유") for L in doc.lines)


def heading_word_space(doc: _Doc, lex: _Lexicon, A: _Line) -> bool:
    """Is there a word space after line A inside the letter-spaced heading of one-character lines it is in?"""
    heading, k = _run(doc, A)
    number = _HEADING_NUMBER.match(heading)
    if number and k <= number.end():
        return k == number.end() and k < len(heading)  # 제1장 총칙, Ⅱ. 추진 방향
    if doc.boundary is None:
        return False
    if len(heading) < 4 or k < 2 or len(heading) - k < 2 or heading in _GLUED_HEADINGS:
        return False
    if _BILL_HEADING.fullmatch(heading) and _bill(doc):
        return False
    lex.ensure_lexicon()
    around = heading[k - 2 : k + 2]
    if lex.glued_inside(around) > lex.pair_tail_count.get(around[:2] + " " + around[2:], 0):
        return False  # the document writes these words glued elsewhere (감사결과, 지적사항): so does its heading
    return doc.boundary(heading[:k], heading[k:])
