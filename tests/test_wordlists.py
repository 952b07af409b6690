"""`kcorpus freq`: columns in every format, counts and dispersion checked by hand, options, library = CLI."""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from conftest import KIEP, SEOUL

FREQ_COLUMNS = ["term", "tag", "count", "per_10k", "docs", "dp"]

# Three tiny documents whose nouns are known (checked with `kcorpus tokenize --pos nouns`):
#   a.txt: 사과 배 사과 사과 주스   (5 terms)
#   b.txt: 배 포도 사과             (3 terms)
#   c.txt: 포도 포도 주스 포도 농장 배 (6 terms)       corpus: 14 terms
TINY = {
    "a.txt": "사과와 배를 샀다.\n\n사과는 맛있다. 사과 주스도 있다.\n",
    "b.txt": "배와 포도를 먹었다.\n\n사과도 먹었다.\n",
    "c.txt": "포도와 포도 주스.\n\n포도 농장에서 배를 땄다.\n",
}
TINY_COUNTS = {
    "a.txt": {"사과": 3, "배": 1, "주스": 1},
    "b.txt": {"배": 1, "포도": 1, "사과": 1},
    "c.txt": {"포도": 3, "주스": 1, "농장": 1, "배": 1},
}


def write_tiny(folder) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TINY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [str(folder / name) for name in TINY]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> list[str]:
    return write_tiny(tmp_path_factory.mktemp("tiny"))


def csv_frame(text: str) -> pd.DataFrame:
    """Parse kcorpus CSV output: terms stay strings, empty cells become NaN."""
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""])


def run_csv(cli, *args) -> pd.DataFrame:
    result = cli(*args, "--format", "csv", "--quiet")
    assert result.exit_code == 0, result.stderr
    return csv_frame(result.stdout)


def gries_dp_by_hand(counts: list[float], sizes: list[float]) -> float:
    """Gries' DP normalised, written out term by term (independent of kcorpus.stats)."""
    f, total = sum(counts), sum(sizes)
    dp = 0.5 * sum(abs(v / f - s / total) for v, s in zip(counts, sizes))
    return dp / (1 - min(sizes) / total)


def test_freq_columns_in_every_format(cli, tiny):
    assert list(run_csv(cli, "freq", *tiny).columns) == FREQ_COLUMNS
    tsv = cli("freq", *tiny, "--format", "tsv", "-q")
    assert tsv.stdout.splitlines()[0].split("\t") == FREQ_COLUMNS
    rows = json.loads(cli("freq", *tiny, "--format", "json", "-q").stdout)
    assert list(rows[0]) == FREQ_COLUMNS
    lines = cli("freq", *tiny, "--format", "jsonl", "-q").stdout.splitlines()
    assert list(json.loads(lines[0])) == FREQ_COLUMNS and len(lines) == 5
    by_doc = run_csv(cli, "freq", *tiny, "--by", "doc")
    assert list(by_doc.columns) == ["doc", *FREQ_COLUMNS]


def test_freq_counts_and_dispersion_by_hand(cli, tiny):
    frame = run_csv(cli, "freq", *tiny).set_index("term")
    assert frame["count"].to_dict() == {"사과": 4, "포도": 4, "배": 3, "주스": 2, "농장": 1}
    assert frame["docs"].to_dict() == {"사과": 2, "포도": 2, "배": 3, "주스": 2, "농장": 1}
    assert set(frame["tag"]) == {"NN"}
    # 14 counted terms: 사과 4/14 per 10k
    assert frame.loc["사과", "per_10k"] == pytest.approx(4 / 14 * 10_000, rel=1e-12)
    # DP of 사과: parts 5/14, 3/14, 6/14; v/f = 3/4, 1/4, 0 -> DP = 3/7, normalised by 1 - 3/14 -> 6/11
    assert frame.loc["사과", "dp"] == pytest.approx(6 / 11, rel=1e-12)
    # 배 once in each document: DP = 5/42, normalised 5/33
    assert frame.loc["배", "dp"] == pytest.approx(5 / 33, rel=1e-12)
    sizes = [5, 3, 6]
    for term in frame.index:
        counts = [TINY_COUNTS[doc].get(term, 0) for doc in ("a.txt", "b.txt", "c.txt")]
        assert frame.loc[term, "dp"] == pytest.approx(gries_dp_by_hand(counts, sizes), rel=1e-9)


def test_freq_sorted_by_count_then_term(cli, tiny):
    frame = run_csv(cli, "freq", *tiny)
    assert frame["term"].tolist() == ["사과", "포도", "배", "주스", "농장"]  # 사과 and 포도 tie at 4


def test_freq_min_count_and_top(cli, tiny):
    assert run_csv(cli, "freq", *tiny, "--min-count", "2")["term"].tolist() == ["사과", "포도", "배", "주스"]
    assert run_csv(cli, "freq", *tiny, "--top", "2")["term"].tolist() == ["사과", "포도"]


