"""Repair of text extracted from PDF/HWP reports, with an exact map to source lines.

``clean_text`` turns a PDF/HWP text dump into running text with one paragraph per
``"\\n\\n"``-separated block, and keeps, for every character that came from the
source, the 1-based source line it came from (``CleanedText.source_line``).

Pure string processing plus statistics of the document itself: no Kiwi here (only
``analyzer.py`` touches Kiwi, and a warm-cache run must not load it).

What it repairs (``CleanedText.repairs`` counts each rule):

* wrapped lines are rejoined; every junction between two consecutive content lines
  becomes ``joined_in_word`` (nothing inserted), ``joined_with_space`` (one space) or
  ``kept_break`` (paragraph break).  Evidence, in order: structure of the next line
  (bullet, numbering, caption, footnote), blank-line gaps, line length (a line that
  would still have had room for the next word ended on purpose), sentence-final
  endings, and for word-vs-in-word the trailing space before the newline, read
  according to the document's own regime ("all": every line has one, wraps are at word
  boundaries; "mixed": space = word boundary, none = same word); documents without
  trailing-space evidence ("lexical") fall back to document-internal evidence (does the
  joined form occur unbroken elsewhere, is the next fragment a particle or ending, a
  syllable model of the document).  See scripts/clean_rules.md for the measured rules.
* running headers/footers (lines that repeat with a varying page number), lone page
  numbers (``- 3 -``, ``12`` in a page-number sequence), running section titles at
  page boundaries, form feeds.
* footnote markers glued to words (``지양2)하였고`` -> ``지양하였고``); footnote lines at
  the bottom of a page become their own paragraphs, placed after the paragraph that
  runs across the page break (so the sentence is not cut by its footnotes).
* the stray space between a Latin/number token and a particle (``SEMI 는`` ->
  ``SEMI는``), only for a closed list of particles followed by space/punctuation/end.

Line-map convention: an inserted joining space and the ``"\\n\\n"`` paragraph
separator map to the line *before* them (the line whose text they follow).

The stages, each in its own module (a module imports only from those before it):

* ``text``: the result types (``CleanedText``, ``Junction``, ``CleanTrace``), ``passthrough``;
* ``patterns``: character classes, regexes, particle lists, small pure string helpers;
* ``lines``: the line model (``_Line``, ``_Feat``), reading lines, document statistics,
  and ``_Doc``, the state the stages share;
* ``furniture``: headers, page numbers, running titles, footnotes, and the within-line
  repairs (footnote markers, particle spaces);
* ``lexicon``: the document's own vocabulary and syllable statistics (``_Lexicon``), read lazily;
* ``orthography``: words at a wrap by the rules of Korean orthography (quotes, ``%``, citations, endings);
* ``junctions``: the junction decision (``Decision``, ``_decide``, ``_lexical``,
  ``_join_kind``);
* ``assembly``: paragraphs and the rendered ``CleanedText`` with its line map;
* ``repair`` (this module): ``clean_text`` and ``trace_clean``, running the stages in order.
"""

from __future__ import annotations

from typing import Callable

from kcorpus.clean.assembly import _assemble, _render
from kcorpus.clean.furniture import (
    _detect_footnotes,
    _detect_headers,
    _detect_page_numbers,
    _detect_running_titles,
    _remove_drop_furniture,
    _within_line_repairs,
)
from kcorpus.clean.lines import _Doc, _document_stats, _read_lines
from kcorpus.clean.text import CLEAN_VERSION, CleanedText, CleanTrace, Junction, passthrough
from kcorpus.errors import InvalidArgument

__all__ = [
    "CLEAN_VERSION",
    "CleanedText",
    "Junction",
    "CleanTrace",
    "clean_text",
    "passthrough",
    "trace_clean",
]


def _run(doc: _Doc) -> CleanedText:
    """The cleaner: run the stages in order on one document."""
    _read_lines(doc)
    if not doc.lines:
        return CleanedText("", (), (), (), dict(doc.repairs), ())
    _document_stats(doc)
    if doc.shape not in ("paragraphs", "wrapped"):
        _remove_drop_furniture(doc)
        _detect_headers(doc)
        _detect_page_numbers(doc)
        _detect_running_titles(doc)
        _detect_footnotes(doc)
    _within_line_repairs(doc)
    paras = _assemble(doc)
    return _render(doc, paras)


# ---------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------


SHAPES = ("blank_lines", "single_lines", "layout", "paragraphs", "wrapped")
_GIVEN_SHAPES = (None, "paragraphs", "wrapped")


def _check_shape(shape: str | None) -> None:
    if shape not in _GIVEN_SHAPES:
        raise InvalidArgument("shape", f"must be None (detect), 'paragraphs' or 'wrapped', not {shape!r}")


def clean_text(
    text: str,
    *,
    shape: str | None = None,
    furniture: frozenset[str] = frozenset(),
    boundary: Callable[[str, str], bool] | None = None,
) -> CleanedText:
    """Repair of extracted text (default for plain-text sources).

    `shape`: None detects the input's shape (``CleanedText.shape`` says which); "paragraphs" takes the
    text as already clean, one paragraph per line (whitespace normalised, letter-spaced headings
    rejoined, nothing removed); "wrapped" takes blank lines as paragraph breaks and every other newline
    as a line wrap (only in-word vs word boundary is decided, nothing removed).
    `furniture`: header/footer/page-number lines of the drop (``drop_furniture``), removed at page edges.
    `boundary(left, right)`: is there a word boundary between the text either side of a wrap?  Asked
    only for wraps that no rule and no statistic of the document decides (Kiwi's spacing model in a run).
    """
    _check_shape(shape)
    return _run(_Doc(text, shape=shape, furniture=furniture, boundary=boundary))


def trace_clean(
    text: str,
    *,
    shape: str | None = None,
    furniture: frozenset[str] = frozenset(),
    boundary: Callable[[str, str], bool] | None = None,
) -> CleanTrace:
    """Like :func:`clean_text`, plus every junction decision and a per-character origin map."""
    _check_shape(shape)
    doc = _Doc(text, trace=True, shape=shape, furniture=furniture, boundary=boundary)
    res = _run(doc)
    return CleanTrace(
        result=res,
        junctions=list(doc.junctions),
        char_origin=doc.char_origin if doc.char_origin is not None else [],  # [] without content lines
        regime=doc.regime,  # "empty" for a document without content lines
        style=doc.style,
        capacity=round(doc.capacity),
    )
