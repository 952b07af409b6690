"""Behaviour of kcorpus.render.output as a user sees it: bytes on stdout and in files."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kcorpus.errors import KcorpusError, UsageError
from kcorpus.render.output import (
    OutputOptions,
    escape_formula_cells,
    resolve_format,
    write_lines,
    write_table,
    write_tables,
)

FORMULAS = [
    '=HYPERLINK("x")',
    "+1",
    "-x",
    "@SUM",
    "\tx",
    "\rx",
    " =1+1",
    "\u3000=1",
    "\u00a0@SUM",
    "＝SUM(A1)",
    "＋1",
    "－x",
    "＠SUM",
]  # after spaces; full-width


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def binary_stdout() -> io.TextIOWrapper:
    """A stdout look-alike with a .buffer, like sys.stdout."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8")


def written(stdout: io.TextIOWrapper) -> bytes:
    stdout.flush()
    return stdout.buffer.getvalue()


def render(df: pd.DataFrame, fmt: str, **options) -> bytes:
    stdout = binary_stdout()
    write_table(df, OutputOptions(format=fmt, **options), stdout)
    return written(stdout)


@pytest.fixture
def words() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "form": ["대북제재", "제재", "[1]"],
            "tag": ["NNG", "NNG", "SW"],
            "count": [12, 7, 1],
            "score": [0.5, np.nan, 1.25],
        }
    )


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch):
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


# ------------------------------------------------------------------- csv/tsv


def test_csv_exact_bytes(words):
    assert render(words, "csv") == ("form,tag,count,score\n대북제재,NNG,12,0.5\n제재,NNG,7,\n[1],SW,1,1.25\n").encode(
        "utf-8"
    )


def test_tsv_exact_bytes(words):
    assert render(words, "tsv") == (
        "form\ttag\tcount\tscore\n대북제재\tNNG\t12\t0.5\n제재\tNNG\t7\t\n[1]\tSW\t1\t1.25\n"
    ).encode("utf-8")


def test_auto_is_csv_when_piped(words):
    assert render(words, "auto") == render(words, "csv")


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("tsv", "\t")])
def test_tabs_and_line_breaks_inside_cells_do_not_break_rows(fmt, sep):
    df = pd.DataFrame({"text": ["a\tb", "c\nd", "e\rf", 'say "hi"', "plain"], "n": [1, 2, 3, 4, 5]})
    out = render(df, fmt, escape_formulas=False).decode("utf-8")
    back = pd.read_csv(io.StringIO(out), sep=sep)
    assert back["text"].tolist() == df["text"].tolist()
    assert back["n"].tolist() == [1, 2, 3, 4, 5]


def test_korean_round_trips_through_csv(tmp_path):
    sentences = ["북한의 대외관계는 변화하고 있다.", '한중 협력, 그리고 "인간 안보"']
    df = pd.DataFrame({"문장": sentences, "빈도": [3, 4]})
    path = tmp_path / "out.csv"
    write_table(df, OutputOptions(output=path))
    back = pd.read_csv(path)
    pd.testing.assert_frame_equal(back, df)


def test_floats_keep_full_precision_in_csv():
    df = pd.DataFrame({"x": [1 / 3, 1e-7, 1e20, 2.0]})
    assert render(df, "csv") == b"x\n0.3333333333333333\n1e-07\n1e+20\n2.0\n"


def test_zero_rows_still_write_the_header():
    empty = pd.DataFrame({"form": pd.Series([], dtype=str), "count": pd.Series([], dtype=int)})
    assert render(empty, "csv") == b"form,count\n"
    assert render(empty, "tsv") == b"form\tcount\n"
    assert json.loads(render(empty, "json")) == []
    assert render(empty, "jsonl") == b""


def test_writes_are_deterministic(words):
    for fmt in ("csv", "tsv", "json", "jsonl", "table", "text"):
        assert render(words, fmt) == render(words, fmt), fmt


# ----------------------------------------------------------------------- BOM


@pytest.mark.parametrize("fmt", ["csv", "tsv", "text"])
def test_bom_comes_first_on_binary_stdout(words, fmt):
    stdout = binary_stdout()
    write_table(words, OutputOptions(format=fmt, bom=True), stdout)
    out = written(stdout)
    assert out.startswith(b"\xef\xbb\xbf")
    assert out[3:] == render(words, fmt)


