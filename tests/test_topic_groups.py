"""`kcorpus topics --by COLUMN[:PERIOD] --show groups`: shares by hand, bootstrap intervals and their coverage,
a new drop placed on saved topics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kcorpus as kc
from drops import drop_rows, write_drop
from kcorpus.analyses.topics.groups import bootstrap_interval
from test_wordlists import run_csv

COLUMNS = ["group", "topic", "share", "low", "high", "units", "docs"]
FIT = ["--id-column", "id", "--k", "3", "--unit", "document"]


@pytest.fixture(scope="module")
def dated(tmp_path_factory):
    return write_drop(tmp_path_factory.mktemp("drop") / "drop.csv", drop_rows())


@pytest.fixture(scope="module")
def result(dated, shared_cache):  # module-scoped: runs before the autouse cache_env, so name the test cache
    return kc.topics(kc.read_corpus(dated, id_column="id", cache_dir=shared_cache), k=3, unit="document")


def test_group_shares_by_hand(result):
    table = result.by_group("ministry")
    assert list(table.columns) == COLUMNS
    weights, mixture = result.unit_weights, result.mixture
    ministries = pd.Series([m["ministry"] for m in result.counts.meta.to_dict("records")])
    dominant = result.units["topic"]
    for (group, topic), row in table.set_index(["group", "topic"]).iterrows():
        rows = (ministries == group).to_numpy()
        share = (weights[rows] * mixture[rows, topic - 1]).sum() / weights[rows].sum()
        assert row["share"] == pytest.approx(share)
        assert row["units"] == int((dominant[rows] == topic).sum())
        assert row["docs"] == rows.sum() == 10
        assert row["low"] <= row["share"] <= row["high"]
    assert table.groupby("group")["share"].sum().round(9).eq(1).all()


def test_groups_in_time_order_and_a_one_document_group_has_no_spread(result):
    table = result.by_group("date:month")
    assert table["group"].drop_duplicates().tolist() == ["2024-01", "2024-02", "2024-04", "2024-05", "2024-06"]
    single = result.by_group("doc")
    assert single["low"].isna().all() and single["high"].isna().all() and single["share"].notna().all()


def test_bootstrap_coverage_on_a_known_share():
    """Documents with a known topic share 0.3 (Beta(3, 7) per document, sizes 50-500 tokens): the 95% interval of
    30 documents (expanded percentile) covers 0.3 in about 95% of 1000 samples."""
    rng = np.random.default_rng(11)
    covered = 0
    for sample in range(1000):
        weights = rng.integers(50, 500, size=30).astype(float)
        proportion = rng.beta(3, 7, size=30)
        mass = np.column_stack([weights * proportion, weights * (1 - proportion)])
        low, high = bootstrap_interval(mass, weights, seed=sample)
        covered += low[0] <= 0.3 <= high[0]
    assert 0.92 <= covered / 1000 <= 0.97


def test_the_cli_equals_the_api_and_needs_by(cli, dated, result, tmp_path):
    cli_result = cli("topics", dated, *FIT, "--by", "ministry", "--show", "groups", "-o", tmp_path / "c.csv", "-q")
    assert cli_result.exit_code == 0, cli_result.stderr
    kc.write(result.by_group("ministry"), tmp_path / "a.csv")
    assert (tmp_path / "c.csv").read_bytes() == (tmp_path / "a.csv").read_bytes()
    bad = cli("topics", dated, *FIT, "--show", "groups")
    assert bad.exit_code == 2 and "--show groups and --by go together" in bad.stderr


def test_a_new_drop_on_saved_topics(cli, dated, tmp_path):
    saved = cli("topics", dated, *FIT, "--save", tmp_path / "model", "-q")
    assert saved.exit_code == 0, saved.stderr
    new = write_drop(tmp_path / "july.csv", drop_rows(seed=8, months=(7,), per_month=6))
    frame = run_csv(
        cli, "topics", new, "--id-column", "id", "--load", tmp_path / "model", "--by", "date:month", "--show", "groups"
    )
    assert frame[["group", "topic"]].values.tolist() == [["2024-07", 1], ["2024-07", 2], ["2024-07", 3]]
    assert frame["share"].sum() == pytest.approx(1.0)
    plot = cli(
        "topics", dated, *FIT, "--by", "date:month", "--show", "groups", "--plot", tmp_path / "g.svg", "-q", "-f", "csv"
    )
    assert plot.exit_code == 0 and (tmp_path / "g.svg").stat().st_size > 0


def test_notebook_charts_of_topic_groups_and_trends(result, dated, shared_cache):
    fig = kc.plot.topic_groups(result, "date:month")
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 3  # a panel per topic
    first = fig.axes[0].get_lines()[0].get_ydata().tolist()
    shares = result.by_group("date:month")
    assert first == shares.loc[shares["topic"] == 1, "share"].tolist()
    series = kc.trends(kc.read_corpus(dated, id_column="id", cache_dir=shared_cache), ["탄소"])
    line = kc.plot.trends(series).axes[0].get_lines()[0]
    np.testing.assert_array_equal(line.get_ydata(), series["per_10k"].astype(float).to_numpy())
