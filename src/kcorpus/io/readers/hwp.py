"""HWP 5.0 (an OLE compound file, read with olefile): the paragraph text records of BodyText/Section*,
control characters and inline objects removed, footnotes and endnotes after their paragraph, headers and
footers left out. Password- and distribution-protected files are skipped with the reason."""

from __future__ import annotations

import io
import re
import struct
import zlib

from kcorpus.io.documents import MB, SourceError
from kcorpus.io.readers.common import paragraphs_text

VERSION = "1"
MAX_SECTION_BYTES = 64 * MB  # a section inflated past this is a zip bomb, not a report
TAG_PARA_TEXT, TAG_CTRL_HEADER, TAG_LIST_HEADER = 67, 71, 72
_SECTION = re.compile(r"^Section([0-9]+)$")
# Characters 0-31 of a paragraph text record: these take one UTF-16 unit, the others eight (the code, six
# units of data, the code again); what each leaves in the text.
_ONE_UNIT = {0: "", 10: "\n", 13: "", 24: "-", 25: "", 26: "", 27: "", 28: "", 29: "", 30: " ", 31: " "}
_INLINE = {9: "\t"}
_NOTES = {b"fn  ", b"en  "}  # control ids, as the four bytes read in file order reversed
_DROPPED = {b"head", b"foot"}


def read_hwp(data: bytes) -> str:
    """The text of an HWP 5.0 file as final paragraphs separated by blank lines. SourceError when unreadable."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - olefile raises OSError, ValueError, struct.error... on damaged files
        raise SourceError("not a readable HWP file (damaged or truncated compound file)") from None
    try:
        compressed = _check_header(_stream(ole, "FileHeader"))
        sections = sorted(
            (int(match.group(1)), "/".join(entry))
            for entry in ole.listdir()
            if len(entry) == 2 and entry[0] == "BodyText" and (match := _SECTION.match(entry[1]))
        )
        if not sections:
            raise SourceError("not an HWP 5.0 file: no BodyText/Section streams")
        texts: list[str] = []
        for _, name in sections:
            raw = _stream(ole, name)
            texts.extend(_section_paragraphs(_inflate(raw) if compressed else raw))
    finally:
        ole.close()
    return paragraphs_text(texts)


def _stream(ole, name: str) -> bytes:
    try:
        with ole.openstream(name) as stream:
            return stream.read(MAX_SECTION_BYTES + 1)
    except Exception:  # noqa: BLE001 - as above
        raise SourceError(f"not a readable HWP file ({name} is missing or damaged)") from None


def _check_header(header: bytes) -> bool:
    """Whether the body is compressed; SourceError for a file that is not HWP 5 or is protected."""
    if not header.startswith(b"HWP Document File"):
        raise SourceError("not an HWP 5.0 file (FileHeader signature missing)")
    if len(header) < 40:
        raise SourceError("not a readable HWP file (FileHeader cut short)")
    flags = struct.unpack_from("<I", header, 36)[0]
    if flags & 0x2:
        raise SourceError("password-protected HWP: save it without a password in Hancom Office first")
    if flags & 0x4:
        raise SourceError("distribution-protected HWP (배포용 문서): its text is encrypted and cannot be read")
    return bool(flags & 0x1)


def _inflate(data: bytes) -> bytes:
    """A raw-deflate stream, inflated no further than the limit."""
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(data, MAX_SECTION_BYTES + 1)
    except zlib.error:
        raise SourceError("not a readable HWP file (a body section is damaged)") from None
    if len(out) > MAX_SECTION_BYTES:
        raise SourceError(f"HWP section inflates to more than {MAX_SECTION_BYTES // MB} MB (a zip bomb?)")
    return out


def _records(data: bytes):
    """(tag, level, payload) of each record in a section stream."""
    position = 0
    while position + 4 <= len(data):
        header = struct.unpack_from("<I", data, position)[0]
        tag, level, size = header & 0x3FF, (header >> 10) & 0x3FF, header >> 20
        position += 4
        if size == 0xFFF:
            if position + 4 > len(data):
                return
            size = struct.unpack_from("<I", data, position)[0]
            position += 4
        yield tag, level, data[position : position + size]
        position += size


def _section_paragraphs(data: bytes) -> list[str]:
    """Body paragraphs in order; after each, its tables (a line per row, cells joined by a tab) and then its
    footnotes and endnotes. Headers and footers are left out."""
    body: list[str] = []
    after: list[str] = []  # tables and notes of the body paragraph read last
    notes: list[str] = []
    controls: list[tuple[int, bytes]] = []  # the open controls: (level of their header, id)
    table: _Table | None = None
    for tag, level, payload in _records(data):
        while controls and level <= controls[-1][0]:
            level_closed, ident = controls.pop()
            if ident == b"tbl " and table is not None and table.level == level_closed:
                after.extend(table.rows())
                table = table.outer
        if tag == TAG_CTRL_HEADER and len(payload) >= 4:
            controls.append((level, payload[:4][::-1]))
            if payload[:4][::-1] == b"tbl ":
                table = _Table(level, table)
            continue
        if tag == TAG_LIST_HEADER and table is not None and level == table.level + 1:
            table.new_cell(payload)
            continue
        if tag != TAG_PARA_TEXT:
            continue
        inside = [ident for _, ident in controls]
        if any(ident in _DROPPED for ident in inside):
            continue
        text = paragraph_text(payload)
        if not controls:  # a body paragraph
            body.extend(after + notes)
            after, notes = [], []
            body.append(text)
        elif inside[-1] in _NOTES:
            notes.append(text)
        elif table is not None and inside[-1] == b"tbl ":
            table.add(text)
        else:
            after.append(text)  # a text box or another control holding paragraphs
    while table is not None:  # a table the section ends in
        after.extend(table.rows())
        table = table.outer
    return body + after + notes


class _Table:
    """The cells of a table control as they are read: (row address, text)."""

    def __init__(self, level: int, outer: _Table | None):
        self.level, self.outer = level, outer
        self.cells: list[tuple[int, list[str]]] = []

    def new_cell(self, payload: bytes) -> None:
        # list header (paragraph count, attribute: 8 bytes), then the cell: column, row, spans...
        row = struct.unpack_from("<H", payload, 10)[0] if len(payload) >= 12 else len(self.cells)
        self.cells.append((row, []))

    def add(self, text: str) -> None:
        if not self.cells:
            self.cells.append((0, []))
        self.cells[-1][1].append(text.strip())

    def rows(self) -> list[str]:
        by_row: dict[int, list[str]] = {}
        for row, texts in self.cells:
            by_row.setdefault(row, []).append(" ".join(t for t in texts if t).replace("\t", " ").replace("\n", " "))
        return ["\t".join(cells) for _, cells in sorted(by_row.items()) if any(cells)]


def paragraph_text(payload: bytes) -> str:
    """The characters of a paragraph text record: control characters removed (tabs and line breaks kept),
    inline and extended controls (eight UTF-16 units each) skipped."""
    units = struct.unpack(f"<{len(payload) // 2}H", payload[: len(payload) // 2 * 2])
    out: list[str] = []
    index = 0
    while index < len(units):
        code = units[index]
        if code >= 32:
            out.append(chr(code))
            index += 1
        elif code in _ONE_UNIT:
            out.append(_ONE_UNIT[code])
            index += 1
        else:
            out.append(_INLINE.get(code, ""))
            index += 8
    return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16", "replace")
