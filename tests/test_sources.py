"""Reading inputs: encodings, directories, globs, stdin, tables, and what gets skipped and why."""

from __future__ import annotations

import io
import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcorpus.errors import KcorpusError, UsageError
from kcorpus.io.documents import display_name
from kcorpus.io.sources import (
    Document,
    Skipped,
    SourceError,
    SourceOptions,
    bundled_corpus_dir,
    decode_bytes,
    read_sources,
)

KOREAN = "서울시는 도시외교를 추진한다.\n대북제재 문제가 제기되었다.\n"


def read_all(paths, options=SourceOptions(), stdin=None):
    items = list(read_sources([str(p) for p in paths], options, stdin))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Skipped)]


@pytest.mark.parametrize(
    "data, expected",
    [
        (KOREAN.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + KOREAN.encode("utf-8"), "utf-8-sig"),
        (KOREAN.encode("utf-16"), "utf-16"),
        (KOREAN.encode("euc-kr"), "euc-kr"),
        ("똠방각하 햏 ".encode("cp949") + KOREAN.encode("cp949"), "cp949"),  # 똠, 햏 are outside EUC-KR
    ],
)
def test_decode_detects_encoding_and_keeps_text(data, expected):
    text, encoding = decode_bytes(data)
    assert encoding == expected
    assert text.endswith(KOREAN)
    assert "\ufeff" not in text


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"%PDF-1.7\n\x00\x01binary", "PDF file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"\x80\x81 not text \xc0\xc1\xff", "cannot decode"),
    ],
)
def test_decode_rejects_with_reason(data, reason):
    with pytest.raises(SourceError, match=reason):
        decode_bytes(data)


def test_explicit_encoding_overrides_detection():
    data = KOREAN.encode("cp949")
    assert decode_bytes(data, "cp949") == (KOREAN, "cp949")
    with pytest.raises(SourceError, match="not valid utf-8"):
        decode_bytes(data, "utf-8")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([None, "utf-8", "cp949", "utf-16"]))
def test_decode_never_raises_anything_but_source_error(data, encoding):
    try:
        text, name = decode_bytes(data, encoding)
    except SourceError as exc:
        assert exc.message and "\n" not in exc.message
    else:
        assert isinstance(text, str) and name


