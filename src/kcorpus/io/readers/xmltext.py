"""Paragraphs out of word-processor XML (OWPML for HWPX, WordprocessingML for DOCX): body paragraphs in
order, each followed by its tables (one row per line, cells joined by a tab) and then its notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterator

from kcorpus.io.readers.common import local

Notes = Callable[[object], list]  # a note reference element -> the note's paragraph elements


@dataclass(frozen=True)
class Vocabulary:
    """The element names (without namespace) a format uses."""

    paragraph: str = "p"
    text: str = "t"
    table: str = "tbl"
    row: str = "tr"
    cell: str = "tc"
    breaks: dict[str, str] = field(default_factory=dict)  # empty elements that stand for a character
    notes: frozenset[str] = frozenset()  # elements that hold a note's paragraphs (or point to them)
    blocks: frozenset[str] = frozenset()  # elements holding paragraphs of their own (text boxes)
    skipped: frozenset[str] = frozenset()  # elements whose text is not read (headers, deleted text)


@dataclass
class _Found:
    parts: list[str] = field(default_factory=list)
    tables: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    blocks: list = field(default_factory=list)


def paragraphs(container, words: Vocabulary, note_body: Notes | None = None) -> Iterator[str]:
    """The paragraphs under `container` (a section or body element), tables and notes after their paragraph."""
    for child in container:
        name = local(child.tag)
        if name == words.paragraph:
            yield from _paragraph(child, words, note_body)
        elif name == words.table:
            yield from _table(child, words, note_body)
        elif name not in words.skipped:
            yield from paragraphs(child, words, note_body)


def _paragraph(element, words: Vocabulary, note_body: Notes | None) -> Iterator[str]:
    found = _Found()
    _collect(element, words, found)
    yield "".join(found.parts)
    for table in found.tables:
        yield from _table(table, words, note_body)
    for block in found.blocks:
        yield from paragraphs(block, words, note_body)
    for note in found.notes:
        for body in note_body(note) if note_body else [note]:
            yield from paragraphs(body, words, note_body)


def _collect(element, words: Vocabulary, found: _Found) -> None:
    """The text of one paragraph into found.parts; its tables, notes and text boxes set aside."""
    for child in element:
        name = local(child.tag)
        if name in words.skipped:
            continue
        if name == words.text:
            found.parts.append(_text(child, words))
        elif name in words.breaks:
            found.parts.append(words.breaks[name])
        elif name == words.table:
            found.tables.append(child)
        elif name in words.notes:
            found.notes.append(child)
        elif name in words.blocks:
            found.blocks.append(child)
        else:
            _collect(child, words, found)


def _text(element, words: Vocabulary) -> str:
    """A text element's characters, with the tabs and line breaks written inside it."""
    parts = [element.text or ""]
    for child in element:
        parts.append(words.breaks.get(local(child.tag), ""))
        parts.append(child.tail or "")
    return "".join(parts)


def _table(table, words: Vocabulary, note_body: Notes | None) -> Iterator[str]:
    """One line per row, the cells' text joined by a tab (a cell's paragraphs joined by a space)."""
    for row in table:
        if local(row.tag) != words.row:
            continue
        cells = [
            " ".join(text.strip() for text in paragraphs(cell, words, note_body) if text.strip())
            for cell in row
            if local(cell.tag) == words.cell
        ]
        if any(cells):
            yield "\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in cells)
