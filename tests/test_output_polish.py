"""Output that reads well (issue 16, item 7): concordance fitted to an 80-column terminal, a note for
every -o FILE, xlsx with a frozen header and fitted column widths."""

from __future__ import annotations

import io
import os
import time

import openpyxl
import pandas as pd
import pytest
from rich.cells import cell_len

from kcorpus.render.output import OutputOptions, write_lines, write_table
from kcorpus.render.terminal import fitted_concordance, shortened_ids

from conftest import SEOUL

WIDTH = 80
CONTEXT_BEFORE = 10  # cells of context on each side the table gave at 80 columns before (doc took 32-35)


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def corpus(shared_cache):  # module-scoped: runs before the autouse cache_env, so name the test cache
    import kcorpus as kc

    return kc.read_corpus(cache_dir=shared_cache)


def terminal_table(lines: pd.DataFrame, monkeypatch) -> list[str]:
    """The concordance as the command shows it on an 80-column terminal."""
    monkeypatch.setenv("COLUMNS", str(WIDTH))
    monkeypatch.setenv("NO_COLOR", "1")
    stream = FakeTerminal()
    options = OutputOptions(format="table", right_aligned=("left",), emphasised=("match",), framed=False)
    write_table(fitted_concordance(lines, WIDTH), options, stream)
    return stream.getvalue().splitlines()


# --- concordance on an 80-column terminal -------------------------------------------------------------


@pytest.mark.parametrize(
    "query, twice",
    [("인간안보", True), ("협력", True), ("강화하다", False)],  # 강화했다고: a 10-cell match leaves 19 a side
)
def test_concordance_fits_80_columns_with_twice_the_context(corpus, query, twice, monkeypatch):
    import kcorpus as kc

    lines = kc.concordance(corpus, query, limit=20)
    shown = terminal_table(lines, monkeypatch)
    assert max(cell_len(row) for row in shown) <= WIDTH
    assert len(shown) == 2 + len(lines)  # header, rule, one line per hit: nothing wraps
    fitted = fitted_concordance(lines, WIDTH)
    for side in ("left", "right"):
        assert max(cell_len(text) for text in fitted[side]) >= (2 if twice else 1.9) * CONTEXT_BEFORE
    assert max(cell_len(doc) for doc in fitted["doc"]) <= WIDTH // 4
    assert fitted["line"].tolist() == lines["line"].tolist() and fitted["match"].tolist() == lines["match"].tolist()


def test_fitted_contexts_keep_the_words_nearest_the_hit(corpus):
    import kcorpus as kc

    lines = kc.concordance(corpus, "인간안보", limit=5)
    fitted = fitted_concordance(lines, WIDTH)
    for full, cut in zip(lines.itertuples(), fitted.itertuples()):
        assert full.left.endswith(cut.left) and full.right.startswith(cut.right)
        assert cut.doc == "seoul-c…2020.txt"


def test_a_wide_terminal_keeps_everything(corpus):
    import kcorpus as kc

    lines = kc.concordance(corpus, "인간안보", limit=5, width=16)
    pd.testing.assert_frame_equal(fitted_concordance(lines, 300), lines)
    pd.testing.assert_frame_equal(fitted_concordance(lines, None), lines)


def test_shortened_ids_keep_the_start_and_the_file_name_end():
    ids = ["seoul-city-diplomacy-covid19-2020.txt", "a.txt", "서울시-도시외교-코로나19-보고서-2020.txt"]
    short = shortened_ids(ids, 16)
    assert short[0] == "seoul-c…2020.txt" and short[1] == "a.txt"
    assert short[2].startswith("서울시") and short[2].endswith("2020.txt")
    assert cell_len(short[2]) <= 16  # a Hangul syllable takes two cells
    assert shortened_ids(ids, 40) == ids


def test_shortened_ids_never_make_two_documents_look_alike():
    ids = [f"reports/{year}/seoul-city-diplomacy-covid19.txt" for year in (2020, 2021)] * 2
    short = shortened_ids(ids, 16)
    assert short[0] != short[1] and short[:2] == short[2:]
    assert all("…" in s and s.startswith("reports/202") for s in short)


def test_concordance_command_on_a_terminal(cli, monkeypatch):
    import shutil

    import kcorpus.render.output as output

    monkeypatch.setattr(output, "writes_to_terminal", lambda options, stdout: True)
    monkeypatch.setattr(shutil, "get_terminal_size", lambda *args: os.terminal_size((WIDTH, 24)))
    monkeypatch.setenv("NO_COLOR", "1")
    result = cli("concordance", "인간안보", SEOUL, "--format", "table", "--quiet")
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()
    assert len(rows) == 2 + 18 and max(cell_len(row) for row in rows) <= WIDTH
    assert all(row.startswith("seoul-c…2020.txt │") for row in rows[2:])


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_other_formats_keep_full_ids_and_contexts(cli, fmt, monkeypatch):
    import kcorpus.render.output as output

    monkeypatch.setattr(output, "writes_to_terminal", lambda options, stdout: True)  # even on a terminal
    result = cli("concordance", "인간안보", SEOUL, "--format", fmt, "--quiet", "--width", "60")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count(SEOUL.name) == 18 and "…" not in result.stdout


