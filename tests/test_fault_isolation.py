"""One bad document never ends a run: a failure while reading, cleaning or tokenising one document is
reported in one line, the document falls back to the next safe path, and the others are analysed.

The failures are planted with monkeypatch (a rule of the cleaner, Kiwi, a reader that raises) because no
input is known to trigger a bug today; that is the point: the next unknown bug must not end a batch.
"""

from __future__ import annotations

import pytest

import kcorpus

from conftest import SEOUL

GOOD = "북한과 중국의 협력이 강화되었다. 국경 무역이 재개되었다."
POISON = "이 문서는 정리 단계에서 실패한다. 협력"


@pytest.fixture
def drop(tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    for name, text in (("a.txt", GOOD), ("b.txt", POISON), ("c.txt", GOOD + " 관광")):
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def poison_cleaner(monkeypatch):
    import kcorpus.pipeline.corpus

    real = kcorpus.pipeline.corpus.clean_text

    def clean_text(text, **options):
        if "실패한다" in text:
            raise ValueError("invalid literal for int() with base 10: '①'")
        return real(text, **options)

    monkeypatch.setattr(kcorpus.pipeline.corpus, "clean_text", clean_text)


def test_a_repair_failure_analyses_the_document_without_repair(cli, drop, tmp_path, monkeypatch):
    poison_cleaner(monkeypatch)
    result = cli("info", drop, "--format", "csv", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == ["a.txt", "b.txt", "c.txt"]
    assert all(row.endswith(",ok") for row in rows)
    assert (
        f"kcorpus: warning: b.txt: text repair failed (ValueError: invalid literal for int() with base 10: "
        f"'①'; a bug in kcorpus {kcorpus.__version__}, please report it); analysed without repair"
    ) in result.stderr.splitlines()
    assert "analysed 3 document(s), 0 from the token cache; 1 with warnings" in result.stderr
    assert "Traceback" not in result.stderr
    # a warm run says the same (the warning is kept with the cached entry), and --strict fails on it
    warm = cli("info", drop, "--format", "csv", "--cache-dir", tmp_path / "cache", "--strict")
    assert warm.exit_code == 1
    assert "b.txt: text repair failed" in warm.stderr
    assert warm.stderr.strip().endswith("kcorpus: error: 1 read with warnings and --strict is set")


def test_clean_command_falls_back_to_the_unrepaired_text(cli, drop, monkeypatch):
    poison_cleaner(monkeypatch)
    result = cli("clean", drop)
    assert result.exit_code == 0
    assert POISON in result.stdout and "==> a.txt <==" in result.stdout
    assert "b.txt: text repair failed" in result.stderr


def test_a_tokenising_failure_skips_only_that_document(cli, drop, tmp_path, monkeypatch):
    import kcorpus.nlp.analyzer

    real = kcorpus.nlp.analyzer.Analyzer.tokenize_pieces

    def tokenize_pieces(self, pieces):
        def checked():
            for piece in pieces:
                if "실패한다" in piece:
                    raise RuntimeError("Kiwi gave up")
                yield piece

        return real(self, checked())

    monkeypatch.setattr(kcorpus.nlp.analyzer.Analyzer, "tokenize_pieces", tokenize_pieces)
    result = cli("freq", drop, "--format", "csv", "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.stderr
    assert (
        "kcorpus: warning: skipped b.txt: tokenising failed (RuntimeError: Kiwi gave up; a bug in kcorpus"
        in result.stderr
    )
    assert "analysed 2 document(s), 0 from the token cache; skipped 1" in result.stderr
    counts = dict(line.split(",")[:3:2] for line in result.stdout.splitlines()[1:])
    assert counts["관광"] == "1" and counts["협력"] == "2"  # a.txt and c.txt, not b.txt's
    assert "Traceback" not in result.stderr


def test_a_reader_failure_skips_that_file_and_reads_the_rest(cli, drop, monkeypatch):
    import kcorpus.io.sources

    real = kcorpus.io.sources.decode_text

    def decode_text(data, encoding=None):
        if "실패한다".encode() in data:
            raise TypeError("unexpected")
        return real(data, encoding)

    monkeypatch.setattr(kcorpus.io.sources, "decode_text", decode_text)
    result = cli("info", drop, "--format", "csv", "--quiet")
    assert result.exit_code == 0
    assert "kcorpus: warning: skipped b.txt: reading failed (TypeError: unexpected; a bug in kcorpus" in result.stderr
    assert 'b.txt,,0,0,0,0,"skipped: reading failed (TypeError: unexpected' in result.stdout


def test_an_unexpected_error_in_a_command_is_one_line(cli, monkeypatch):
    import kcorpus.analyses.freq

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(kcorpus.analyses.freq, "word_list", broken)
    result = cli("freq", SEOUL, "--quiet")
    assert result.exit_code == 1
    assert result.stderr.startswith("kcorpus: error: internal error (ZeroDivisionError: division by zero; a bug")
    assert result.stderr.count("\n") == 1


def test_interrupt_is_exit_130_without_a_traceback(cli, monkeypatch):
    import kcorpus.analyses.freq

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(kcorpus.analyses.freq, "word_list", interrupted)
    result = cli("freq", SEOUL, "--quiet")
    assert result.exit_code == 130
    assert result.stderr == "kcorpus: interrupted\n"