def test_directory_is_read_recursively_with_relative_ids_and_skips_reported(tmp_path):
    (tmp_path / "a.txt").write_text(KOREAN, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.txt").write_bytes(KOREAN.encode("cp949"))
    (tmp_path / "sub" / "empty.txt").write_bytes(b"")
    (tmp_path / "sub" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / ".hidden").write_text("숨김", encoding="utf-8")
    docs, skipped = read_all([tmp_path])
    assert [(d.id, d.encoding) for d in docs] == [("a.txt", "utf-8"), ("sub/b.txt", "euc-kr")]
    assert docs[1].text == KOREAN
    assert docs[1].meta["folder"] == "sub"
    assert [(s.id, s.reason.split(" (")[0]) for s in skipped] == [
        (".hidden", "hidden file, not read"),  # reported, never dropped silently
        ("sub/empty.txt", "empty file"),
        ("sub/image.png", "binary file"),
    ]


def test_glob_and_file_arguments(tmp_path):
    for name in ("x1.txt", "x2.txt", "y.txt"):
        (tmp_path / name).write_text(KOREAN, encoding="utf-8")
    docs, _ = read_all([tmp_path / "x*.txt"])
    assert [d.id for d in docs] == ["x1.txt", "x2.txt"]
    docs, _ = read_all([tmp_path / "y.txt"])
    assert [d.id for d in docs] == ["y.txt"]


def test_same_file_twice_is_read_once_and_reported(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(KOREAN, encoding="utf-8")
    docs, skipped = read_all([path, path])
    assert len(docs) == 1
    assert [s.reason for s in skipped] == ["listed twice; read once"]


def test_missing_path_and_empty_glob_are_usage_errors(tmp_path):
    with pytest.raises(UsageError, match="does not exist"):
        read_all([tmp_path / "nope.txt"])
    with pytest.raises(UsageError, match="no files match"):
        read_all([tmp_path / "*.nothing"])


def test_stdin_document():
    docs, _ = read_all(["-"], stdin=io.BytesIO(KOREAN.encode("cp949")))
    assert [(d.id, d.encoding, d.text) for d in docs] == [("stdin", "euc-kr", KOREAN)]


def test_stdin_given_twice_is_read_once_and_reported():
    docs, skipped = read_all(["-", "-"], stdin=io.BytesIO(KOREAN.encode("utf-8")))
    assert [d.text for d in docs] == [KOREAN]
    assert [(s.id, s.reason) for s in skipped] == [("stdin", "listed twice; read once")]


def test_csv_rows_become_documents_with_metadata(tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text("id,text,agency\nr1,서울시 도시외교,서울\nr2,,통일부\nr3,대북제재 결의,통일부\n", encoding="utf-8")
    docs, skipped = read_all([path], SourceOptions(id_column="id"))
    assert [(d.id, d.text, d.meta["agency"]) for d in docs] == [
        ("r1", "서울시 도시외교", "서울"),
        ("r3", "대북제재 결의", "통일부"),
    ]
    assert all(d.is_table_row for d in docs)
    assert [(s.id, s.reason) for s in skipped] == [("r2", "empty 'text' cell")]


def test_repeated_and_empty_ids_are_renamed_with_a_warning(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("id,text\na,반도체 수출\na,반도체 수입\n,빈 아이디\nb,협력\n", encoding="utf-8")
    docs, skipped = read_all([path], SourceOptions(id_column="id"))
    assert not skipped
    assert [d.id for d in docs] == ["a", "a~2", "dup.csv#4", "b"]
    assert [len(d.warnings) for d in docs] == [0, 1, 1, 0]
    assert "already called 'a'" in docs[1].warnings[0] and str(path) in docs[1].warnings[0]
    assert docs[2].warnings == ("empty 'id' cell: named by its line (fill the cell to name it)",)


def test_tsv_jsonl_and_xlsx_tables(tmp_path):
    from openpyxl import Workbook

    (tmp_path / "a.tsv").write_text("body\tyear\n도시외교 전략\t2020\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"body": "북중 협력", "year": 2024}, ensure_ascii=False) + "\n{broken\n", encoding="utf-8"
    )
    book = Workbook()
    book.active.append(["body", "year"])
    book.active.append(["화웨이 칩", 2020])
    book.save(tmp_path / "c.xlsx")
    docs, skipped = read_all([tmp_path], SourceOptions(text_column="body"))
    assert [(d.id, d.text, d.meta["year"]) for d in docs] == [
        ("a.tsv#2", "도시외교 전략", "2020"),
        ("b.jsonl#1", "북중 협력", "2024"),
        ("c.xlsx#2", "화웨이 칩", "2020"),
    ]
    assert [s.id for s in skipped] == ["b.jsonl#2"]
    assert skipped[0].reason.startswith("invalid JSON")


def test_missing_text_column_names_the_columns_and_the_flag(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("body,year\n도시외교,2020\n", encoding="utf-8")
    _, skipped = read_all([path])
    assert skipped[0].reason == "no column 'text' (columns: body, year): pass --text-column"


def test_bundled_corpus_is_found():
    names = sorted(p.name for p in bundled_corpus_dir().glob("*.txt"))
    assert names == [
        "kic-china-startup-weekly-195-2020.txt",
        "kiep-north-korea-external-relations-2024.txt",
        "seoul-city-diplomacy-covid19-2020.txt",
    ]


def test_source_error_is_a_kcorpus_error():
    assert issubclass(SourceError, KcorpusError)


# --- hostile and damaged inputs: reported, bounded, never dropped silently ------------------------------


def test_utf16_without_bom_gets_the_right_byte_order_hint():
    text = "북한 협력 2024 report 국회"
    for codec in ("utf-16-le", "utf-16-be"):
        with pytest.raises(SourceError, match=f"pass --encoding {codec}$"):
            decode_bytes(text.encode(codec))


def test_utf8_with_a_broken_byte_at_the_end_is_read_with_a_warning():
    from kcorpus.io.sources import decode_text

    data = KOREAN.encode("utf-8") + b"\xea\xb0"  # a syllable cut short
    text, encoding, warnings = decode_text(data)
    assert (text, encoding) == (KOREAN + "\ufffd", "utf-8")
    assert warnings == (f"invalid UTF-8 at byte offset {len(KOREAN.encode())} replaced with U+FFFD",)


def test_cp949_is_not_mistaken_for_damaged_utf8():
    from kcorpus.io.sources import decode_text

    assert decode_text("가".encode("cp949"))[:2] == ("가", "euc-kr")


def test_csv_with_an_unclosed_quote_reports_where_it_opened(tmp_path):
    (tmp_path / "a.csv").write_text('id,text\n1,"북한 협력"\n2,"열린 따옴표\n3,다음\n4,또\n', encoding="utf-8")
    docs, skipped = read_all([tmp_path / "a.csv"])
    assert [d.text for d in docs] == ["북한 협력"]
    assert [(s.id, s.reason) for s in skipped] == [
        (
            "a.csv#3",
            "a quoted field opened on line 3 never closes: lines 3–5 not read (1 row(s) before it read); "
            "close the quote and run again",
        )
    ]


def test_jsonl_numbers_and_xlsx_ids_stay_as_written(tmp_path):
    (tmp_path / "a.jsonl").write_text(
        '{"id": 007, "text": "북한"}\n{"id": 1.50, "text": "협력", "n": 1e400}\n', encoding="utf-8"
    )
    docs, _ = read_all([tmp_path / "a.jsonl"], SourceOptions(id_column="id"))
    # 007 is not valid JSON; 1.50 and 1e400 are kept as written, not as 1.5 and inf
    assert [(d.id, d.meta.get("n")) for d in docs] == [("1.50", "1e400")]


def test_xlsx_zip_bomb_is_refused_before_inflating(tmp_path):
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["text"])
    book.active.append(["북한"])
    book.save(tmp_path / "base.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "base.xlsx") as source,
        zipfile.ZipFile(tmp_path / "bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for info in source.infolist():
            bomb.writestr(info.filename, source.read(info.filename))
        bomb.writestr("xl/padding.xml", b" " * (40 * 1024 * 1024))  # 40 MB of spaces, ~40 KB compressed
    docs, skipped = read_all([tmp_path / "bomb.xlsx"])
    assert not docs
    assert skipped[0].reason.startswith("not a plausible .xlsx workbook") and "zip bomb" in skipped[0].reason


def test_xlsx_formula_without_a_saved_value_says_so(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["text"])
    book.active.append(['=CONCAT("북","한")'])
    book.active.append(["협력"])
    book.save(tmp_path / "f.xlsx")
    docs, skipped = read_all([tmp_path / "f.xlsx"])
    assert [d.text for d in docs] == ["협력"]
    assert skipped[0].id == "f.xlsx#2" and "formula with no saved value" in skipped[0].reason


def test_broken_xlsx_is_one_skip(tmp_path):
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    docs, skipped = read_all([tmp_path / "x.xlsx"])
    assert not docs and skipped[0].reason.startswith("not a readable .xlsx workbook")


def test_folder_entries_that_are_not_read_are_reported(tmp_path):
    import os

    (tmp_path / "a.txt").write_text(KOREAN, encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\x00")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config").write_text("x", encoding="utf-8")
    os.symlink(tmp_path / "gone.txt", tmp_path / "dangling.txt")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "loop")  # a link back up: a loop if followed
    docs, skipped = read_all([tmp_path])
    assert [d.id for d in docs] == ["a.txt"]
    assert [(s.id, s.reason) for s in skipped] == [
        (".DS_Store", "hidden file, not read"),
        (".git", "hidden folder, not read"),
        ("dangling.txt", "broken symbolic link"),
        ("sub/loop", "symbolic link to a folder, not followed"),
    ]


def test_recursive_glob_does_not_follow_a_symlink_loop(tmp_path):
    import os

    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text(KOREAN, encoding="utf-8")
    os.symlink(tmp_path / "d", tmp_path / "d" / "loop")
    docs, _ = read_all([str(tmp_path / "d" / "**" / "*.txt")])
    assert [d.id for d in docs] == ["a.txt"]


def test_undecodable_file_name_is_shown_escaped(tmp_path):
    import os

    name = os.fsdecode(b"\xff\xfe.txt")
    (tmp_path / name).write_text(KOREAN, encoding="utf-8")
    docs, _ = read_all([tmp_path])
    assert [d.id for d in docs] == ["\\xff\\xfe.txt"]
    assert docs[0].id.encode("utf-8")  # printable and writable in every format


def test_endless_stdin_and_long_lines_are_bounded():
    from kcorpus.io.sources import MB

    class Endless(io.RawIOBase):
        def readinto(self, buffer):
            buffer[:] = b"\x00" * len(buffer)
            return len(buffer)

    _, skipped = read_all(["-"], SourceOptions(max_doc_bytes=2 * MB), stdin=Endless())
    assert skipped[0].reason.startswith("standard input is larger than --max-doc-mb 2 MB")
    _, skipped = read_all(["-"], SourceOptions(max_line_chars=1000), stdin=io.BytesIO(("가" * 1001).encode()))
    assert skipped[0].reason == "line 1 has 1,001 characters, more than --max-line-chars 1,000 (not running text?)"


@given(st.text())
@settings(max_examples=500, deadline=None)
def test_display_name_escapes_control_characters_and_undecodable_bytes(text):
    """Names are printed on one line: what cannot be printed is escaped as Python writes it; the rest is
    given back as it is (the shortcut for printable names agrees with the full escaping)."""
    import re

    shown = display_name(text)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]", shown)
    if text.isprintable():
        assert shown == text
    full = os.fsencode(text).decode("utf-8", "backslashreplace") if _encodable(text) else None
    if full is not None and not re.search("[\x00-\x1f\x7f-\x9f\u2028\u2029]", full):
        assert shown == full


def _encodable(text: str) -> bool:
    try:
        os.fsencode(text)
        return True
    except UnicodeEncodeError:
        return False


def test_decomposed_hangul_is_read_as_the_same_words(cli, tmp_path):
    """A file saved on macOS holds Hangul as conjoining jamo (NFD): counted as it was, 반도체 was 2 of 4 and
    반도체는 a noun, and `concordance 반도체` found nothing."""
    import unicodedata

    text = "반도체 수출이 늘었다. 반도체는 중요하다.\n정부는 반도체를 지원한다. 반도체 산업.\n"
    (tmp_path / "nfc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "nfd.txt").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    both = [cli("freq", tmp_path / f"{name}.txt", "-f", "csv").stdout for name in ("nfc", "nfd")]
    assert both[0] == both[1] and "반도체,NN,4," in both[0]
    found = cli("concordance", "반도체", tmp_path / "nfd.txt", "-f", "csv")
    assert found.exit_code == 0 and found.stdout.count("\n") == 5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("한국어 반도체ABC豈更\uf900\u1100\u1161\u11a8\u3131.\n")))
def test_composed_hangul_is_nfc_of_hangul_and_leaves_everything_else(text):
    import unicodedata

    from kcorpus.io.documents import composed_hangul

    nfd = unicodedata.normalize("NFD", text.replace("\uf900", ""))
    assert composed_hangul(nfd) == unicodedata.normalize("NFC", nfd)
    assert "\uf900" in composed_hangul(text) or "\uf900" not in text  # a compatibility ideograph stays
    assert len(composed_hangul(text)) <= len(text)


def test_a_quoted_glob_reads_the_folders_it_matches_as_the_shell_would(tmp_path):
    """'drop/*' silently left out drop/sub/ (the shell's drop/* passes it as a folder, which is walked), and
    'drop/**' matched "no files"."""
    from kcorpus.io.sources import input_names

    (tmp_path / "sub" / "deep").mkdir(parents=True)
    for name in ("a.txt", "sub/b.txt", "sub/deep/c.txt", "sub/.hidden.txt"):
        (tmp_path / name).write_text("본문", encoding="utf-8")

    def listed(pattern: str) -> list[tuple[str, str]]:
        out = []
        for file, doc_id in input_names(str(tmp_path / pattern), several=False):
            out.append((doc_id, file.reason if hasattr(file, "reason") else ""))
        return out

    assert listed("*") == [
        ("a.txt", ""),
        ("sub/.hidden.txt", "hidden file, not read"),
        ("sub/b.txt", ""),
        ("sub/deep/c.txt", ""),
    ]
    assert listed("**") == listed("*")  # ** matches the folder itself and each below it: each file once
    assert [doc_id for doc_id, _ in listed("**/*.txt")] == ["a.txt", "sub/b.txt", "sub/deep/c.txt"]
