"""`kcorpus collocates`: window counts and association scores checked against a hand computation."""

from __future__ import annotations

import io
import math

import pandas as pd
import pytest

COLUMNS = ["collocate", "tag", "count", "node_count", "collocate_count", "expected", "mi", "t_score", "log_dice", "g2"]
# Five sentences; nouns only (Kiwi): the test below checks this reading before relying on it.
TEXT = (
    "정부는 경제 협력 정책을 발표했다. 기업은 협력 사업을 확대했다. 협력 기금 지원이 늘었다. "
    "경제 협력 확대가 필요하다. 서울 부산 대구 인천 광주 대전 울산 세종.\n"
)
SENTENCE_NOUNS = [
    ["정부", "경제", "협력", "정책", "발표"],
    ["기업", "협력", "사업", "확대"],
    ["협력", "기금", "지원"],
    ["경제", "협력", "확대", "필요"],
    ["서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종"],
]
SETTINGS = ("--unit", "sentence", "--no-default-stopwords", "--format", "csv", "--quiet")
OPTIONS = (*SETTINGS, "--min-count", "1")


@pytest.fixture
def fixture(tmp_path, cli):
    path = tmp_path / "collocation.txt"
    path.write_text(TEXT, encoding="utf-8")
    tokens = pd.read_csv(
        io.StringIO(
            cli(
                "tokenize", path, "--pos", "nouns", "--unit", "sentence", "--no-default-stopwords", "--format", "csv"
            ).stdout
        )
    )
    assert [list(group["form"]) for _, group in tokens.groupby("unit")] == SENTENCE_NOUNS
    return path


def collocate_table(cli, *args) -> pd.DataFrame:
    result = cli("collocates", *args)
    assert result.exit_code == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    assert list(table.columns) == COLUMNS
    return table


def hand_window_counts(left: int, right: int) -> dict[str, int]:
    """O by hand: the nouns up to `left` before and `right` after each 협력, inside its sentence."""
    counts: dict[str, int] = {}
    for nouns in SENTENCE_NOUNS:
        for position, noun in enumerate(nouns):
            if noun != "협력":
                continue
            for neighbour in nouns[max(0, position - left) : position] + nouns[position + 1 : position + 1 + right]:
                counts[neighbour] = counts.get(neighbour, 0) + 1
    return counts


def hand_g2(o: float, f_node: float, f_coll: float, n: float, span: float) -> float:
    """2 Σ O ln(O/E) over window-vs-rest x collocate-vs-other, signed by over-use in the windows."""
    w = f_node * span
    cells = [[o, f_coll - o], [w - o, n - w - (f_coll - o)]]
    rows = [sum(r) for r in cells]
    cols = [cells[0][j] + cells[1][j] for j in range(2)]
    total = sum(rows)
    g2 = 2 * sum(
        cells[i][j] * math.log(cells[i][j] / (rows[i] * cols[j] / total))
        for i in range(2)
        for j in range(2)
        if cells[i][j] > 0
    )
    return g2 if o / w > (f_coll - o) / (n - w) else -g2


def test_window_counts_and_scores_match_a_hand_computation(cli, fixture):
    table = collocate_table(cli, "협력", fixture, "--window", "2", *OPTIONS).set_index("collocate")
    by_hand = hand_window_counts(2, 2)
    # by hand from SENTENCE_NOUNS: 정부 경제 [협력] 정책 발표 / 기업 [협력] 사업 확대 / [협력] 기금 지원 /
    # 경제 [협력] 확대 필요 — 경제 and 확대 twice, 확대 not counted from sentence 3 (the window stops there)
    assert by_hand == {
        "정부": 1,
        "경제": 2,
        "정책": 1,
        "발표": 1,
        "기업": 1,
        "사업": 1,
        "확대": 2,
        "기금": 1,
        "지원": 1,
        "필요": 1,
    }
    assert table["count"].to_dict() == by_hand
    n, f_node, span = 24, 4, 4  # N = all nouns, f_node = hits of 협력, S = 2 + 2
    economy = table.loc["경제"]
    assert (economy["node_count"], economy["collocate_count"]) == (f_node, 2)
    expected = f_node * 2 * span / n  # E = f_node * f_coll * S / N = 4/3
    assert economy["expected"] == pytest.approx(expected)
    assert economy["mi"] == pytest.approx(math.log2(2 / expected))
    assert economy["t_score"] == pytest.approx((2 - expected) / math.sqrt(2))
    assert economy["log_dice"] == pytest.approx(14 + math.log2(2 * 2 / (f_node + 2)))
    assert economy["g2"] == pytest.approx(hand_g2(2, f_node, 2, n, span))
    fund = table.loc["기금"]  # f_coll 1, O 1
    assert fund["log_dice"] == pytest.approx(14 + math.log2(2 / 5))
    assert "협력" not in table.index and "서울" not in table.index  # the node itself; far from every node


def test_left_and_right_override_the_window(cli, fixture):
    table = collocate_table(cli, "협력", fixture, "--window", "2", "--left", "1", "--right", "0", *OPTIONS)
    assert dict(zip(table["collocate"], table["count"])) == hand_window_counts(1, 0) == {"경제": 2, "기업": 1}
    assert table["expected"].tolist()[0] == pytest.approx(4 * 2 * 1 / 24)  # S = 1 + 0


def test_min_count_and_ranking(cli, fixture):
    table = collocate_table(cli, "협력", fixture, "--window", "2", *SETTINGS, "--min-count", "2")
    assert sorted(table["collocate"]) == ["경제", "확대"]
    for measure in ("log_dice", "mi", "t_score", "g2", "count"):
        ranked = collocate_table(cli, "협력", fixture, "--measure", measure, *OPTIONS)
        assert ranked[measure].is_monotonic_decreasing
    assert cli("collocates", "협력", fixture, "--measure", "dice").exit_code == 2


def test_collocates_on_the_bundled_corpus(cli):
    table = collocate_table(cli, "협력", "--format", "csv", "--quiet")
    assert (table["count"] >= 3).all() and table["log_dice"].is_monotonic_decreasing
    assert set(table["node_count"]) == {135}  # the concordance finds 135 hits of 협력
    assert {"군사", "경제"} <= set(table["collocate"].head(20))
    result = cli("collocates", "없는말", "--format", "csv")
    assert result.exit_code == 1 and "no matches" in result.stderr