def test_freq_by_doc_lists_each_document_with_its_own_counts(cli, tiny):
    frame = run_csv(cli, "freq", *tiny, "--by", "doc")
    docs = [d.rsplit("/", 1)[-1] for d in frame["doc"]]
    assert list(dict.fromkeys(docs)) == ["a.txt", "b.txt", "c.txt"]
    frame["doc"] = docs
    for doc, expected in TINY_COUNTS.items():
        part = frame[frame["doc"] == doc].set_index("term")
        assert part["count"].to_dict() == expected
        size = sum(expected.values())
        for term, count in expected.items():
            assert part.loc[term, "per_10k"] == pytest.approx(count / size * 10_000, rel=1e-12)
    assert (frame["docs"] == 1).all() and frame["dp"].isna().all()  # a group of one document
    a_terms = frame.loc[frame["doc"] == "a.txt", "term"].tolist()
    assert a_terms == ["사과", "배", "주스"]  # 3, then 1 and 1 in term order
    top1 = run_csv(cli, "freq", *tiny, "--by", "doc", "--top", "1")
    assert top1["term"].tolist() == ["사과", "배", "포도"]


def test_freq_by_group_gives_the_groups_documents_and_dispersion(cli, tmp_path):
    paths = []
    for folder, names in (("x", ("a.txt", "b.txt")), ("y", ("c.txt",))):
        (tmp_path / folder).mkdir()
        for name in names:
            (tmp_path / folder / name).write_text(TINY[name], encoding="utf-8")
            paths.append(tmp_path / folder / name)
    frame = run_csv(cli, "freq", *paths, "--by", "folder").set_index(["group", "term"])
    # x holds a (사과 3, 배, 주스: 5 terms) and b (배, 포도, 사과: 3 terms): parts 5/8 and 3/8
    x = frame.loc[frame.index.get_level_values("group").str.endswith("x")].droplevel("group")
    assert x["docs"].to_dict() == {"사과": 2, "배": 2, "주스": 1, "포도": 1}
    # 사과 3 and 1 of 4: (|3/4 - 5/8| + |1/4 - 3/8|) / 2 = 1/8, normalised by 1 - 3/8
    assert x.loc["사과", "dp"] == pytest.approx(0.2, rel=1e-12)
    assert x.loc["주스", "dp"] == pytest.approx(0.6, rel=1e-12)  # (3/8 + 3/8) / 2 / (5/8)
    y = frame.loc[frame.index.get_level_values("group").str.endswith("y")]
    assert (y["docs"] == 1).all() and y["dp"].isna().all()


def test_freq_ngrams_stay_within_a_document(cli, tiny):
    frame = run_csv(cli, "freq", *tiny, "--ngram", "2").set_index("term")
    # a: 사과 배 사과 사과 주스 -> 4 bigrams; b: 2; c: 5 -> 11, none spanning two documents
    assert frame["count"].sum() == 11
    assert frame.loc["사과 사과", "count"] == 1 and frame.loc["포도 주스", "count"] == 1
    assert frame.loc["사과 주스", "tag"] == "NN+NN"
    assert "주스 배" not in frame.index  # end of a.txt + start of b.txt


def test_freq_compounds_join_nouns_written_together(cli, tmp_path):
    path = tmp_path / "compound.txt"
    path.write_text("인간안보와 보건안보가 중요하다. 인간 안보도 있다.\n", encoding="utf-8")
    plain = run_csv(cli, "freq", path).set_index("term")["count"].to_dict()
    assert plain == {"안보": 3, "인간": 2, "보건": 1, "중요": 1}
    joined = run_csv(cli, "freq", path, "--compounds").set_index("term")["count"].to_dict()
    # only the spaceless runs merge; "인간 안보" stays two terms
    assert joined == {"인간안보": 1, "보건안보": 1, "인간": 1, "안보": 1, "중요": 1}


def test_freq_single_document_has_no_dispersion(cli, tmp_path):
    path = tmp_path / "one.txt"
    path.write_text(TINY["a.txt"], encoding="utf-8")
    frame = run_csv(cli, "freq", path)
    assert frame["dp"].isna().all() and (frame["docs"] == 1).all()


def test_freq_bad_by_is_a_usage_error(cli, tiny):
    result = cli("freq", *tiny, "--by", "nope")  # --by folder, file and metadata columns are groups (test_groups.py)
    assert result.exit_code == 2
    assert "--by" in result.stderr and "doc" in result.stderr


def test_freq_library_matches_cli(cli):
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.analyses.freq import word_list
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(paths=(str(SEOUL), str(KIEP))))
    counts = count_matrix(corpus, TermFilter.from_options("nouns"), UnitSpec("document", 0, 0))
    library = word_list(counts, min_count=2).to_pandas()
    cli_frame = run_csv(cli, "freq", SEOUL, KIEP, "--min-count", "2")
    assert library["term"].tolist() == cli_frame["term"].tolist()
    assert library["count"].tolist() == cli_frame["count"].tolist()
    np.testing.assert_allclose(library["per_10k"], cli_frame["per_10k"], rtol=1e-15)
    np.testing.assert_allclose(library["dp"], cli_frame["dp"], rtol=1e-15)
    # the dispersion of every term of two real reports, against the hand formula
    everything = run_csv(cli, "freq", SEOUL, KIEP).set_index(["term", "tag"])
    per_doc = run_csv(cli, "freq", SEOUL, KIEP, "--by", "doc")
    sizes = per_doc.groupby("doc")["count"].sum()
    table = per_doc.pivot_table(index=["term", "tag"], columns="doc", values="count", fill_value=0)
    assert len(table) == len(everything)
    for key, row in table.iterrows():
        expected = gries_dp_by_hand(row[sizes.index].tolist(), sizes.tolist())
        assert math.isclose(everything.loc[key, "dp"], expected, rel_tol=1e-9, abs_tol=1e-15)
