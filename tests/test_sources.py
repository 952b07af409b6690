"""Reading inputs: encodings, directories, globs, stdin, tables, and what gets skipped and why."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcorpus.errors import KcorpusError, UsageError
from kcorpus.sources import (
    Document,
    SourceError,
    SourceOptions,
    Skipped,
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
        ("똠방각하 햏 " .encode("cp949") + KOREAN.encode("cp949"), "cp949"),  # 똠, 햏 are outside EUC-KR
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
    assert [(d.id, d.encoding, d.text) for d in docs] == [("-", "euc-kr", KOREAN)]


def test_csv_rows_become_documents_with_metadata(tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text("id,text,agency\nr1,서울시 도시외교,서울\nr2,,통일부\nr3,대북제재 결의,통일부\n", encoding="utf-8")
    docs, skipped = read_all([path], SourceOptions(id_column="id"))
    assert [(d.id, d.text, d.meta["agency"]) for d in docs] == [("r1", "서울시 도시외교", "서울"), ("r3", "대북제재 결의", "통일부")]
    assert all(d.is_table_row for d in docs)
    assert [(s.id, s.reason) for s in skipped] == [("r2", "empty 'text' cell")]


def test_tsv_jsonl_and_xlsx_tables(tmp_path):
    from openpyxl import Workbook

    (tmp_path / "a.tsv").write_text("body\tyear\n도시외교 전략\t2020\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"body": "북중 협력", "year": 2024}, ensure_ascii=False) + "\n{broken\n", encoding="utf-8")
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
