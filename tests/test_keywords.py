"""`kcorpus keywords`: columns, hand-checked and independently computed statistics, filters, references, plots."""

from __future__ import annotations

import math
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy import sparse
from scipy.stats import chi2, chi2_contingency

from test_wordlists import TINY_COUNTS, csv_frame, run_csv, tiny  # noqa: F401  (tiny is a fixture)

from conftest import KIC, KIEP, SEOUL

KEYWORD_COLUMNS = ["doc", "rank", "term", "count", "ref_count", "per_10k", "ref_per_10k", "g2", "p", "log_ratio"]
EVERYTHING = ("--min-count", "1", "--alpha", "1", "--top", "0", "--under")


def name(doc: str) -> str:
    return doc.rsplit("/", 1)[-1]


def g2_by_hand(a, b, n1, n2):
    """Signed 4-cell G2 = 2 Σ O ln(O/E), written out in 50-digit decimals (independent of kcorpus.stats;
    exact enough that a G2 near 0 is still right to 1e-9 relative)."""
    a, b, n1, n2 = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in (a, b, n1, n2)))
    out = np.empty(a.shape)
    with localcontext() as context:
        context.prec = 50
        for i in np.ndindex(a.shape):
            x, y, m1, m2 = (Decimal(int(v[i])) for v in (a, b, n1, n2))
            total = m1 + m2
            cells = [
                (x, m1 * (x + y) / total),
                (y, m2 * (x + y) / total),
                (m1 - x, m1 * (total - x - y) / total),
                (m2 - y, m2 * (total - x - y) / total),
            ]
            g2 = 2 * sum((o * (o / e).ln() for o, e in cells if o > 0), Decimal(0))
            sign = (x * m2 > y * m1) - (x * m2 < y * m1)
            out[i] = sign * float(g2)
    return out


def log_odds_z_by_hand(a, b, n1, n2, pooled_a, pooled_b, alpha0):
    """Monroe et al. (2008) z with alpha_w = alpha0 * pooled_w / sum(pooled)."""
    alpha = alpha0 * (pooled_a + pooled_b) / (n1 + n2)
    delta = np.log((a + alpha) / (n1 + alpha0 - a - alpha)) - np.log((b + alpha) / (n2 + alpha0 - b - alpha))
    return delta / np.sqrt(1 / (a + alpha) + 1 / (b + alpha))


def assert_statistics_match(frame: pd.DataFrame, sizes: dict[str, tuple[float, float]]) -> None:
    """Every number in a keywords table against an independent computation (relative error 1e-9)."""
    n1 = frame["doc"].map(lambda d: sizes[d][0]).to_numpy(float)
    n2 = frame["doc"].map(lambda d: sizes[d][1]).to_numpy(float)
    a, b = frame["count"].to_numpy(float), frame["ref_count"].to_numpy(float)
    g2 = g2_by_hand(a, b, n1, n2)
    np.testing.assert_allclose(frame["g2"], g2, rtol=1e-9)
    np.testing.assert_allclose(frame["p"], chi2.sf(np.abs(g2), 1), rtol=1e-9)
    np.testing.assert_allclose(frame["per_10k"], a / n1 * 1e4, rtol=1e-12)
    np.testing.assert_allclose(frame["ref_per_10k"], b / n2 * 1e4, rtol=1e-12)
    smoothed_a, smoothed_b = np.where(a == 0, 0.5, a), np.where(b == 0, 0.5, b)
    ratio = np.log2((smoothed_a / n1) / (smoothed_b / n2))
    ratio = np.where(a == 0, np.minimum(ratio, 0), np.where(b == 0, np.maximum(ratio, 0), ratio))  # counts' side
    np.testing.assert_allclose(frame["log_ratio"], ratio, rtol=1e-9)
    assert (frame.loc[a == 0, "log_ratio"] <= 0).all()


# --- columns and hand-checked numbers ------------------------------------------------------------


