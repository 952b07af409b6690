"""HWPX, DOCX and HWP 5.0 read back paragraph for paragraph; hostile and misnamed files give one-line skips."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcorpus.io import readers
from kcorpus.io.documents import Document, SourceError
from kcorpus.io.readers import common, hwp, read_bytes
from kcorpus.io.sources import Skipped, read_sources
from kcorpus.pipeline.corpus import CorpusOptions, Pipeline, clean_document
from office_files import FOOTER_TEXT, HEADER_TEXT, Grid, Para, docx_bytes, expected, hwp_bytes, hwpx_bytes

# A genre the readers were not written against: minutes of a village council, with a budget table.
BLOCKS = [
    Para(
        "2024년 마을 운영위원회는 3월 정례회의에서 공동 텃밭의 관리 규칙을 새로 정하였다.",
        ["1) 공동 텃밭은 마을회관 뒤편의 옛 초등학교 부지를 말한다."],
    ),
    Para("위원들은 물 사용 시간을 오전 6시부터 9시까지로 제한하자는 안에 대해 오래 논의하였다."),
    Grid([["항목", "2023년", "2024년"], ["종자 구입", "120,000", "135,000"], ["농기구 수리", "80,000", "—"]]),
    Para(
        "표결 결과 찬성 9명, 반대 2명으로 원안이 가결되었고, 규칙은 4월 1일부터 시행된다.",
        ["2) 기권한 위원은 없었다.", "3) 시행일은 게시판에 공고한다."],
    ),
    Para("다음 회의는 5월 둘째 주 목요일 저녁 7시에 열린다."),
]
BUILDERS = {"hwpx": hwpx_bytes, "docx": docx_bytes, "hwp": hwp_bytes}


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_office_formats_read_back_paragraph_for_paragraph(kind):
    read = read_bytes(kind, BUILDERS[kind](BLOCKS))
    assert read.text.split("\n\n") == expected(BLOCKS)
    assert read.layout == "paragraphs" and read.positions is None and read.reader == f"{kind}/1"
    assert HEADER_TEXT not in read.text and FOOTER_TEXT not in read.text and "지운 글" not in read.text


def test_hwpx_sections_are_read_in_number_order():
    blocks = [Para(f"{n}번째 문단입니다.") for n in range(1, 13)]
    assert read_bytes("hwpx", hwpx_bytes(blocks, sections=11)).text.split("\n\n") == expected(blocks)


def test_hwp_uncompressed_body_and_inline_controls():
    blocks = [Para("탭\t앞뒤의 글자", ["각주 본문"]), Para("마지막 문단")]
    assert read_bytes("hwp", hwp_bytes(blocks, compressed=False)).text.split("\n\n") == expected(blocks)


def test_hwp_paragraph_text_removes_control_characters():
    extended = struct.pack("<8H", 2, 0x6364, 0x6573, 0, 0, 0, 0, 2)  # a section definition control: 8 units
    payload = extended + "가\u0018나\u001e다".encode("utf-16-le") + struct.pack("<H", 13)
    assert hwp.paragraph_text(payload) == "가-나 다"


paragraph_text = st.text(
    alphabet=st.characters(whitelist_categories=("Lo", "Lu", "Ll", "Nd", "Po", "Zs")), min_size=1, max_size=40
).filter(lambda text: text.strip() == text and text.strip())


@settings(max_examples=40, deadline=None)
@given(st.lists(paragraph_text, min_size=1, max_size=6), st.sampled_from(sorted(BUILDERS)))
def test_any_paragraphs_survive_the_round_trip(texts, kind):
    blocks = [Para(" ".join(text.split())) for text in texts]
    assert read_bytes(kind, BUILDERS[kind](blocks)).text.split("\n\n") == expected(blocks)


# --- hostile and misnamed files -----------------------------------------------------------------

BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    b"<hs:sec>&lol2;</hs:sec>"
)
EXTERNAL = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><hs:sec>&e;</hs:sec>'


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _skip(tmp_path, name: str, data: bytes) -> str:
    """The one skip reason read_sources gives for a file with these bytes."""
    path = tmp_path / name
    path.write_bytes(data)
    (item,) = read_sources([str(path)])
    assert isinstance(item, Skipped), item
    assert "\n" not in item.reason
    return item.reason


@pytest.mark.parametrize(
    "name, data, reason",
    [
        ("bomb.hwpx", _zip({"Contents/section0.xml": BOMB}), "declares a DTD or entities"),
        ("entity.hwpx", _zip({"Contents/section0.xml": EXTERNAL}), "declares a DTD or entities"),
        ("broken.hwpx", _zip({"Contents/section0.xml": b"<hs:sec><hp:p>"}), "not well-formed XML"),
        ("other.hwpx", _zip({"readme.txt": b"hello"}), "no Contents/section"),
        ("half.hwpx", hwpx_bytes(BLOCKS)[:300], "damaged or truncated"),
        ("half.docx", docx_bytes(BLOCKS)[:-200], "damaged or truncated"),
        ("nodoc.docx", _zip({"word/other.xml": b"<a/>"}), "no word/document.xml"),
        ("bomb.docx", _zip({"word/document.xml": BOMB}), "declares a DTD or entities"),
        ("page.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "is HTML"),
        ("empty.pdf", b"", "it is empty"),
        ("cut.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "not a readable PDF"),
        ("zip.hwp", _zip({"a": b"b"}), "named .hwp but is not a HWP file"),
        ("old.hwp", b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05", "HWP 3.0"),
        ("half.hwp", hwp_bytes(BLOCKS)[:700], "not a readable HWP"),
        ("locked.hwp", hwp_bytes(BLOCKS, flags=0x2), "password-protected HWP"),
        ("dist.hwp", hwp_bytes(BLOCKS, flags=0x4), "distribution-protected HWP"),
        ("blank.docx", docx_bytes([]), "no text in this DOCX file"),
    ],
)
def test_hostile_and_misnamed_files_are_skipped_with_one_line(tmp_path, name, data, reason):
    assert reason in _skip(tmp_path, name, data)


def test_zip_bombs_stop_at_the_limit(tmp_path, monkeypatch):
    zeros = _zip({"Contents/section0.xml": b"<a>" + b"0" * 3_000_000 + b"</a>"})
    assert len(zeros) < 20_000
    monkeypatch.setattr(common, "MAX_MEMBER_BYTES", 1_000_000)
    assert "inflates to more than" in _skip(tmp_path, "member.hwpx", zeros)
    monkeypatch.setattr(common, "MAX_TOTAL_BYTES", 2_000_000)
    assert "(a zip bomb?)" in _skip(tmp_path, "total.hwpx", zeros)


def test_a_pdf_named_txt_is_read_as_a_pdf_and_text_named_pdf_is_not(tmp_path):
    assert readers.format_of(".txt", b"%PDF-1.4\n") == "pdf"
    assert readers.format_of(".txt", b"plain text") is None
    with pytest.raises(SourceError, match="named .pdf but is not a PDF file"):
        readers.format_of(".pdf", "그냥 글".encode())


def test_read_sources_gives_office_documents_their_layout(tmp_path):
    (tmp_path / "minutes.hwpx").write_bytes(hwpx_bytes(BLOCKS))
    (tmp_path / "minutes.docx").write_bytes(docx_bytes(BLOCKS))
    (tmp_path / "minutes.hwp").write_bytes(hwp_bytes(BLOCKS))
    docs = list(read_sources([str(tmp_path)]))
    assert [(d.id, d.encoding, d.layout) for d in docs] == [
        ("minutes.docx", "docx", "paragraphs"),
        ("minutes.hwp", "hwp", "paragraphs"),
        ("minutes.hwpx", "hwpx", "paragraphs"),
    ]
    cleaned = clean_document(docs[0], True)  # paragraphs as read; whitespace (the tab between cells) normalised
    assert cleaned.paragraph_texts() == [" ".join(p.split()) for p in expected(BLOCKS)]


def test_the_cache_key_names_the_reader():
    pipeline = Pipeline(CorpusOptions(use_cache=False))
    text = "같은 글자"
    keys = {
        pipeline.key(Document("a", text, "utf-8", "a")),
        pipeline.key(Document("a", text, "hwpx", "a", layout="paragraphs", reader="hwpx/1")),
        pipeline.key(Document("a", text, "hwpx", "a", layout="paragraphs", reader="hwpx/2")),
        pipeline.key(Document("a", text, "pdf", "a", layout="wrapped", reader="pdf/1")),
    }
    assert len(keys) == 4


def test_readers_are_not_imported_by_the_cli_or_for_text():
    code = (
        "import sys, kcorpus.cli, kcorpus.io.sources as s; list(s.read_sources([sys.argv[1]])); "
        "print(sorted(m for m in ('pypdfium2', 'olefile', 'defusedxml', 'kcorpus.io.readers.pdf') if m in sys.modules))"
    )
    from conftest import SEOUL

    result = subprocess.run([sys.executable, "-c", code, str(SEOUL)], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


MAGIC = {".pdf": b"%PDF-1.7\n", ".hwpx": b"PK\x03\x04", ".docx": b"PK\x03\x04", ".hwp": readers.OLE_MAGIC}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(sorted(MAGIC)), st.binary(max_size=3000))
def test_damaged_files_are_skipped_never_a_bug(tmp_path_factory, suffix, tail):
    path = tmp_path_factory.mktemp("fuzz") / f"report{suffix}"
    path.write_bytes(MAGIC[suffix] + tail)
    (item,) = read_sources([str(path)])
    assert isinstance(item, (Document, Skipped))
    if isinstance(item, Skipped):
        assert "a bug in kcorpus" not in item.reason and "\n" not in item.reason


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["Contents/section0.xml", "word/document.xml"]))
def test_any_xml_part_is_read_or_skipped_with_a_reason(text, member):
    data = _zip({member: text.encode("utf-8", "surrogatepass")})
    kind = "hwpx" if member.startswith("Contents") else "docx"
    try:
        read_bytes(kind, data)
    except SourceError as exc:
        assert "\n" not in exc.message


@pytest.mark.parametrize(
    "name, head, what",
    [
        (
            "minutes.odt",
            b"PK\x03\x04" + b"\0" * 26 + b"mimetypeapplication/vnd.oasis.opendocument.text",
            "OpenDocument",
        ),
        ("minutes.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "old Office file"),
    ],
)
def test_other_office_files_are_skipped_with_what_to_convert_them_to(tmp_path, name, head, what):
    (tmp_path / name).write_bytes(head + b"\0" * 200)
    (skipped,) = read_sources([str(tmp_path / name)])
    assert isinstance(skipped, Skipped) and what in skipped.reason and "save it as PDF, DOCX or HWPX" in skipped.reason


@pytest.mark.parametrize("made", ["docx", "hwpx", "hwp"])
@pytest.mark.parametrize("named", [".txt", ".pdf", ".hwpx", ".docx", ".hwp", ""])
def test_an_office_file_is_read_as_what_it_holds_whatever_its_name(made, named):
    """A DOCX named report.txt was skipped as "a zip archive ... save it as PDF, DOCX or HWPX", and one named
    .pdf as "another kind of office file": the container's directory says which it is."""
    data = {"docx": docx_bytes, "hwpx": hwpx_bytes, "hwp": hwp_bytes}[made](BLOCKS)
    assert readers.format_of(named, data) == made


def test_other_zip_and_ole_files_keep_their_suffix_reasons():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert readers.format_of(".txt", buffer.getvalue()) is None  # read as text: skipped as "a zip archive"
    with pytest.raises(SourceError, match="named .docx but is not a DOCX file"):
        readers.format_of(".docx", "그냥 글".encode())
    assert readers.format_of(".hwpx", b"PK\x03\x04 cut short") == "hwpx"  # its reader says it is damaged