def test_bom_follows_text_already_on_stdout(words):
    stdout = binary_stdout()
    stdout.write("before\n")  # still in the text layer's buffer
    write_table(words, OutputOptions(format="csv", bom=True), stdout)
    assert written(stdout).startswith(b"before\n\xef\xbb\xbfform,")


def test_bom_on_text_only_stream_is_the_bom_character(words):
    stdout = io.StringIO()
    write_table(words, OutputOptions(format="csv", bom=True), stdout)
    assert stdout.getvalue().startswith("\ufeffform,tag")


def test_bom_in_file(tmp_path, words):
    path = tmp_path / "words.csv"
    write_table(words, OutputOptions(output=path, bom=True))
    assert path.read_bytes() == b"\xef\xbb\xbf" + render(words, "csv")


def test_no_bom_by_default(words):
    assert render(words, "csv").startswith(b"form,")


def test_json_never_gets_a_bom(words):
    assert render(words, "json", bom=True) == render(words, "json")


# ---------------------------------------------------------- formula escaping


def formula_frame() -> pd.DataFrame:
    return pd.DataFrame({"text": FORMULAS + ["-3", "ok"], "n": [-3, *range(1, len(FORMULAS) + 2)]})


@pytest.mark.parametrize("fmt, sep", [("csv", ","), ("tsv", "\t")])
def test_formulas_are_escaped_in_delimited_text(fmt, sep):
    out = render(formula_frame(), fmt).decode("utf-8")
    back = pd.read_csv(io.StringIO(out), sep=sep)
    assert back["text"].tolist() == ["'" + f for f in FORMULAS] + ["'-3", "ok"]
    assert back["n"].tolist() == [-3, *range(1, len(FORMULAS) + 2)]
    assert "\n'=HYPERLINK" in out or "\"'=HYPERLINK" in out
    assert out.splitlines()[1].endswith(f"{sep}-3")  # the number -3 is left alone


def test_formula_escaping_can_be_turned_off():
    out = render(formula_frame(), "csv", escape_formulas=False).decode("utf-8")
    back = pd.read_csv(io.StringIO(out))
    assert back["text"].tolist() == FORMULAS + ["-3", "ok"]


def test_formulas_are_not_escaped_in_json():
    records = json.loads(render(formula_frame(), "json"))
    assert [r["text"] for r in records] == FORMULAS + ["-3", "ok"]


def test_formula_headers_are_escaped():
    df = pd.DataFrame({"=total": [1], "word": ["x"]})
    assert render(df, "csv") == b"'=total,word\n1,x\n"


def test_escape_formula_cells_returns_a_copy():
    df = pd.DataFrame({"text": ["=1+1", "fine", None], "n": [-1.5, 2.0, 3.0], "-n": [1, 2, 3]})
    escaped = escape_formula_cells(df)
    assert list(escaped.columns) == ["text", "n", "'-n"]
    assert escaped["text"].tolist()[:2] == ["'=1+1", "fine"]
    assert pd.isna(escaped["text"].iloc[2])
    assert escaped["n"].tolist() == [-1.5, 2.0, 3.0]
    assert df["text"].tolist()[:2] == ["=1+1", "fine"]  # the input is untouched


def test_xlsx_escapes_text_and_keeps_numbers(tmp_path):
    path = tmp_path / "out.xlsx"
    df = formula_frame()
    df["score"] = [0.5, np.nan, *map(float, range(1, len(df) - 1))]
    write_table(df, OutputOptions(output=path))
    sheet = openpyxl.load_workbook(path).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("text", "n", "score")
    # XML turns a stored CR into LF on reading; the escape is what matters here
    expected = ["'" + f.replace("\r", "\n") for f in FORMULAS] + ["'-3", "ok"]
    assert [r[0] for r in rows[1:]] == expected
    assert rows[1][1] == -3 and isinstance(rows[1][1], int)
    assert rows[1][2] == 0.5 and rows[2][2] is None


def test_xlsx_without_escaping_stores_text_not_formulas(tmp_path):
    path = tmp_path / "out.xlsx"
    write_table(formula_frame(), OutputOptions(output=path, escape_formulas=False))
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == '=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"