def test_keywords_columns(cli, tiny):
    assert list(run_csv(cli, "keywords", *tiny, *EVERYTHING).columns) == KEYWORD_COLUMNS
    assert list(run_csv(cli, "keywords", *tiny, *EVERYTHING, "--measure", "tfidf").columns) == KEYWORD_COLUMNS + [
        "tfidf"
    ]
    assert list(run_csv(cli, "keywords", *tiny, *EVERYTHING, "--measure", "log_odds").columns) == KEYWORD_COLUMNS + [
        "log_odds_z"
    ]
    tsv = cli("keywords", *tiny, *EVERYTHING, "--format", "tsv", "-q").stdout
    assert tsv.splitlines()[0].split("\t") == KEYWORD_COLUMNS


def test_keywords_of_a_tiny_corpus_by_hand(cli, tiny):
    frame = run_csv(cli, "keywords", *tiny, *EVERYTHING)
    frame["doc"] = frame["doc"].map(name)
    row = frame[(frame["doc"] == "a.txt") & (frame["term"] == "사과")].iloc[0]
    # 사과: 3 of a.txt's 5 terms against 1 of the other documents' 9
    assert (row["count"], row["ref_count"]) == (3, 1)
    assert row["per_10k"] == pytest.approx(6000.0, rel=1e-12)
    assert row["ref_per_10k"] == pytest.approx(10_000 / 9, rel=1e-12)
    g2, p, _, _ = chi2_contingency([[3, 1], [2, 8]], correction=False, lambda_="log-likelihood")
    assert row["g2"] == pytest.approx(g2, rel=1e-9) and row["g2"] > 0
    assert row["p"] == pytest.approx(p, rel=1e-9)
    assert row["log_ratio"] == pytest.approx(math.log2((3 / 5) / (1 / 9)), rel=1e-12)
    # 농장 never occurs in a.txt: under-used, count 0, log ratio with 0.5 for the zero
    absent = frame[(frame["doc"] == "a.txt") & (frame["term"] == "농장")].iloc[0]
    assert (absent["count"], absent["ref_count"]) == (0, 1) and absent["g2"] < 0
    assert absent["log_ratio"] == pytest.approx(math.log2((0.5 / 5) / (1 / 9)), rel=1e-12)
    # every document x term of the vocabulary that occurs somewhere is tested with --under --min-count 1
    assert len(frame) == sum(len(set().union(*TINY_COUNTS.values())) for _ in TINY_COUNTS)
    sizes = {doc: (sum(c.values()), 14 - sum(c.values())) for doc, c in TINY_COUNTS.items()}
    assert_statistics_match(frame, sizes)


def test_keywords_rank_by_signed_g2_within_each_document(cli, tiny):
    frame = run_csv(cli, "keywords", *tiny, *EVERYTHING)
    for _, part in frame.groupby("doc", sort=False):
        assert part["rank"].tolist() == list(range(1, len(part) + 1))
        assert part["g2"].is_monotonic_decreasing
    over_only = run_csv(cli, "keywords", *tiny, "--min-count", "1", "--alpha", "1")
    assert (over_only["g2"] > 0).all() and len(over_only) < len(frame)


def test_keywords_min_count_applies_to_the_target(cli, tiny):
    frame = run_csv(cli, "keywords", *tiny, "--min-count", "3", "--alpha", "1")
    frame["doc"] = frame["doc"].map(name)
    assert sorted(zip(frame["doc"], frame["term"])) == [("a.txt", "사과"), ("c.txt", "포도")]


# --- the bundled corpus --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled_sizes(shared_cache):
    """Counted terms per document of the bundled corpus: (own, rest of corpus)."""
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(cache_dir=shared_cache))
    counts = count_matrix(corpus, TermFilter.from_options("nouns"), UnitSpec("document", 0, 0))
    own = dict(zip(counts.rows["doc"], counts.row_totals.tolist()))
    total = sum(own.values())
    return {doc: (float(n), float(total - n)) for doc, n in own.items()}


@pytest.fixture(scope="module")
def bundled_keywords(bundled_sizes, shared_cache):
    from typer.testing import CliRunner

    from kcorpus.cli import app

    result = CliRunner().invoke(app, ["keywords", "--format", "csv", "-q", "--cache-dir", str(shared_cache)])
    assert result.exit_code == 0, result.stderr
    return csv_frame(result.stdout)


def top_terms(frame: pd.DataFrame, path) -> list[str]:
    return frame.loc[frame["doc"] == path.name, "term"].tolist()


