"""`kcorpus compare`: long and wide columns, groups from CSV metadata and folders, statistics, library = CLI."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import chi2, chi2_contingency

from test_keywords import g2_by_hand, log_odds_z_by_hand
from test_wordlists import TINY, csv_frame, run_csv, write_tiny

from conftest import KIEP, SEOUL

LONG_COLUMNS = ["term", "group", "count", "per_10k", "g2", "p", "log_ratio", "log_odds_z"]

# Nouns per row (checked with `kcorpus tokenize --pos nouns`):
# x: 사과 배 | 사과 주스   y: 포도 배 | 포도 농장 포도
TABLE = (
    "text,group,year\n사과와 배를 샀다.,x,2020\n사과 주스를 마셨다.,x,2021\n"
    "포도와 배를 먹었다.,y,2020\n포도 농장의 포도.,y,2021\n"
)


@pytest.fixture(scope="module")
def table_source(tmp_path_factory):
    path = tmp_path_factory.mktemp("table") / "reports.csv"
    path.write_text(TABLE, encoding="utf-8")
    return path


def test_compare_long_columns_and_groups_from_csv_metadata(cli, table_source):
    frame = run_csv(cli, "compare", table_source, "--by", "group", "--min-count", "1")
    assert list(frame.columns) == LONG_COLUMNS
    assert set(frame["group"]) == {"x", "y"}
    counts = frame.pivot(index="term", columns="group", values="count")
    assert counts.to_dict("index") == {
        "사과": {"x": 2, "y": 0},
        "배": {"x": 1, "y": 1},
        "주스": {"x": 1, "y": 0},
        "포도": {"x": 0, "y": 3},
        "농장": {"x": 0, "y": 1},
    }


def test_two_groups_by_hand(cli, table_source):
    frame = run_csv(cli, "compare", table_source, "--by", "group", "--min-count", "1")
    row = frame[(frame["term"] == "포도") & (frame["group"] == "y")].iloc[0]
    # 포도: 3 of y's 5 terms against 0 of x's 4
    assert row["per_10k"] == pytest.approx(6000.0, rel=1e-12)
    g2, p, _, _ = chi2_contingency([[3, 0], [2, 4]], correction=False, lambda_="log-likelihood")
    assert row["g2"] == pytest.approx(g2, rel=1e-9) and row["p"] == pytest.approx(p, rel=1e-9)
    assert row["log_ratio"] == pytest.approx(math.log2((3 / 5) / (0.5 / 4)), rel=1e-12)
    # alpha = 1% of the pooled counts: 포도 0.03, alpha0 = 0.09
    alpha, alpha0 = 0.03, 0.09
    delta = math.log((3 + alpha) / (5 + alpha0 - 3 - alpha)) - math.log(alpha / (4 + alpha0 - alpha))
    assert row["log_odds_z"] == pytest.approx(delta / math.sqrt(1 / (3 + alpha) + 1 / alpha), rel=1e-9)
    # with two groups, x against y is the mirror image of y against x
    mirror = frame[(frame["term"] == "포도") & (frame["group"] == "x")].iloc[0]
    assert mirror["g2"] == -row["g2"] and mirror["p"] == row["p"]
    assert mirror["log_odds_z"] == pytest.approx(-row["log_odds_z"], rel=1e-12)


def test_rows_ranked_by_absolute_g2(cli, table_source):
    frame = run_csv(cli, "compare", table_source, "--by", "group", "--min-count", "1")
    assert frame["g2"].abs().is_monotonic_decreasing
    assert frame["term"].tolist()[:2] == ["포도", "포도"] and frame["group"].tolist()[:2] == ["x", "y"]


def test_wide_format(cli, table_source):
    frame = run_csv(cli, "compare", table_source, "--by", "group", "--min-count", "1", "--wide")
    assert list(frame.columns) == [
        "term",
        "count:x",
        "count:y",
        "per_10k:x",
        "per_10k:y",
        "g2:x",  # the header names the group a positive score favours
        "p",
        "log_ratio:x",
        "log_odds_z:x",
    ]
    assert frame["term"].tolist()[0] == "포도"
    long = run_csv(cli, "compare", table_source, "--by", "group", "--min-count", "1")
    x_rows = long[long["group"] == "x"].set_index("term")
    for row in frame.to_dict("records"):
        assert row["count:x"] == x_rows.loc[row["term"], "count"]
        for name in ("g2", "log_ratio", "log_odds_z"):  # scores are the first group's against the second
            assert row[f"{name}:x"] == x_rows.loc[row["term"], name]
        assert row["p"] == x_rows.loc[row["term"], "p"]
    assert frame["g2:x"].abs().is_monotonic_decreasing
    favoured = frame[frame["g2:x"] > 0]
    assert len(favoured) and (favoured["per_10k:x"] > favoured["per_10k:y"]).all()  # positive: more frequent in x


def test_wide_help_says_what_the_score_columns_mean(cli):
    result = cli("compare", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for phrase in ("g2:<first>", "the first group against the second", "g2:<group>", "against the rest"):
        assert phrase in text


def test_more_than_two_groups_each_against_the_rest(cli, tmp_path):
    paths = write_tiny(tmp_path / "tiny")
    frame = run_csv(cli, "compare", *paths, "--min-count", "1")
    frame["group"] = frame["group"].map(lambda d: d.rsplit("/", 1)[-1])
    assert set(frame["group"]) == set(TINY)
    row = frame[(frame["term"] == "사과") & (frame["group"] == "a.txt")].iloc[0]
    assert row["count"] == 3 and row["g2"] == pytest.approx(g2_by_hand(3, 1, 5, 9), rel=1e-9)
    wide = run_csv(cli, "compare", *paths, "--min-count", "1", "--wide")
    assert [c for c in wide.columns if c.startswith("g2:")] == [f"g2:{p}" for p in paths]
    assert len(wide.columns) == 1 + 3 * 6


def test_by_folder(cli, tmp_path):
    for folder, name in (("left", "a.txt"), ("left", "b.txt"), ("right", "c.txt")):
        (tmp_path / "corpus" / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / "corpus" / folder / name).write_text(TINY[name], encoding="utf-8")
    frame = run_csv(cli, "compare", tmp_path / "corpus", "--by", "folder", "--min-count", "1")
    assert set(frame["group"]) == {"left", "right"}
    counts = frame[frame["term"] == "포도"].set_index("group")["count"].to_dict()
    assert counts == {"left": 1, "right": 3}


def test_unknown_by_lists_the_metadata_columns(cli, table_source):
    result = cli("compare", table_source, "--by", "region")
    assert result.exit_code == 2
    assert "region" in result.stderr and "doc, file, folder, group, year" in result.stderr


def test_one_group_is_a_usage_error(cli, table_source):
    result = cli("compare", table_source, "--by", "file")
    assert result.exit_code == 2 and "at least two groups" in result.stderr


def test_every_bundled_statistic_matches_an_independent_computation(cli):
    frame = run_csv(cli, "compare", SEOUL, KIEP, "--min-count", "5")
    totals = (
        csv_frame(cli("freq", SEOUL, KIEP, "--by", "doc", "--format", "csv", "-q").stdout).groupby("doc")["count"].sum()
    )
    n1 = frame["group"].map(totals).to_numpy(float)
    n2 = totals.sum() - n1
    a = frame["count"].to_numpy(float)
    pooled = frame.groupby("term")["count"].transform("sum").to_numpy(float)
    b = pooled - a
    assert (pooled >= 5).all()
    g2 = g2_by_hand(a, b, n1, n2)
    np.testing.assert_allclose(frame["g2"], g2, rtol=1e-9)
    np.testing.assert_allclose(frame["p"], chi2.sf(np.abs(g2), 1), rtol=1e-9)
    np.testing.assert_allclose(frame["per_10k"], a / n1 * 1e4, rtol=1e-12)
    la, lb = np.where(a == 0, 0.5, a), np.where(b == 0, 0.5, b)
    np.testing.assert_allclose(frame["log_ratio"], np.log2((la / n1) / (lb / n2)), rtol=1e-9)
    np.testing.assert_allclose(
        frame["log_odds_z"], log_odds_z_by_hand(a, b, n1, n2, a, b, 0.01 * totals.sum()), rtol=1e-9
    )
    assert frame["g2"].abs().is_monotonic_decreasing


def test_top_keeps_the_strongest_terms(cli):
    frame = run_csv(cli, "compare", SEOUL, KIEP, "--top", "5")
    assert frame["term"].nunique() == 5 and len(frame) == 10
    assert frame["term"].iloc[0] == "북한"


def test_library_gives_the_cli_numbers(cli, table_source):
    from kcorpus.analyses.compare import compare
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(paths=(str(table_source),)))
    counts = count_matrix(corpus, TermFilter.from_options("nouns"), UnitSpec("document", 0, 0))
    for wide in (False, True):
        library = compare(counts, "group", min_count=1, wide=wide)
        args = ["--wide"] if wide else []
        cli_frame = run_csv(cli, "compare", table_source, "--by", "group", "--min-count", "1", *args)
        pd.testing.assert_frame_equal(library.reset_index(drop=True), cli_frame, check_dtype=False, rtol=1e-15)


def test_compare_plot_svg(cli, table_source, tmp_path):
    path = tmp_path / "groups.svg"
    result = cli(
        "compare", table_source, "--by", "group", "--min-count", "1", "--wide", "--plot", path, "--format", "csv"
    )
    assert result.exit_code == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