def test_xlsx_to_piped_stdout_writes_a_workbook(words):
    stdout = binary_stdout()
    write_table(words, OutputOptions(format="xlsx"), stdout)
    sheet = openpyxl.load_workbook(io.BytesIO(written(stdout))).active
    assert [c.value for c in sheet[2]] == ["대북제재", "NNG", 12, 0.5]


def test_xlsx_to_a_terminal_is_refused(words):
    with pytest.raises(UsageError, match="use -o FILE.xlsx") as error:
        write_table(words, OutputOptions(format="xlsx"), FakeTerminal())
    assert error.value.exit_code == 2


# --------------------------------------------------------------- json/jsonl


def test_json_round_trips_records(words):
    out = render(words, "json").decode("utf-8")
    assert "대북제재" in out  # not \uXXXX-escaped
    records = json.loads(out)
    assert records == [
        {"form": "대북제재", "tag": "NNG", "count": 12, "score": 0.5},
        {"form": "제재", "tag": "NNG", "count": 7, "score": None},
        {"form": "[1]", "tag": "SW", "count": 1, "score": 1.25},
    ]
    assert list(records[0]) == ["form", "tag", "count", "score"]
    assert isinstance(records[0]["count"], int)


def test_jsonl_is_one_object_per_line(words):
    lines = render(words, "jsonl").decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(render(words, "json"))


def test_json_converts_numpy_values_in_object_columns():
    values = [np.int64(3), np.float64(0.25), np.nan, float("inf")]
    df = pd.DataFrame({"v": pd.Series(values, dtype=object)})
    assert json.loads(render(df, "json")) == [{"v": 3}, {"v": 0.25}, {"v": None}, {"v": None}]


# --------------------------------------------------------------------- table


def test_table_shows_brackets_literally(words):
    df = pd.DataFrame({"text": ["[bold]대북제재[/bold]", "[1]", ":smile:"]})
    out = render(df, "table", title="[red]제목[/red]").decode("utf-8")
    assert "[bold]대북제재[/bold]" in out
    assert "[1]" in out
    assert ":smile:" in out
    assert "[red]제목[/red]" in out


def test_table_right_aligns_numbers_and_rounds_floats():
    df = pd.DataFrame({"word": ["가", "나"], "score": [0.123456789, 12.5], "p": [1e-9, 0.5]})
    lines = render(df, "table").decode("utf-8").splitlines()
    row = next(line for line in lines if "가" in line)
    assert "0.1235 │" in row  # right-aligned: number touches the border padding
    assert "1.000e-09" in row
    assert "0.123456789" not in row


def test_table_is_plain_text_when_piped(words):
    out = render(words, "table")
    assert b"\x1b[" not in out
    assert max(len(line) for line in out.decode("utf-8").splitlines()) <= 200