def test_keywords_of_the_bundled_reports_make_sense(bundled_keywords):
    frame = bundled_keywords
    assert frame.groupby("doc").size().max() == 20
    kiep, seoul, kic = top_terms(frame, KIEP), top_terms(frame, SEOUL), top_terms(frame, KIC)
    assert {"북한", "대북제재"} & set(kiep) and kiep[0] == "북한"
    assert {"도시외교", "서울시"} & set(seoul)
    # The KIC weekly's top 20 are its own companies and trade: Ant Group (마이그룹), payments, platforms.
    assert {"마이그룹", "결제", "플랫폼"} <= set(kic)
    assert not {"북한", "코로나"} & set(kic)


def test_kic_company_names_are_significant_but_not_top_20(cli):
    # 화웨이 (16 vs 2 elsewhere) and 타오바오 (12 vs 0) are over-used in the KIC weekly, but the
    # weekly is 57% of the corpus, so their G2 (9.0 and 13.7) is far below its top 20 (all >= 35).
    frame = run_csv(cli, "keywords", "--alpha", "0.05", "--no-bonferroni", "--top", "0")
    kic = frame[frame["doc"] == KIC.name].set_index("term")
    assert {"화웨이", "타오바오"} <= set(kic.index)
    assert kic.loc["타오바오", "rank"] > 20 and kic.loc["타오바오", "ref_count"] == 0
    others = frame[frame["doc"] != KIC.name]
    assert not {"화웨이", "타오바오"} & set(others["term"])


def test_compounds_bring_policy_terms_into_the_lists(cli):
    frame = run_csv(cli, "keywords", "--compounds")
    assert "도시외교" in top_terms(frame, SEOUL)
    assert "대북제재" in top_terms(frame, KIEP)


def test_every_bundled_statistic_matches_an_independent_computation(cli, bundled_keywords, bundled_sizes):
    assert_statistics_match(bundled_keywords, bundled_sizes)
    under = run_csv(cli, "keywords", "--under", "--top", "0", "--measure", "log_odds")
    assert (under["g2"] < 0).any()
    assert_statistics_match(under, bundled_sizes)
    # log-odds z: pooled counts are count + ref_count; alpha0 = 1% of the corpus
    n1 = under["doc"].map(lambda d: bundled_sizes[d][0]).to_numpy(float)
    n2 = under["doc"].map(lambda d: bundled_sizes[d][1]).to_numpy(float)
    a, b = under["count"].to_numpy(float), under["ref_count"].to_numpy(float)
    z = log_odds_z_by_hand(a, b, n1, n2, a, b, 0.01 * (n1 + n2))
    np.testing.assert_allclose(under["log_odds_z"], z, rtol=1e-9)
    for _, part in under.groupby("doc"):
        assert part["log_odds_z"].is_monotonic_decreasing


def test_tfidf_matches_scikit_learn(cli, tiny):
    from sklearn.feature_extraction.text import TfidfTransformer

    frame = run_csv(
        cli, "keywords", *tiny, "--min-count", "1", "--alpha", "1", "--top", "0", "--under", "--measure", "tfidf"
    )
    frame["doc"] = frame["doc"].map(name)
    vocabulary = sorted(set().union(*TINY_COUNTS.values()))
    docs = list(TINY_COUNTS)
    matrix = np.array([[TINY_COUNTS[d].get(t, 0) for t in vocabulary] for d in docs])
    weights = TfidfTransformer().fit_transform(matrix).toarray()
    for row in frame.itertuples():
        assert row.tfidf == pytest.approx(weights[docs.index(row.doc), vocabulary.index(row.term)], rel=1e-9)
    for _, part in frame.groupby("doc"):
        assert part["tfidf"].is_monotonic_decreasing


def test_bonferroni_divides_alpha_by_the_number_of_tested_terms(cli, bundled_sizes):
    everything = run_csv(cli, "keywords", "--alpha", "1", "--top", "0", "--under")
    default = run_csv(cli, "keywords", "--top", "0")
    plain = run_csv(cli, "keywords", "--top", "0", "--no-bonferroni")
    for doc in bundled_sizes:
        tested = (everything["doc"] == doc) & (everything["count"] >= 3)
        n_tests = int(tested.sum())
        critical = chi2.isf(0.05 / n_tests, 1)
        over = everything[tested & (everything["g2"] > 0)]
        expected = set(over.loc[over["g2"] >= critical, "term"])
        assert set(default.loc[default["doc"] == doc, "term"]) == expected
        assert set(plain.loc[plain["doc"] == doc, "term"]) == set(over.loc[over["g2"] >= chi2.isf(0.05, 1), "term"])
    assert len(plain) > len(default)
    assert (default["p"] < 0.05 / 100).all()


