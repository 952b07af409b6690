"""Build HWPX, DOCX and HWP 5.0 files by hand for the reader tests.

A document is a list of blocks: ``Para(text, notes)`` (notes: footnote texts anchored in that paragraph)
or ``Grid(rows)``; every builder also writes a running header and footer the readers must leave out.
``expected`` gives the paragraphs a reader should return. HWP 5.0: olefile cannot create files, so
``compound_file`` writes a minimal OLE compound file (version 3, 512-byte sectors, small streams in the
mini stream) from the [MS-CFB] layout, and ``hwp_section`` the HWP record stream from Hancom's published
HWP 5.0 format description (record header: tag, level, size; PARA_TEXT is tag 67, UTF-16LE).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

HEADER_TEXT = "머리말 반복 문구"
FOOTER_TEXT = "꼬리말 쪽 번호"


@dataclass
class Para:
    text: str
    notes: list[str] = field(default_factory=list)


@dataclass
class Grid:
    rows: list[list[str]]


def expected(blocks) -> list[str]:
    """The paragraphs a reader returns: each paragraph, then its notes; a table as one line per row."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            out.append(block.text)
            out.extend(block.notes)
        else:
            out.extend("\t".join(row) for row in block.rows)
    return out


# --- HWPX ------------------------------------------------------------------------------------------

HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
HS = "http://www.hancom.co.kr/hwpml/2011/section"


def _hp_para(text: str, extra: str = "") -> str:
    return f'<hp:p id="0" paraPrIDRef="0"><hp:run charPrIDRef="0">{extra}<hp:t>{escape(text)}</hp:t></hp:run></hp:p>'


def _hp_sub(text: str) -> str:
    return f"<hp:subList>{_hp_para(text)}</hp:subList>"


def hwpx_section(blocks) -> str:
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><hs:sec xmlns:hs="{HS}" xmlns:hp="{HP}">',
        '<hp:p id="0"><hp:run><hp:secPr/><hp:ctrl>'
        f"<hp:header>{_hp_sub(HEADER_TEXT)}</hp:header><hp:footer>{_hp_sub(FOOTER_TEXT)}</hp:footer>"
        "</hp:ctrl></hp:run></hp:p>",
    ]
    for block in blocks:
        if isinstance(block, Para):
            notes = "".join(
                f'<hp:ctrl><hp:footNote number="1">{_hp_sub(n)}</hp:footNote></hp:ctrl>' for n in block.notes
            )
            half = len(block.text) // 2  # the note sits inside the sentence, as in a report
            parts.append(
                f'<hp:p id="1"><hp:run><hp:t>{escape(block.text[:half])}</hp:t></hp:run><hp:run>{notes}</hp:run>'
                f"<hp:run><hp:t>{escape(block.text[half:])}</hp:t></hp:run></hp:p>"
            )
        else:
            rows = "".join(
                "<hp:tr>" + "".join(f"<hp:tc>{_hp_sub(cell)}</hp:tc>" for cell in row) + "</hp:tr>"
                for row in block.rows
            )
            parts.append(f'<hp:p id="2"><hp:run><hp:tbl rowCnt="{len(block.rows)}">{rows}</hp:tbl></hp:run></hp:p>')
    parts.append("</hs:sec>")
    return "".join(parts)