def test_table_to_a_terminal_is_coloured_unless_no_color(words, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    coloured = FakeTerminal()
    write_table(words, OutputOptions(), coloured)
    assert "\x1b[" in coloured.getvalue()  # auto on a terminal = styled table

    monkeypatch.setenv("NO_COLOR", "1")
    plain = FakeTerminal()
    write_table(words, OutputOptions(), plain)
    assert "\x1b[" not in plain.getvalue()
    assert "대북제재" in plain.getvalue()


def test_no_color_option_turns_styling_off(words, monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    stdout = FakeTerminal()
    write_table(words, OutputOptions(no_color=True), stdout)
    assert "\x1b[" not in stdout.getvalue()


def test_table_aligns_korean_wide_characters():
    df = pd.DataFrame({"form": ["대북제재", "ab"], "n": [1, 2]})
    lines = render(df, "table").decode("utf-8").splitlines()
    from rich.cells import cell_len

    assert len({cell_len(line) for line in lines if line.strip()}) == 1


# ---------------------------------------------------------------------- text


def test_text_format_joins_values_with_tabs_without_header(words):
    expected = "대북제재\tNNG\t12\t0.5\n제재\tNNG\t7\t\n[1]\tSW\t1\t1.25\n"
    assert render(words, "text") == expected.encode("utf-8")


def test_write_lines_writes_one_line_per_item(tmp_path):
    stdout = binary_stdout()
    write_lines(["첫 줄", "둘째 줄\n", "=not escaped"], OutputOptions(), stdout)
    assert written(stdout) == "첫 줄\n둘째 줄\n=not escaped\n".encode("utf-8")

    path = tmp_path / "clean.txt"
    write_lines(iter(["가", "나"]), OutputOptions(output=path, bom=True))
    assert path.read_bytes() == "\ufeff가\n나\n".encode("utf-8")


def test_write_lines_refuses_table_formats():
    with pytest.raises(UsageError, match="--format text"):
        write_lines(["x"], OutputOptions(format="csv"), io.StringIO())


# ------------------------------------------------------------ format choice


@pytest.mark.parametrize(
    "name, fmt",
    [
        ("a.csv", "csv"),
        ("a.tsv", "tsv"),
        ("a.json", "json"),
        ("a.jsonl", "jsonl"),
        ("a.xlsx", "xlsx"),
        ("a.txt", "text"),
        ("A.TSV", "tsv"),
    ],
)
def test_format_from_suffix(name, fmt):
    assert resolve_format(OutputOptions(output=Path(name)), io.StringIO()) == fmt


def test_unknown_suffix_is_a_usage_error():
    with pytest.raises(UsageError) as error:
        resolve_format(OutputOptions(output=Path("out.foo")), io.StringIO())
    assert error.value.exit_code == 2
    assert ".foo" in error.value.message and "--format" in error.value.message


def test_explicit_format_beats_suffix(tmp_path, words):
    path = tmp_path / "out.txt"
    write_table(words, OutputOptions(format="csv", output=path))
    assert path.read_bytes() == render(words, "csv")


def test_suffix_picks_the_writer(tmp_path, words):
    path = tmp_path / "out.tsv"
    write_table(words, OutputOptions(output=path))
    assert path.read_bytes() == render(words, "tsv")


def test_auto_is_table_on_a_terminal():
    assert resolve_format(OutputOptions(), FakeTerminal()) == "table"
    assert resolve_format(OutputOptions(), io.StringIO()) == "csv"


def test_unknown_format_is_a_usage_error():
    with pytest.raises(UsageError, match="unknown format 'xml'"):
        resolve_format(OutputOptions(format="xml"), io.StringIO())


def test_missing_directory_is_reported(tmp_path, words):
    path = tmp_path / "nowhere" / "out.csv"
    with pytest.raises(KcorpusError) as error:
        write_table(words, OutputOptions(output=path))
    assert error.value.exit_code == 2  # a usage error, found before any document is read
    assert error.value.message == f"cannot write {path}: directory {path.parent} does not exist"


def test_directory_as_output_is_reported(tmp_path, words):
    target = tmp_path / "out.csv"
    target.mkdir()
    with pytest.raises(KcorpusError, match="cannot write"):
        write_table(words, OutputOptions(output=target))


# ------------------------------------------------------------------ streaming


def chunks(df: pd.DataFrame, size: int):
    for start in range(0, len(df), size):
        yield df.iloc[start : start + size]


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "text", "table"])
def test_streamed_chunks_equal_one_table(words, fmt):
    stdout = binary_stdout()
    write_tables(chunks(words, 2), OutputOptions(format=fmt), stdout)
    assert written(stdout) == render(words, fmt)


def test_streamed_csv_has_one_header(words):
    stdout = binary_stdout()
    write_tables(chunks(words, 1), OutputOptions(format="csv"), stdout)
    assert written(stdout).decode("utf-8").count("form,tag") == 1


def test_streamed_xlsx_holds_every_row(tmp_path, words):
    path = tmp_path / "out.xlsx"
    write_tables(chunks(words, 1), OutputOptions(output=path))
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows == [
        ("form", "tag", "count", "score"),
        ("대북제재", "NNG", 12, 0.5),
        ("제재", "NNG", 7, None),
        ("[1]", "SW", 1, 1.25),
    ]


