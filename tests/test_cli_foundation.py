"""`kcorpus tokenize`, `kcorpus info`, `kcorpus cache`: columns, formats, encodings, errors, determinism."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from conftest import CORPUS, KIEP, SEOUL

TOKEN_COLUMNS = ["doc", "unit", "index", "form", "tag", "lemma", "start", "end"]
INFO_COLUMNS = ["doc", "encoding", "chars", "units", "tokens", "types", "status"]
SAMPLE = "서울시는 국경 봉쇄를 강화했다.\n\n개방적 도시외교가 필요하다.\n"


def csv_frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), keep_default_na=False)


def test_tokenize_columns_and_rows(cli, tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    result = cli("tokenize", path, "--format", "csv", "--no-clean")
    assert result.exit_code == 0, result.stderr
    frame = csv_frame(result.stdout)
    assert list(frame.columns) == TOKEN_COLUMNS
    assert set(frame["doc"]) == {"s.txt"}
    first = frame.iloc[0]
    assert (first["form"], first["tag"], first["start"], first["end"]) == ("서울시", "NNP", 0, 3)
    # offsets point into the text (nouns are spelled as written; contracted endings are not)
    nouns = frame[frame["tag"].isin(["NNG", "NNP"])]
    assert nouns["form"].tolist() == ["서울시", "국경", "봉쇄", "강화", "개방", "도시", "외교", "필요"]
    for row in nouns.itertuples():
        assert SAMPLE[row.start : row.end] == row.form
    assert frame.loc[frame["form"] == "강화", "tag"].tolist() == ["NNG"]
    assert "강화하다" not in frame["lemma"].tolist()


def test_tokenize_content_preset_joins_noun_and_suffix_into_a_lemma(cli, tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    frame = csv_frame(cli("tokenize", path, "--pos", "content", "--format", "csv").stdout)
    assert "봉쇄" in frame["lemma"].tolist()
    assert "강화하다" in frame["lemma"].tolist() and "강화" not in frame["lemma"].tolist()
    assert "필요하다" in frame["lemma"].tolist()
    assert set(frame["tag"]) <= {"NNG", "NNP", "SL", "SH", "XSV", "XSA", "VV", "VA"}


def test_tokenize_text_format_one_unit_per_line(cli, tmp_path):
    path = tmp_path / "s.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    result = cli(
        "tokenize",
        path,
        "--pos",
        "nouns",
        "--unit",
        "paragraph",
        "--min-unit-tokens",
        "0",
        "--format",
        "text",
        "--no-clean",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["서울시 국경 봉쇄 강화", "개방 도시 외교 필요"]
    merged = cli("tokenize", path, "--pos", "nouns", "--unit", "paragraph", "--format", "text", "--no-clean")
    assert merged.stdout.splitlines() == ["서울시 국경 봉쇄 강화 개방 도시 외교 필요"]  # short paragraphs merge


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl"])
def test_every_format_has_the_same_columns(cli, tmp_path, fmt):
    path = tmp_path / "s.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    out = cli("info", path, "--format", fmt).stdout
    if fmt == "csv":
        columns = list(csv_frame(out).columns)
    elif fmt == "tsv":
        columns = out.splitlines()[0].split("\t")
    elif fmt == "json":
        columns = list(json.loads(out)[0].keys())
    else:
        columns = list(json.loads(out.splitlines()[0]).keys())
    assert columns == INFO_COLUMNS


def test_xlsx_output_file(cli, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "s.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    target = tmp_path / "tokens.xlsx"
    assert cli("tokenize", path, "-o", target).exit_code == 0
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert list(rows[0]) == TOKEN_COLUMNS
    assert rows[1][3] == "서울시" and rows[1][6] == 0


@pytest.mark.parametrize("encoding", ["cp949", "utf-16", "utf-8-sig"])
def test_encodings_give_the_same_tokens_as_utf8(cli, tmp_path, encoding):
    # the report holds a few characters CP949 cannot encode (e.g. U+FF65); both copies drop them
    text = SEOUL.read_text(encoding="utf-8").encode("cp949", errors="ignore").decode("cp949")
    (tmp_path / "utf8").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "utf8" / "doc.txt").write_text(text, encoding="utf-8")
    (tmp_path / "other" / "doc.txt").write_bytes(text.encode(encoding))
    reference = cli("tokenize", tmp_path / "utf8", "--format", "csv")
    converted = cli("tokenize", tmp_path / "other", "--format", "csv")
    assert converted.exit_code == 0, converted.stderr
    assert converted.stdout == reference.stdout
    info = csv_frame(cli("info", tmp_path / "other", "--format", "csv").stdout)
    # CP949 bytes that use only the EUC-KR subset are reported as euc-kr (true of this report)
    assert info["encoding"].tolist() == [{"cp949": "euc-kr"}.get(encoding, encoding)]


def test_skipped_inputs_are_reported_and_strict_fails(cli, tmp_path):
    (tmp_path / "good.txt").write_text(SAMPLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.bin").write_bytes(b"\x00\x01\x02\x03" * 10)
    result = cli("info", tmp_path, "--format", "csv")
    assert result.exit_code == 0
    frame = csv_frame(result.stdout)
    assert frame.set_index("doc")["status"].to_dict() == {
        "good.txt": "ok",
        "bad.bin": "skipped: binary file (contains NUL bytes)",
        "empty.txt": "skipped: empty file",
    }
    assert "kcorpus: warning: skipped empty.txt: empty file" in result.stderr
    assert "skipped 2" in result.stderr
    strict = cli("info", tmp_path, "--strict", "--format", "csv")
    assert strict.exit_code == 1
    assert strict.stderr.strip().endswith("kcorpus: error: 2 input(s) skipped and --strict is set")


def test_bundled_corpus_is_used_and_announced(cli):
    result = cli("info", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "using the bundled sample corpus" in result.stderr
    frame = csv_frame(result.stdout)
    assert sorted(frame["doc"]) == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert (frame["status"] == "ok").all() and (frame["tokens"] > 5000).all()


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["info", "no/such/dir"], 2, "path no/such/dir does not exist"),
        (["info", "--pos", "XYZ"], 2, "--pos 'XYZ'"),
        (["info", "--unit", "chapter"], 2, "--unit 'chapter'"),
        (["info", "--encoding", "klingon"], 2, "unknown text encoding 'klingon'"),
        (["info", "--encoding", "hex"], 2, "unknown text encoding 'hex'"),
        (["info", "--format", "pdf"], 2, "pdf"),
        (["tokenize", "--user-dict", "missing.tsv"], 2, "user dictionary missing.tsv does not exist"),
    ],
)
def test_user_mistakes_give_one_line_and_an_exit_code(cli, args, code, message):
    result = cli(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_malformed_user_dictionary_names_the_line(cli, tmp_path):
    bad = tmp_path / "user.tsv"
    bad.write_text("인간안보\tNNG\t0\n# comment\n도시외교 NNG\n", encoding="utf-8")
    result = cli("tokenize", SEOUL, "--user-dict", bad)
    assert result.exit_code == 1
    assert f"user dictionary {bad} line 3: expected 'form<TAB>tag[<TAB>score]'" in result.stderr
    bad.write_text("인간안보\tNOUN\n", encoding="utf-8")
    assert "line 1: unknown tag 'NOUN'" in cli("tokenize", SEOUL, "--user-dict", bad).stderr


@pytest.mark.slow
def test_user_dictionary_changes_tokens(cli, tmp_path):
    words = tmp_path / "user.tsv"
    words.write_text("개방적 도시외교\tNNP\t5\n", encoding="utf-8")
    path = tmp_path / "s.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    plain = csv_frame(cli("tokenize", path, "--format", "csv").stdout)
    custom = csv_frame(cli("tokenize", path, "--user-dict", words, "--format", "csv").stdout)
    assert "개방적 도시외교" not in plain["form"].tolist()
    assert custom.loc[custom["form"] == "개방적 도시외교", "tag"].tolist() == ["NNP"]


def test_output_is_deterministic(cli, tmp_path):
    first = cli("tokenize", KIEP, "--format", "csv", "--no-cache").stdout
    second = cli("tokenize", KIEP, "--format", "csv").stdout
    third = cli("tokenize", KIEP, "--format", "csv").stdout
    assert first == second == third and len(first) > 10000


def test_formula_cells_are_escaped_in_csv(cli, tmp_path):
    path = tmp_path / "f.csv"
    path.write_text('id,text\n=HYPERLINK("x"),서울시 도시외교\n', encoding="utf-8")
    result = cli("info", path, "--id-column", "id", "--format", "csv")
    assert csv_frame(result.stdout)["doc"].tolist() == ['\'=HYPERLINK("x")']
    assert csv_frame(result.stdout)["chars"].tolist() == [8]  # numbers stay numbers
    raw = cli("info", path, "--id-column", "id", "--format", "csv", "--no-escape-formulas")
    assert csv_frame(raw.stdout)["doc"].tolist() == ['=HYPERLINK("x")']


def test_bom_flag_writes_bom_bytes(tmp_path):
    out = subprocess.run(
        [sys.executable, "-m", "kcorpus", "info", str(SEOUL), "--format", "csv", "--bom"],
        capture_output=True,
        env=dict(os.environ),
        timeout=300,
    )
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.startswith(b"\xef\xbb\xbfdoc,encoding,")


def test_closed_pipe_exits_quietly():
    shell = f"{sys.executable} -m kcorpus tokenize {SEOUL} --format csv | head -n 2"
    out = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, timeout=300)
    assert out.stdout.decode().splitlines()[0] == ",".join(TOKEN_COLUMNS)
    assert b"Traceback" not in out.stderr and b"BrokenPipe" not in out.stderr
    assert out.returncode == 0


def test_help_is_fast_and_imports_nothing_heavy():
    code = (
        "import sys; from kcorpus.cli import app; "
        "print(sorted(m for m in ('pandas','sklearn','kiwipiepy','numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
    assert out.stdout.decode().strip() == "[]"


@pytest.mark.slow
def test_warm_info_does_not_load_kiwi(tmp_path):
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(tmp_path / "cache"))
    probe = (
        "import sys, runpy; sys.argv=['kcorpus','info','--format','csv']\n"
        "try:\n    runpy.run_module('kcorpus', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "print('KIWI', 'kiwipiepy' in sys.modules, file=sys.stderr)"
    )
    cold = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, timeout=300)
    warm = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=env, timeout=300)
    assert b"KIWI True" in cold.stderr
    assert b"KIWI False" in warm.stderr
    assert warm.stdout == cold.stdout


def test_cache_commands(cli, tmp_path):
    cache = tmp_path / "c"
    cli("info", SEOUL, "--cache-dir", cache, "--format", "csv")
    info = csv_frame(cli("cache", "info", "--cache-dir", cache, "--format", "csv").stdout)
    assert info["entries"].tolist() == [1]
    cleared = cli("cache", "clear", "--cache-dir", cache)
    assert cleared.exit_code == 0 and "removed 1 cache entries" in cleared.stderr
    assert csv_frame(cli("cache", "info", "--cache-dir", cache, "--format", "csv").stdout)["entries"].tolist() == [0]


@pytest.mark.parametrize("command", ["tokenize", "info", "cache"])
def test_every_command_has_help(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout and len(result.stdout) > 200


# --- nothing of the user's is destroyed --------------------------------------------------------------


def test_clean_out_dir_gives_colliding_names_distinct_files_and_never_overwrites(cli, tmp_path):
    first, second = tmp_path / "in" / "a", tmp_path / "in" / "b"
    first.mkdir(parents=True)
    second.mkdir()
    (first / "notes").write_text(SAMPLE, encoding="utf-8")
    (first / "notes.txt").write_text(SAMPLE + " 하나", encoding="utf-8")
    (second / "notes.txt").write_text(SAMPLE + " 둘", encoding="utf-8")
    out = tmp_path / "out"
    result = cli("clean", first, second, "--out-dir", out)
    assert result.exit_code == 0, result.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a/notes.txt", "a/notes~2.txt", "b/notes.txt"]
    assert (out / "a" / "notes~2.txt").read_text(encoding="utf-8").rstrip().endswith("하나")
    assert (out / "b" / "notes.txt").read_text(encoding="utf-8").rstrip().endswith("둘")
    # a second run would replace them: refused, nothing touched, unless --force
    (out / "b" / "notes.txt").write_text("mine", encoding="utf-8")
    again = cli("clean", first, second, "--out-dir", out)
    assert again.exit_code == 2
    assert again.stderr.startswith(f"kcorpus: error: --out-dir {out} already holds 3 of the files to write")
    assert (out / "b" / "notes.txt").read_text(encoding="utf-8") == "mine"
    forced = cli("clean", first, second, "--out-dir", out, "--force")
    assert forced.exit_code == 0
    assert (out / "b" / "notes.txt").read_text(encoding="utf-8").rstrip().endswith("둘")


def test_clean_out_dir_that_is_a_file_is_a_usage_error(cli, tmp_path):
    target = tmp_path / "taken"
    target.write_text("mine", encoding="utf-8")
    (tmp_path / "a.txt").write_text(SAMPLE, encoding="utf-8")
    result = cli("clean", tmp_path / "a.txt", "--out-dir", target)
    assert result.exit_code == 2
    assert result.stderr == f"kcorpus: error: --out-dir {target} is a file, not a folder: name a folder\n"
    assert target.read_text(encoding="utf-8") == "mine"


def test_failed_run_leaves_an_existing_output_file_intact(cli, tmp_path):
    out = tmp_path / "out.csv"
    out.write_text("last week's results\n", encoding="utf-8")
    result = cli("concordance", "없는말없는말", SAMPLE_FILE_ARG(tmp_path), "-o", out)
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == "last week's results\n"
    result = cli("freq", SAMPLE_FILE_ARG(tmp_path), "--stopwords", tmp_path / "missing.txt", "-o", out)
    assert result.exit_code == 2
    assert out.read_text(encoding="utf-8") == "last week's results\n"


def SAMPLE_FILE_ARG(folder):
    path = folder / "sample.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    return path


def test_cache_clear_keeps_files_that_are_not_entries(cli, tmp_path):
    cache = tmp_path / "cache"
    (tmp_path / "a.txt").write_text(SAMPLE, encoding="utf-8")
    assert cli("info", tmp_path / "a.txt", "--cache-dir", cache, "--quiet").exit_code == 0
    (cache / "tokens" / "my-notes.txt").write_text("mine", encoding="utf-8")
    (cache / "thesis.docx").write_bytes(b"PK\x03\x04 mine")
    result = cli("cache", "clear", "--cache-dir", cache)
    assert result.exit_code == 0
    assert result.stderr == (
        f"kcorpus: removed 1 cache entries from {cache}; kept 1 other file(s) there, which are not kcorpus's\n"
    )
    assert (cache / "tokens" / "my-notes.txt").read_text(encoding="utf-8") == "mine"
    assert (cache / "thesis.docx").read_bytes() == b"PK\x03\x04 mine"


# --- fail fast: every option is checked before any document is read ------------------------------------


@pytest.mark.parametrize(
    "args, flag",
    [
        (["freq", "--format", "bogus"], "unknown format 'bogus'"),
        (["freq", "-o", "out.bogus"], "cannot tell the output format"),
        (["freq", "-o", "no/such/dir/out.csv"], "does not exist"),
        (["info", "--unit", "chapter"], "--unit 'chapter'"),
        (["freq", "--pos", "XYZ"], "--pos 'XYZ'"),
        (["freq", "--stopwords", "missing.txt"], "missing.txt does not exist"),
        (["freq", "--user-dict", "missing.tsv"], "missing.tsv does not exist"),
        (["topics", "--k", "many"], "--k 'many'"),
        (["topics", "--k-range", "9"], "--k-range '9'"),
        (["info", "--scheduler", "udp://x"], "--scheduler"),
        (["compare", "--by", "region"], "--by 'region'"),
        (["keywords", "--reference", "no-such-archive"], "no-such-archive does not exist"),
    ],
)
def test_bad_options_fail_before_reading_any_document(cli, tmp_path, monkeypatch, args, flag):
    import kcorpus.pipeline.corpus

    def no_tokenising(*a, **k):
        raise AssertionError("a document was tokenised before the options were checked")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(kcorpus.pipeline.corpus.Pipeline, "run", no_tokenising)
    result = cli(*args, SAMPLE_FILE_ARG(tmp_path))
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith("kcorpus: error: ") and flag in result.stderr
    assert result.stderr.count("\n") == 1


def test_clean_refuses_a_table_format_before_reading_anything(cli, tmp_path):
    """Without --report, clean writes text: --format json is refused at once (it was, after every input had
    been read and cleaned)."""
    result = cli("clean", tmp_path / "not-there.txt", "--format", "json")
    assert result.exit_code == 2
    assert "--format json does not apply here" in result.stderr and "not-there" not in result.stderr


def test_cache_clear_of_a_file_is_a_usage_error_and_leaves_it(cli, tmp_path):
    file = tmp_path / "notes.txt"
    file.write_text("내 메모", encoding="utf-8")
    result = cli("cache", "clear", "--cache-dir", file)
    assert result.exit_code == 2 and "is a file, not a cache directory" in result.stderr
    assert file.read_text(encoding="utf-8") == "내 메모"