def hwpx_bytes(blocks, sections: int = 1) -> bytes:
    """An HWPX archive whose body is split over `sections` section files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip")
        archive.writestr("version.xml", '<?xml version="1.0"?><hv:HCFVersion xmlns:hv="x"/>')
        size = -(-len(blocks) // sections)
        for index in range(sections):
            archive.writestr(f"Contents/section{index}.xml", hwpx_section(blocks[index * size : (index + 1) * size]))
    return out.getvalue()


# --- DOCX ------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w_para(text: str, inner: str = "") -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>{inner}</w:p>'


def docx_bytes(blocks) -> bytes:
    body, notes = [], []
    note_id = 1
    for block in blocks:
        if isinstance(block, Para):
            refs = ""
            for note in block.notes:
                refs += f'<w:r><w:footnoteReference w:id="{note_id}"/></w:r>'
                notes.append(f'<w:footnote w:id="{note_id}">{_w_para(note)}</w:footnote>')
                note_id += 1
            half = len(block.text) // 2
            body.append(
                f'<w:p><w:r><w:t xml:space="preserve">{escape(block.text[:half])}</w:t></w:r>{refs}'
                f'<w:r><w:t xml:space="preserve">{escape(block.text[half:])}</w:t></w:r>'
                "<w:del><w:r><w:delText>지운 글</w:delText></w:r></w:del></w:p>"
            )
        else:
            rows = "".join(
                "<w:tr>" + "".join(f"<w:tc>{_w_para(cell)}</w:tc>" for cell in row) + "</w:tr>" for row in block.rows
            )
            body.append(f"<w:tbl>{rows}</w:tbl>")
    document = (
        f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>'
    )
    footnotes = (
        f'<?xml version="1.0"?><w:footnotes xmlns:w="{W}">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        f"{''.join(notes)}</w:footnotes>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", document)
        archive.writestr("word/footnotes.xml", footnotes)
        archive.writestr("word/header1.xml", f'<w:hdr xmlns:w="{W}">{_w_para(HEADER_TEXT)}</w:hdr>')
    return out.getvalue()


# --- HWP 5.0 ---------------------------------------------------------------------------------------


def _record(tag: int, level: int, payload: bytes) -> bytes:
    if len(payload) < 0xFFF:
        return struct.pack("<I", tag | level << 10 | len(payload) << 20) + payload
    return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(payload)) + payload


def _para_text(text: str, extended: bool = False) -> bytes:
    """UTF-16LE text ending in a paragraph break; `extended`: a table/drawing control (8 units) in front."""
    control = struct.pack("<8H", 11, 0x6F73, 0x6720, 0, 0, 0, 0, 11) if extended else b""
    tab = struct.pack("<8H", 9, 0, 0, 0, 0, 0, 0, 9)
    body = text.replace("\t", "\x00TAB\x00")
    encoded = b"".join(tab if part == "TAB" else part.encode("utf-16-le") for part in body.split("\x00"))
    return control + encoded + struct.pack("<H", 13)


def _control(ident: bytes, level: int, text: str) -> bytes:
    """A control (footnote 'fn  ', header 'head') holding one paragraph."""
    return (
        _record(71, level, ident[::-1] + b"\x00" * 4)
        + _record(72, level + 1, b"\x01\x00" + b"\x00" * 6)
        + _record(66, level + 1, b"\x00" * 22)
        + _record(67, level + 2, _para_text(text))
    )


def hwp_section(blocks) -> bytes:
    out = [_record(66, 0, b"\x00" * 22), _record(67, 1, _para_text("")), _control(b"head", 1, HEADER_TEXT)]
    for block in blocks:
        if isinstance(block, Para):
            out.append(_record(66, 0, b"\x00" * 22))
            out.append(_record(67, 1, _para_text(block.text, extended=bool(block.notes))))
            out.extend(_control(b"fn  ", 1, note) for note in block.notes)
        else:  # a paragraph holding a table control; each cell a list header (row address) and a paragraph
            out.append(_record(66, 0, b"\x00" * 22) + _record(67, 1, _para_text("", extended=True)))
            out.append(_record(71, 1, b"tbl "[::-1] + b"\x00" * 4))
            for number, row in enumerate(block.rows):
                for column, cell in enumerate(row):
                    cell_header = struct.pack("<HHIHHHH", 1, 0, 0, column, number, 1, 1) + b"\x00" * 20
                    out.append(_record(72, 2, cell_header) + _record(66, 2, b"\x00" * 22))
                    out.append(_record(67, 3, _para_text(cell)))
    return b"".join(out)


def hwp_bytes(blocks, *, compressed: bool = True, flags: int = 0) -> bytes:
    header = b"HWP Document File".ljust(32, b"\x00") + bytes([0, 3, 0, 5])
    header += struct.pack("<I", flags | (1 if compressed else 0))
    header = header.ljust(256, b"\x00")
    section = hwp_section(blocks)
    if compressed:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        section = packer.compress(section) + packer.flush()
    return compound_file({"FileHeader": header, "BodyText/Section0": section})


FREE, END, FAT_MARK = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NONE = 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE compound file (CFB version 3) holding `streams` ('Storage/Name' paths, one level deep).
    Streams under 4096 bytes live in the mini stream, larger ones in sectors of their own."""
    mini = b""
    mini_fat: list[int] = []
    placed: dict[str, tuple[int, int]] = {}  # path -> (start, size); start in mini sectors for small streams
    big: list[tuple[str, bytes]] = []
    for path, data in streams.items():
        if len(data) < 4096:
            start, count = len(mini) // 64, max(1, -(-len(data) // 64))
            mini += data.ljust(count * 64, b"\x00")
            mini_fat += [start + i + 1 for i in range(count - 1)] + [END]
            placed[path] = (start, len(data))
        else:
            big.append((path, data))
    storages = sorted({path.split("/")[0] for path in streams if "/" in path})
    names = ["Root Entry", *storages, *streams]
    dir_sectors = -(-len(names) * 128 // 512)
    mini_fat_sectors = -(-len(mini_fat) * 4 // 512) if mini_fat else 0
    mini_sectors = -(-len(mini) // 512)
    big_sectors = [-(-len(data) // 512) for _, data in big]
    data_sectors = dir_sectors + mini_fat_sectors + mini_sectors + sum(big_sectors)
    fat_sectors = 1
    while fat_sectors * 128 < data_sectors + fat_sectors:
        fat_sectors += 1
    fat = [FAT_MARK] * fat_sectors

    def chain(count: int) -> int:
        start = len(fat)
        fat.extend([start + i + 1 for i in range(count - 1)] + [END])
        return start

    dir_start = chain(dir_sectors)
    mini_fat_start = chain(mini_fat_sectors) if mini_fat_sectors else END
    mini_start = chain(mini_sectors) if mini_sectors else END
    big_starts = {path: chain(count) for (path, _), count in zip(big, big_sectors)}
    fat += [FREE] * (fat_sectors * 128 - len(fat))

    entries: list[bytes] = []
    children: dict[str, list[int]] = {"": []}
    for index, name in enumerate(names[1:], 1):
        parent = "" if index <= len(storages) or "/" not in name else name.split("/")[0]
        children.setdefault(parent, []).append(index)
    for storage in storages:
        children.setdefault(storage, [])

    def siblings(ids: list[int]) -> dict[int, int]:
        ordered = sorted(ids, key=lambda i: (len(_leaf(names[i])), _leaf(names[i]).upper()))
        return {a: b for a, b in zip(ordered, ordered[1:])} | {"first": ordered[0] if ordered else NONE}  # type: ignore

    links = {parent: siblings(ids) for parent, ids in children.items()}
    for index, name in enumerate(names):
        if index == 0:
            kind, child, start, size = 5, links[""]["first"], mini_start, len(mini)
        elif index <= len(storages):
            kind, child, start, size = 1, links[name]["first"], 0, 0
        else:
            kind, child = 2, NONE
            start, size = (big_starts[name], len(streams[name])) if name in big_starts else placed[name]
        parent = "" if index <= len(storages) or "/" not in name else name.split("/")[0]
        right = links[parent].get(index, NONE) if index else NONE
        leaf = _leaf(name).encode("utf-16-le")
        entries.append(
            leaf.ljust(64, b"\x00")
            + struct.pack("<HBB", len(leaf) + 2, kind, 1)
            + struct.pack("<III", NONE, right, child)
            + b"\x00" * 36
            + struct.pack("<IQ", start, size)
        )
    directory = b"".join(entries).ljust(dir_sectors * 512, b"\x00")
    difat = list(range(fat_sectors)) + [FREE] * (109 - fat_sectors)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, fat_sectors, dir_start, 0, 4096, mini_fat_start, mini_fat_sectors, END, 0)
        + struct.pack("<109I", *difat)
    )
    body = (
        struct.pack(f"<{len(fat)}I", *fat)
        + directory
        + struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(mini_fat_sectors * 512, b"\xff")
        + mini.ljust(mini_sectors * 512, b"\x00")
        + b"".join(data.ljust(count * 512, b"\x00") for (_, data), count in zip(big, big_sectors))
    )
    return header + body


def _leaf(name: str) -> str:
    return name.split("/")[-1]