def test_measure_log_ratio_ranks_by_log_ratio(cli):
    frame = run_csv(cli, "keywords", "--measure", "log_ratio")
    for _, part in frame.groupby("doc"):
        assert part["log_ratio"].is_monotonic_decreasing


# --- references ----------------------------------------------------------------------------------


def test_reference_corpus_and_reference_frequency_list_agree(cli, tmp_path):
    against_corpus = run_csv(cli, "keywords", SEOUL, "--reference", KIEP, "--under", "--top", "0")
    assert set(against_corpus["doc"]) == {"(all)"}
    freq = cli("freq", KIEP, "--format", "csv", "-q")
    listing = tmp_path / "kiep-freq.csv"
    listing.write_text(freq.stdout, encoding="utf-8")
    against_list = run_csv(cli, "keywords", SEOUL, "--reference-freq", listing, "--under", "--top", "0")
    pd.testing.assert_frame_equal(against_corpus, against_list)
    seoul_n = csv_frame(cli("freq", SEOUL, "--format", "csv", "-q").stdout)["count"].sum()
    kiep_n = csv_frame(freq.stdout)["count"].sum()
    assert_statistics_match(against_corpus, {"(all)": (float(seoul_n), float(kiep_n))})
    assert "도시" in against_corpus["term"].head(20).tolist()


def test_several_reference_paths_are_one_reference(cli):
    frame = run_csv(cli, "keywords", SEOUL, "--reference", KIEP, "--reference", KIC)
    per_doc = run_csv(cli, "keywords", SEOUL, KIEP, KIC)
    seoul = per_doc[per_doc["doc"].map(name) == SEOUL.name]
    cols = ["term", "count", "ref_count", "g2", "p", "log_ratio"]
    pd.testing.assert_frame_equal(frame[cols].reset_index(drop=True), seoul[cols].reset_index(drop=True))


def test_malformed_reference_frequency_list(cli, tmp_path):
    bad = tmp_path / "words.csv"
    bad.write_text("word,freq\n도시,3\n", encoding="utf-8")
    result = cli("keywords", SEOUL, "--reference-freq", bad)
    assert result.exit_code == 1
    assert str(bad) in result.stderr and "'term,count'" in result.stderr and "word,freq" in result.stderr
    bad.write_text("term,count\n도시,many\n", encoding="utf-8")
    result = cli("keywords", SEOUL, "--reference-freq", bad)
    assert result.exit_code == 1 and "line 2" in result.stderr and "many" in result.stderr
    missing = cli("keywords", SEOUL, "--reference-freq", tmp_path / "nope.csv")
    assert missing.exit_code == 2 and "nope.csv" in missing.stderr


@pytest.mark.parametrize("count", ["1e400", "99999999999999999999999", "inf", "nan", "３", "-1", "2.5"])
def test_reference_counts_that_are_not_whole_or_too_large_are_one_line(cli, tmp_path, count):
    listing = tmp_path / "words.csv"
    listing.write_text(f"term,count\n도시,{count}\n", encoding="utf-8")
    result = cli("keywords", SEOUL, "--reference-freq", listing)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kcorpus: error: reference frequency list {listing} line 2")
    assert result.stderr.count("\n") == 1 and count in result.stderr