def test_xlsx_keeps_full_ids(cli, tmp_path):
    path = tmp_path / "lines.xlsx"
    assert cli("concordance", "인간안보", SEOUL, "-o", path, "--quiet").exit_code == 0
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {SEOUL.name}


# --- "wrote FILE (N rows)" ------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["xlsx", "csv", "json"])
def test_o_file_says_what_it_wrote(cli, tmp_path, suffix):
    path = tmp_path / f"lines.{suffix}"
    result = cli("concordance", "인간안보", SEOUL, "-o", path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"kcorpus: wrote {path} (18 rows)" in result.stderr.splitlines()
    quiet = cli("concordance", "인간안보", SEOUL, "-o", path, "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_every_command_with_o_says_it(cli, tmp_path):
    path = tmp_path / "freq.csv"
    result = cli("freq", SEOUL, "--top", "1", "-o", path)
    assert result.stderr.splitlines()[-1] == f"kcorpus: wrote {path} (1 row)"
    text = tmp_path / "clean.txt"
    result = cli("clean", SEOUL, "-o", text)
    lines = len(text.read_text(encoding="utf-8").splitlines())
    assert result.stderr.splitlines()[-1] == f"kcorpus: wrote {text} ({lines:,} lines)"


def test_stdout_and_the_library_say_nothing(cli, tmp_path, capsys):
    import kcorpus as kc

    result = cli("freq", SEOUL, "--top", "1", "--format", "csv")
    assert "wrote" not in result.stderr
    kc.write(pd.DataFrame({"a": [1]}), tmp_path / "a.csv")
    assert capsys.readouterr().err == ""


def test_note_counts_streamed_rows_and_lines(tmp_path):
    notes: list[str] = []
    frame = pd.DataFrame({"a": range(3)})
    write_table(frame, OutputOptions(output=tmp_path / "a.jsonl", note=notes.append))
    write_lines(["x", "y"], OutputOptions(output=tmp_path / "b.txt", note=notes.append))
    write_table(frame.iloc[:0], OutputOptions(output=tmp_path / "c.csv", note=notes.append))
    assert notes == [
        f"wrote {tmp_path / 'a.jsonl'} (3 rows)",
        f"wrote {tmp_path / 'b.txt'} (2 lines)",
        f"wrote {tmp_path / 'c.csv'} (0 rows)",
    ]


# --- xlsx: frozen header, fitted widths, numbers stay numbers ---------------------------------------------


@pytest.fixture
def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "term": ["도시외교", "협력", "=x"],
            "tag": ["NNG", "NNG", "SW"],
            "count": [3, 12345, 1],
            "score": [0.1234567891234567, -2.5, float("nan")],
            "text": ["가" * 100, "b", "c"],
            "a_rather_long_column_name": [1, 2, 3],
        }
    )


def test_xlsx_freezes_the_header_and_fits_the_columns(table, tmp_path):
    path = tmp_path / "t.xlsx"
    write_table(table, OutputOptions(output=path))
    sheet = openpyxl.load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    assert widths["A"] == 8 + 2  # 도시외교: four Hangul syllables, two cells each
    assert widths["B"] == 6 and widths["C"] == len("12345") + 2  # short columns keep a minimum width
    assert widths["D"] == 12 + 2  # a float as Excel's General format shows it
    assert widths["E"] == 60  # capped
    assert widths["F"] == len("a_rather_long_column_name") + 2  # the header counts
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("도시외교", "NNG", 3, 0.1234567891234567, "가" * 100, 1)
    assert isinstance(rows[2][2], int) and isinstance(rows[2][3], float) and rows[3][3] is None
    assert rows[3][0] == "'=x"


def test_xlsx_with_widths_is_byte_identical_across_runs(table, tmp_path):
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_table(table, OutputOptions(output=first))
    time.sleep(1.1)
    write_table(table, OutputOptions(output=second))
    assert first.read_bytes() == second.read_bytes()


def test_xlsx_of_zero_rows_has_the_header(tmp_path):
    path = tmp_path / "empty.xlsx"
    write_table(pd.DataFrame({"term": [], "count": []}), OutputOptions(output=path))
    sheet = openpyxl.load_workbook(path).active
    assert list(sheet.iter_rows(values_only=True)) == [("term", "count")] and sheet.freeze_panes == "A2"