def test_streaming_is_lazy_and_batched(monkeypatch):
    import kcorpus.render.rows as rows

    monkeypatch.setattr(rows, "_BATCH_ROWS", 2)
    df = pd.DataFrame({"i": range(5)})
    stdout = binary_stdout()
    write_tables(iter([df, df]), OutputOptions(format="csv"), stdout)
    assert written(stdout) == b"i\n0\n1\n2\n3\n4\n0\n1\n2\n3\n4\n"


def test_chunks_with_other_columns_are_rejected():
    frames = [pd.DataFrame({"a": [1]}), pd.DataFrame({"b": [2]})]
    with pytest.raises(ValueError, match="columns"):
        write_tables(frames, OutputOptions(format="csv"), io.StringIO())


def test_xlsx_refuses_more_rows_than_excel_holds(tmp_path, monkeypatch):
    import kcorpus.render.xlsx as xlsx

    monkeypatch.setattr(xlsx, "_XLSX_MAX_ROWS", 3)  # header + 2 rows
    write_table(pd.DataFrame({"i": [1, 2]}), OutputOptions(output=tmp_path / "ok.xlsx"))
    with pytest.raises(KcorpusError, match="too many rows for xlsx"):
        write_table(pd.DataFrame({"i": [1, 2, 3]}), OutputOptions(output=tmp_path / "big.xlsx"))


def test_json_values_of_every_common_dtype():
    df = pd.DataFrame(
        {
            "flag": [True, False],
            "count": pd.array([3, None], dtype="Int64"),
            "ratio": [float("-inf"), 1 / 3],
            "when": [pd.Timestamp("2024-03-01"), pd.NaT],
            "tag": pd.Categorical(["NNG", "VV"]),
            "text": ['따옴표 "q" 와 \\ 역슬래시', "줄\n바꿈"],
        }
    )
    lines = render(df, "jsonl").decode("utf-8").splitlines()
    assert [json.loads(line) for line in lines] == [
        {
            "flag": True,
            "count": 3,
            "ratio": None,
            "when": "2024-03-01T00:00:00",
            "tag": "NNG",
            "text": '따옴표 "q" 와 \\ 역슬래시',
        },
        {"flag": False, "count": None, "ratio": 1 / 3, "when": None, "tag": "VV", "text": "줄\n바꿈"},
    ]
    assert lines[0].startswith('{"flag": true, "count": 3, "ratio": null, ')


def test_xlsx_bytes_are_identical_across_runs(tmp_path):
    import time

    from openpyxl import load_workbook

    frame = pd.DataFrame({"term": ["도시외교", "=x"], "count": [3, 1]})
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_table(frame, OutputOptions(output=first))
    time.sleep(1.1)  # the zip format stores times to 2 s; openpyxl stamps the save time
    write_table(frame, OutputOptions(output=second))
    assert first.read_bytes() == second.read_bytes()
    rows = list(load_workbook(second).active.iter_rows(values_only=True))
    assert rows == [("term", "count"), ("도시외교", 3), ("'=x", 1)]


def test_text_that_only_mentions_a_sign_is_not_escaped():
    df = pd.DataFrame({"text": ["a=b", "북한 +1", "1-2", " text", "ｘ＝1"]})
    assert escape_formula_cells(df)["text"].tolist() == ["a=b", "북한 +1", "1-2", " text", "ｘ＝1"]


# ------------------------------------------------------------- -o is atomic


def test_a_failed_write_keeps_the_older_file_whole(tmp_path, words):
    path = tmp_path / "out.csv"
    path.write_text("older,results\n", encoding="utf-8")

    def failing_frames():
        yield words
        raise KcorpusError("a failure halfway through")

    with pytest.raises(KcorpusError):
        write_tables(failing_frames(), OutputOptions(output=path))
    assert path.read_text(encoding="utf-8") == "older,results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]  # no temporary file left
    write_table(words, OutputOptions(output=path))
    assert path.read_text(encoding="utf-8").startswith("form,tag,count,score\n")


def test_disk_full_on_stdout_is_one_error():
    class Full(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            raise OSError(28, "No space left on device")

    stdout = io.TextIOWrapper(io.BufferedWriter(Full()), encoding="utf-8")
    with pytest.raises(KcorpusError, match="^no space left writing standard output"):
        write_table(pd.DataFrame({"a": ["x" * 100_000]}), OutputOptions(format="csv"), stdout)
