"""HWPX (OWPML: zip + XML): the sections' paragraphs, tables as rows, footnotes and endnotes after their
paragraph, headers and footers left out."""

from __future__ import annotations

import re

from kcorpus.io.documents import SourceError
from kcorpus.io.readers.common import open_zip, paragraphs_text, parse_xml, read_member
from kcorpus.io.readers.xmltext import Vocabulary, paragraphs

VERSION = "1"
_SECTION = re.compile(r"^Contents/section([0-9]+)\.xml$")
WORDS = Vocabulary(
    breaks={"tab": "\t", "lineBreak": "\n", "nbSpace": " ", "fwSpace": " ", "hyphen": "-"},
    notes=frozenset({"footNote", "endNote"}),
    blocks=frozenset({"drawText"}),
    skipped=frozenset({"header", "footer", "secPr", "pageNum", "fieldBegin", "fieldEnd", "autoNum", "memo"}),
)


def read_hwpx(data: bytes) -> str:
    """The text of an HWPX file as final paragraphs separated by blank lines. SourceError when unreadable."""
    archive = open_zip(data, "HWPX")
    with archive:
        numbered = sorted(
            (int(match.group(1)), name) for name in archive.namelist() if (match := _SECTION.match(name)) is not None
        )
        if not numbered:
            raise SourceError("not an HWPX file: no Contents/section*.xml inside (damaged, or another zip?)")
        texts: list[str] = []
        for _, name in numbered:
            root = parse_xml(read_member(archive, name, "HWPX"), name)
            texts.extend(paragraphs(root, WORDS))
    return paragraphs_text(texts)
