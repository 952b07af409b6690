"""Furniture of a drop: running headers, footers and page numbers shared by the documents of one run.

``drop_furniture`` reads all documents of a run before any is cleaned and returns the lines (spaces
collapsed, digits masked: ``_furniture_key``) that sit at a page top or bottom in most pages of at
least ``min_docs`` documents; ``clean_text(text, furniture=...)`` then removes them from page edges,
even in a one-page document.  ``furniture_in`` gives the part of that set a document holds (for its
cache key: adding unrelated documents to a drop does not change it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from kcorpus.clean.patterns import (
    _EDGE_LINES,
    _PAGENUM_BARE,
    _PAGENUM_STRONG,
    _furniture_key,
    _sentence_final,
    _strong_start,
    _structure_start,
)

#: documents that must share a furniture line
MIN_DOCS = 3
_MAX_CHARS = 50  # running headers are short; a wrapped body line is not one


def page_edges(text: str) -> list[set[str]]:
    """Per page (form feeds split pages; no form feed: one page), the keys of its edge lines."""
    out = []
    for page in text.replace("\r\n", "\n").replace("\r", "\n").split("\f"):
        lines = [ln for ln in page.split("\n") if ln.strip()]
        if lines:
            edge = lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]
            out.append({_furniture_key(ln) for ln in edge if _furniture_like(ln.strip())})
    return out


def _furniture_like(line: str) -> bool:
    """Could this line be a header, footer or page number (not a sentence, heading of a unit, bullet)?"""
    if _PAGENUM_STRONG.match(line) or _PAGENUM_BARE.match(line):
        return True
    if len(line) > _MAX_CHARS or _sentence_final(line) or line[-1] in ".,":
        return False
    return _strong_start(line) is None and not _structure_start(line)


def drop_furniture(texts: Iterable[str], *, min_docs: int = MIN_DOCS) -> frozenset[str]:
    """Lines at the page edges of more than half the pages of each of at least `min_docs` documents."""
    docs: Counter = Counter()
    for text in dict.fromkeys(texts):  # copies of one document are one document
        pages = page_edges(text)
        per_page = Counter(k for edge in pages for k in edge)
        docs.update(k for k, n in per_page.items() if n > len(pages) / 2)
    return frozenset(k for k, n in docs.items() if n >= min_docs)


def furniture_in(text: str, furniture: frozenset[str]) -> frozenset[str]:
    """The furniture lines of a drop that occur at the page edges of `text`."""
    if not furniture:
        return frozenset()
    return frozenset(k for edge in page_edges(text) for k in edge if k in furniture)
