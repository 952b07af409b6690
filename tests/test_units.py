"""Units of analysis: document, paragraph (merged to a minimum size), sentence and window:N."""

from __future__ import annotations

import numpy as np
import pytest

from kcorpus.errors import UsageError
from kcorpus.nlp.units import UnitSpec, content_mask, make_units
from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

from conftest import SEOUL

# Four paragraphs with 2, 2, 3 and 1 content tokens; lines 1, 3, 5-6 and 8 of the file.
TEXT = "서울시 외교.\n\n도시 협력.\n\n국경을 봉쇄한 국가.\n미국과 중국.\n\n끝.\n"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("units")
    (folder / "a.txt").write_text(TEXT, encoding="utf-8")
    corpus = load_corpus(CorpusOptions(paths=(str(folder),), clean=False, use_cache=False, jobs=1))
    return corpus.documents[0]


def unit_words(analysed, units):
    """The nouns of each unit, for readable assertions."""
    forms = analysed.tokens.column("form")
    mask = content_mask(analysed.tokens)
    words = [[] for _ in range(len(units))]
    for i in np.flatnonzero(mask):
        words[units.token_unit[i]].append(forms[i])
    return words


def test_parse_specs():
    assert UnitSpec.parse("window:100") == UnitSpec("window", 100, 50)
    assert str(UnitSpec.parse("sentence")) == "sentence"
    for bad in ("window", "window:0", "window:x", "chapter", "paragraph:3"):
        with pytest.raises(UsageError):
            UnitSpec.parse(bad)


def test_document_unit_covers_everything(small):
    units = make_units(small, UnitSpec("document"))
    assert len(units) == 1 and set(units.token_unit.tolist()) == {0}
    assert (units.line_start[0], units.line_end[0]) == (1, 8)


def test_paragraphs_without_merging_keep_source_lines(small):
    units = make_units(small, UnitSpec("paragraph", min_tokens=0))
    assert unit_words(small, units) == [
        ["서울시", "외교"],
        ["도시", "협력"],
        ["국경", "봉쇄", "국가", "미국", "중국"],
        ["끝"],
    ]
    assert list(zip(units.line_start.tolist(), units.line_end.tolist())) == [(1, 1), (3, 3), (5, 6), (8, 8)]
    assert TEXT[units.char_start[2] : units.char_end[2]] == "국경을 봉쇄한 국가.\n미국과 중국."


def test_short_paragraphs_merge_until_the_minimum(small):
    units = make_units(small, UnitSpec("paragraph", min_tokens=4))
    # 2+2 reach 4; the next holds 5; the last one (1 token) is too short and joins the one before it
    assert unit_words(small, units) == [
        ["서울시", "외교", "도시", "협력"],
        ["국경", "봉쇄", "국가", "미국", "중국", "끝"],
    ]
    assert list(zip(units.line_start.tolist(), units.line_end.tolist())) == [(1, 3), (5, 8)]


def test_sentences(small):
    units = make_units(small, UnitSpec("sentence"))
    assert unit_words(small, units) == [
        ["서울시", "외교"],
        ["도시", "협력"],
        ["국경", "봉쇄", "국가"],
        ["미국", "중국"],
        ["끝"],
    ]
    assert list(zip(units.line_start.tolist(), units.line_end.tolist())) == [(1, 1), (3, 3), (5, 5), (6, 6), (8, 8)]


def test_windows_hold_n_content_tokens(small):
    units = make_units(small, UnitSpec("window", 3))
    assert [len(w) for w in unit_words(small, units)] == [3, 3, 3, 1]
    assert np.all(np.diff(units.token_unit) >= 0)


def test_every_token_has_a_unit_on_a_real_report():
    corpus = load_corpus(CorpusOptions(paths=(str(SEOUL),), jobs=1))
    analysed = corpus.documents[0]
    for spec in ("document", "paragraph", "sentence", "window:50"):
        units = make_units(analysed, UnitSpec.parse(spec))
        assert len(units.token_unit) == len(analysed.tokens)
        assert units.token_unit.min() == 0 and units.token_unit.max() == len(units) - 1
        assert np.all(units.line_start <= units.line_end)
    paragraphs = make_units(analysed, UnitSpec.parse("paragraph"))
    per_unit = np.bincount(paragraphs.token_unit[content_mask(analysed.tokens)], minlength=len(paragraphs))
    assert (per_unit >= 50).all()  # every merged paragraph holds the minimum, the last one included


def test_info_and_tokenize_report_units(cli, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(TEXT, encoding="utf-8")
    info = cli("info", path, "--unit", "paragraph", "--min-unit-tokens", "0", "--no-clean", "--format", "csv")
    assert info.stdout.splitlines()[1].split(",")[3] == "4"
    tokens = cli("tokenize", path, "--unit", "window:3", "--pos", "nouns", "--no-clean", "--format", "csv")
    units = [line.split(",")[1] for line in tokens.stdout.splitlines()[1:]]
    assert units == ["0"] * 3 + ["1"] * 3 + ["2"] * 3 + ["3"]