def test_reference_count_written_as_a_spreadsheet_float_is_read(cli, tmp_path):
    listing = tmp_path / "words.csv"
    listing.write_text("term,count\n도시,12.0\n협력,3\n", encoding="utf-8")
    from kcorpus.analyses.keyness import read_frequency_list

    table = read_frequency_list(listing)
    assert table.terms == ["도시", "협력"] and table.counts.toarray().tolist() == [[12, 3]]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--reference", str(KIEP), "--reference-freq", "x.csv"], "either --reference or --reference-freq"),
        (["--reference", str(KIEP), "--measure", "tfidf"], "tfidf"),
        (["--measure", "chi2"], "--measure"),
        (["--alpha", "0"], "--alpha"),
        (["--plot", "chart.pdf"], ".png, .svg or .html"),
    ],
)
def test_keywords_usage_errors(cli, args, message):
    result = cli("keywords", SEOUL, *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def test_one_document_needs_a_reference(cli):
    result = cli("keywords", SEOUL)
    assert result.exit_code == 2 and "--reference" in result.stderr


# --- library = CLI, plot -------------------------------------------------------------------------


def test_library_gives_the_cli_numbers(bundled_keywords, shared_cache):
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.analyses.keyness import KeywordOptions, keywords
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(cache_dir=shared_cache))
    counts = count_matrix(corpus, TermFilter.from_options("nouns"), UnitSpec("document", 0, 0))
    library = keywords(counts, options=KeywordOptions()).to_pandas()
    assert list(library.columns) == KEYWORD_COLUMNS
    assert (
        library[["doc", "rank", "term", "count", "ref_count"]].values.tolist()
        == bundled_keywords[["doc", "rank", "term", "count", "ref_count"]].values.tolist()
    )
    for column in ("per_10k", "ref_per_10k", "g2", "p", "log_ratio"):
        np.testing.assert_allclose(library[column], bundled_keywords[column], rtol=1e-15)


def test_keywords_plot_png(cli, tmp_path):
    import matplotlib.image

    from kcorpus.render.plots import keyness_chart_size

    path = tmp_path / "keyness.png"
    result = cli("keywords", "--plot", path, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert "Glyph" not in result.stderr
    image = matplotlib.image.imread(path)
    width, height = keyness_chart_size(3)
    assert image.shape[:2] == (height, width)
    assert image[..., :3].std() > 0.05  # bars and labels, not a blank canvas


count_tables = st.tuples(st.integers(2, 5), st.integers(1, 12)).flatmap(
    lambda shape: st.lists(
        st.lists(st.integers(0, 6), min_size=shape[1], max_size=shape[1]), min_size=shape[0], max_size=shape[0]
    )
)


@given(
    count_tables,
    st.sampled_from(["g2", "log_ratio", "tfidf", "log_odds"]),
    st.integers(1, 3),
    st.sampled_from([0, 1, 3]),
    st.sampled_from([0.05, 0.5, 1.0]),
    st.booleans(),
)
def test_sparse_keywords_equal_the_document_by_document_computation(cells, measure, min_count, top, alpha, bonf):
    """Keywords of each document, computed on nonzero cells only, equal the dense per-document computation."""
    from kcorpus import stats
    from kcorpus.analyses.freq import TermTable
    from kcorpus.analyses.keyness import KeywordOptions, _key_terms, _over_used_per_document

    terms = [f"t{j:02d}" for j in range(len(cells[0]))]
    table = TermTable([f"d{i}" for i in range(len(cells))], terms, sparse.csr_array(np.asarray(cells, dtype=np.int64)))
    options = KeywordOptions(measure=measure, min_count=min_count, top=top, alpha=alpha, bonferroni=bonf)
    pooled = table.term_totals
    assume(pooled.sum() > 0)
    prior = stats.dirichlet_prior(pooled)
    weights = stats.tfidf(table.counts)
    dense = [
        _key_terms(
            doc,
            terms,
            table.counts.take_rows([i]).toarray().ravel(),
            pooled - table.counts.take_rows([i]).toarray().ravel(),
            prior,
            options,
            weights[[i], :].toarray().ravel() if measure == "tfidf" else None,
        ).to_pandas()
        for i, doc in enumerate(table.labels)
    ]
    dense = [frame for frame in dense if len(frame)]
    expected = pd.concat(dense, ignore_index=True) if dense else pd.DataFrame(columns=options.columns)
    from kcorpus.stats import _core

    whole = _core._BLOCK_CELLS
    for block in (whole, 1, 3):  # documents are taken a block of cells at a time: any block size, same rows
        _core._BLOCK_CELLS = block
        try:
            got = _over_used_per_document(table, prior, options, weights if measure == "tfidf" else None).to_pandas()
        finally:
            _core._BLOCK_CELLS = whole
        assert list(got.columns) == list(expected.columns)
        assert len(got) == len(expected)
        if len(got):
            pd.testing.assert_frame_equal(got, expected, check_dtype=False, rtol=1e-12)
