"""DOCX (WordprocessingML: zip + XML): the body's paragraphs, tables as rows, footnotes and endnotes after
the paragraph that cites them; headers, footers, deleted text and field codes left out."""

from __future__ import annotations

from kcorpus.io.documents import SourceError
from kcorpus.io.readers.common import local, open_zip, paragraphs_text, parse_xml, read_member
from kcorpus.io.readers.xmltext import Vocabulary, paragraphs

VERSION = "1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORDS = Vocabulary(
    breaks={"tab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"},
    notes=frozenset({"footnoteReference", "endnoteReference"}),
    blocks=frozenset({"txbxContent"}),
    skipped=frozenset({"delText", "instrText", "del", "Fallback", "sectPr", "rPr", "pPr"}),
)
_PARTS = {"footnoteReference": "word/footnotes.xml", "endnoteReference": "word/endnotes.xml"}


def read_docx(data: bytes) -> str:
    """The text of a DOCX file as final paragraphs separated by blank lines. SourceError when unreadable."""
    archive = open_zip(data, "DOCX")
    with archive:
        names = set(archive.namelist())
        if "word/document.xml" not in names:
            raise SourceError("not a DOCX file: no word/document.xml inside (damaged, or another zip?)")
        root = parse_xml(read_member(archive, "word/document.xml", "DOCX"), "word/document.xml")
        notes = {
            kind: _notes(parse_xml(read_member(archive, part, "DOCX"), part))
            for kind, part in _PARTS.items()
            if part in names
        }
    body = next((child for child in root if local(child.tag) == "body"), root)

    def note_body(reference) -> list:
        note = notes.get(local(reference.tag), {}).get(reference.get(f"{_W}id", ""))
        return [note] if note is not None else []

    return paragraphs_text(paragraphs(body, WORDS, note_body))


def _notes(root) -> dict[str, object]:
    """Footnote or endnote elements by id, separators left out."""
    return {
        note.get(f"{_W}id", ""): note
        for note in root
        if local(note.tag) in ("footnote", "endnote") and note.get(f"{_W}type") in (None, "normal")
    }
