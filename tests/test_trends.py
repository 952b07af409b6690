"""`kcorpus trends`, `keywords --new-only` and the Mann-Kendall test: numbers against counts made by hand."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

import kcorpus as kc
from drops import drop_rows, write_drop
from kcorpus import stats
from kcorpus.io.meta import parse_date
from test_keywords import g2_by_hand
from test_wordlists import csv_frame, run_csv

TREND_COLUMNS = ["term", "period", "period_docs", "count", "per_10k", "docs", "log_ratio", "g2", "p"]
MONTHS = ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]


@pytest.fixture(scope="module")
def rows():
    return drop_rows()


@pytest.fixture(scope="module")
def dated(tmp_path_factory, rows):
    return write_drop(tmp_path_factory.mktemp("drop") / "drop.csv", rows)


def by_hand(rows, term: str) -> dict[str, tuple[int, int, int]]:
    """(documents, occurrences, documents with the term) per month: dates parsed here, the term counted in
    the raw text with str.count (independent of Kiwi and of kcorpus)."""
    out: dict[str, list[int]] = {}
    for row in rows:
        when = parse_date(row["date"])
        assert isinstance(when, date)
        month = f"{when.year}-{when.month:02d}"
        n = row["text"].count(term)
        cell = out.setdefault(month, [0, 0, 0])
        cell[0] += 1
        cell[1] += n
        cell[2] += n > 0
    return {month: (a, b, c) for month, (a, b, c) in out.items()}


def test_trends_counts_equal_a_count_by_hand_and_march_is_a_gap(cli, dated, rows):
    frame = run_csv(cli, "trends", "인공지능", "탄소", dated, "--id-column", "id")
    assert list(frame.columns) == TREND_COLUMNS
    assert frame["term"].tolist() == ["인공지능"] * 6 + ["탄소"] * 6
    assert frame["period"].tolist() == MONTHS * 2
    for term in ("인공지능", "탄소"):
        part = frame[frame["term"] == term].set_index("period")
        for month, (docs_in_month, count, docs) in by_hand(rows, term).items():
            assert (part.loc[month, "period_docs"], part.loc[month, "count"], part.loc[month, "docs"]) == (
                docs_in_month,
                count,
                docs,
            )
        gap = part.loc["2024-03"]
        assert gap["period_docs"] == 0 and gap[["count", "per_10k", "docs", "log_ratio", "g2", "p"]].isna().all()
        assert part.loc["2024-04", ["log_ratio", "g2", "p"]].isna().all()  # no change out of a gap
        assert part.loc["2024-01", ["log_ratio", "g2", "p"]].isna().all()  # nor into the first period


def test_per_10k_and_the_change_from_the_previous_period_by_hand(cli, dated):
    frame = run_csv(cli, "trends", "탄소", dated, "--id-column", "id").set_index("period")
    sizes = run_csv(cli, "freq", dated, "--id-column", "id", "--by", "date:month").groupby("group")["count"].sum()
    for month in ("2024-05", "2024-06"):
        previous = {"2024-05": "2024-04", "2024-06": "2024-05"}[month]
        a, b = frame.loc[month, "count"], frame.loc[previous, "count"]
        n1, n2 = sizes[month], sizes[previous]
        assert frame.loc[month, "per_10k"] == pytest.approx(a * 10_000 / n1)
        ratio = math.log2((max(a, 0.5) / n1) / (max(b, 0.5) / n2))
        assert frame.loc[month, "log_ratio"] == pytest.approx(ratio)
        assert frame.loc[month, "g2"] == pytest.approx(float(g2_by_hand(a, b, n1, n2)), rel=1e-9, abs=1e-9)
        assert frame.loc[month, "p"] == pytest.approx(math.erfc(math.sqrt(abs(frame.loc[month, "g2"]) / 2)))


def test_top_lists_the_terms_rising_in_the_last_period(cli, dated):
    frame = run_csv(cli, "trends", dated, "--id-column", "id", "--top", "5")
    assert list(frame.columns) == [
        "rank",
        "term",
        "period",
        "count",
        "per_10k",
        "before_count",
        "before_per_10k",
        "log_ratio",
        "g2",
        "p",
        "mk_tau",
        "mk_p",
    ]
    assert frame["rank"].tolist() == [1, 2, 3, 4, 5] and set(frame["period"]) == {"2024-06"}
    assert frame["g2"].is_monotonic_decreasing
    # the technology words are written more often every month (drops.py): they lead, with a rising series
    tech = {"인공", "지능", "반도체", "데이터", "클라우드", "로봇", "플랫폼", "보안", "통신"}
    assert frame["term"].iloc[0] in tech and frame["mk_tau"].iloc[0] > 0


def test_trends_columns_are_the_same_in_every_format(cli, dated, tmp_path):
    csv = run_csv(cli, "trends", "탄소", dated, "--id-column", "id")
    result = cli("trends", "탄소", dated, "--id-column", "id", "--format", "json", "--quiet")
    rows = json.loads(result.stdout)
    assert list(rows[0]) == TREND_COLUMNS
    assert rows[2]["count"] is None and rows[2]["period_docs"] == 0  # the gap: null, not 0
    result = cli("trends", "탄소", dated, "--id-column", "id", "-o", tmp_path / "t.xlsx", "--quiet")
    assert result.exit_code == 0
    sheet = pd.read_excel(tmp_path / "t.xlsx")
    assert list(sheet.columns) == TREND_COLUMNS and sheet["count"].isna().sum() == 1 == csv["count"].isna().sum()


def test_trends_plot_and_errors(cli, dated, tmp_path):
    result = cli("trends", "탄소", "인공지능", dated, "--id-column", "id", "--plot", tmp_path / "t.png", "--quiet")
    assert result.exit_code == 0 and (tmp_path / "t.png").stat().st_size > 0
    result = cli("trends", "탄소", dated, "--id-column", "id", "--by", "ministry")
    assert result.exit_code == 2 and "trends need a period" in result.stderr
    result = cli("trends", "탄소", dated, "--id-column", "id", "--top", "3")
    assert result.exit_code == 2 and "give TERMs or --top" in result.stderr


def test_trends_api_equals_the_cli(cli, dated, tmp_path):
    corpus = kc.read_corpus(dated, id_column="id")
    for args, frame in (
        (["탄소", "외교"], kc.trends(corpus, ["탄소", "외교"])),
        (["--top", "4", "--by", "date:quarter"], kc.trends(corpus, top=4, by="date:quarter")),
    ):
        positional = [a for a in args if not a.startswith("--") and a not in ("4", "date:quarter")]
        options = [a for a in args if a not in positional]
        result = cli("trends", *positional, dated, "--id-column", "id", *options, "-o", tmp_path / "cli.csv", "-q")
        assert result.exit_code == 0, result.stderr
        kc.write(frame, tmp_path / "api.csv")
        assert (tmp_path / "cli.csv").read_bytes() == (tmp_path / "api.csv").read_bytes()


def test_mann_kendall_by_hand():
    s, tau, p = stats.mann_kendall([1, 2, 3, 4, 5])
    variance = 5 * 4 * 15 / 18
    assert (s, tau) == (10, 1.0)
    assert p == pytest.approx(math.erfc(((10 - 1) / math.sqrt(variance)) / math.sqrt(2)))
    s, tau, p = stats.mann_kendall([3, 1, 1, np.nan, 2])  # ties (1, 1) and a gap
    pairs = [(3, 1), (3, 1), (3, 2), (1, 1), (1, 2), (1, 2)]
    assert s == sum(np.sign(b - a) for a, b in pairs) == -1
    variance = (4 * 3 * 13 - 2 * 1 * 9) / 18
    assert p == pytest.approx(math.erfc(0 / math.sqrt(variance)))  # S - sign(S) = 0
    assert math.isnan(stats.mann_kendall([1, 2])[2])


def test_keywords_first_seen_and_new_only(cli, dated, tmp_path, rows):
    archive = write_drop(tmp_path / "archive.csv", [r for r in rows if r["date"] and parse_date(r["date"]).month < 4])
    fresh = " 올해 처음 양자암호 시범사업이 시작되었다."
    new = write_drop(
        tmp_path / "new.csv", [dict(r, text=r["text"] + fresh) for r in rows if parse_date(r["date"]).month >= 4]
    )
    frame = run_csv(cli, "keywords", new, "--reference", archive, "--id-column", "id", "--alpha", "1", "--top", "0")
    assert frame.columns[-1] == "first_seen"
    assert (frame["first_seen"] == (frame["ref_count"] == 0)).all()
    only = run_csv(cli, "keywords", new, "--reference", archive, "--id-column", "id", "--new-only", "--alpha", "1")
    assert len(only) and only["first_seen"].all() and (only["ref_count"] == 0).all()
    assert set(only["term"]) <= set(frame.loc[frame["first_seen"], "term"])
    assert {"양자", "암호", "시범"} <= set(only["term"]) or "양자암호" in set(only["term"])
    # under a strict alpha too: a new term is listed for being new, significant or not
    strict = ["--reference", archive, "--id-column", "id", "--top", "0", "--alpha", "1e-12"]
    listed = run_csv(cli, "keywords", new, *strict, "--new-only")
    assert sorted(listed["term"]) == sorted(frame.loc[frame["first_seen"], "term"])
    assert not set(listed["term"]) <= set(run_csv(cli, "keywords", new, *strict)["term"])  # some fail the test
    result = cli("keywords", new, "--new-only")
    assert result.exit_code == 2 and "--new-only needs --reference" in result.stderr


def test_excel_serial_dates_in_a_table(cli, tmp_path, rows):
    changed = [dict(r, date=str((parse_date(r["date"]) - date(1899, 12, 30)).days)) for r in rows]
    path = write_drop(tmp_path / "serial.csv", changed)
    frame = run_csv(cli, "trends", "탄소", path, "--id-column", "id")
    original = write_drop(tmp_path / "original.csv", rows)
    assert frame.equals(run_csv(cli, "trends", "탄소", original, "--id-column", "id"))
    assert csv_frame is not None


def test_top_with_nothing_to_list_says_so(cli, dated):
    result = cli("trends", dated, "--id-column", "id", "--top", "5", "--min-count", "100000", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == []
    assert "no rising term" in result.stderr and "lower --min-count" in result.stderr


def test_a_misspelt_path_is_not_taken_for_a_term(cli, dated, tmp_path):
    missing = tmp_path / "brief.csv"
    result = cli("trends", "인공지능", str(missing), "--id-column", "id")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"kcorpus: error: path {missing} does not exist: check the spelling (terms come first, then paths)"
    )
    result = cli("trends", "인공지능", str(missing), dated, "--id-column", "id")  # before a path that exists too
    assert result.exit_code == 2 and "brief.csv does not exist" in result.stderr
