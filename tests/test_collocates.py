"""`kcorpus collocates`: window counts and association scores checked against a hand computation.

The count is taken on the union of the node windows (each term once), so the 2×2 table
[[O, C − O], [f_coll − O, N − C − (f_coll − O)]] is a valid table: checked by hand, on random documents
(Hypothesis, against a brute-force union of windows) and on the bundled corpus.
"""

from __future__ import annotations

import io
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

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
    """O by hand: the nouns up to `left` before and `right` after each 협력, inside its sentence (one 협력
    per sentence here, so no two windows overlap)."""
    counts: dict[str, int] = {}
    for nouns in SENTENCE_NOUNS:
        for position, noun in enumerate(nouns):
            if noun != "협력":
                continue
            for neighbour in nouns[max(0, position - left) : position] + nouns[position + 1 : position + 1 + right]:
                counts[neighbour] = counts.get(neighbour, 0) + 1
    return counts


def hand_cells(o: int, f_coll: int, covered: int, n: int) -> list[list[int]]:
    """Covered / not covered × the collocate / another term."""
    return [[o, covered - o], [f_coll - o, n - covered - (f_coll - o)]]


def hand_g2(o: int, f_coll: int, covered: int, n: int) -> float:
    """2 Σ O ln(O/E) over the cells, + when the collocate is more frequent inside the covered span."""
    cells = hand_cells(o, f_coll, covered, n)
    rows = [sum(r) for r in cells]
    cols = [cells[0][j] + cells[1][j] for j in range(2)]
    total = sum(rows)
    g2 = 2 * sum(
        cells[i][j] * math.log(cells[i][j] / (rows[i] * cols[j] / total))
        for i in range(2)
        for j in range(2)
        if cells[i][j] > 0
    )
    inside, outside = o / covered, (f_coll - o) / (n - covered) if n > covered else 0.0
    return g2 if inside > outside else -g2 if inside < outside else 0.0


def hand_scores(o: int, f_node: int, f_coll: int, covered: int, n: int) -> dict[str, float]:
    expected = f_coll * covered / n
    return {
        "expected": expected,
        "mi": math.log2(o / expected),
        "t_score": (o - expected) / math.sqrt(o),
        "log_dice": 14 + math.log2(2 * o / (f_node + f_coll)),
        "g2": hand_g2(o, f_coll, covered, n),
    }


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
    # N = all nouns, f_node = hits of 협력, C = the nouns the windows cover: 4 + 3 + 2 + 3
    n, f_node, covered = 24, 4, 12
    assert covered == sum(by_hand.values())
    economy = table.loc["경제"]
    assert (economy["node_count"], economy["collocate_count"]) == (f_node, 2)
    assert economy["expected"] == pytest.approx(2 * covered / n)  # E = f_coll * C / N = 1
    assert economy["mi"] == pytest.approx(math.log2(2 / 1))
    assert economy["t_score"] == pytest.approx((2 - 1) / math.sqrt(2))
    assert economy["log_dice"] == pytest.approx(14 + math.log2(2 * 2 / (f_node + 2)))
    assert economy["g2"] == pytest.approx(hand_g2(2, 2, covered, n))
    # the table [[2, 10], [0, 12]] as scipy computes it
    assert economy["g2"] == pytest.approx(
        chi2_contingency([[2, 10], [0, 12]], correction=False, lambda_="log-likelihood")[0]
    )
    for term, row in table.iterrows():
        assert row[["expected", "mi", "t_score", "log_dice", "g2"]].to_dict() == pytest.approx(
            hand_scores(by_hand[term], f_node, row["collocate_count"], covered, n)
        )
    fund = table.loc["기금"]  # f_coll 1, O 1
    assert fund["log_dice"] == pytest.approx(14 + math.log2(2 / 5))
    assert "협력" not in table.index and "서울" not in table.index  # the node itself; far from every node


def test_left_and_right_override_the_window(cli, fixture):
    table = collocate_table(cli, "협력", fixture, "--window", "2", "--left", "1", "--right", "0", *OPTIONS)
    assert dict(zip(table["collocate"], table["count"])) == hand_window_counts(1, 0) == {"경제": 2, "기업": 1}
    assert table["expected"].tolist()[0] == pytest.approx(2 * 3 / 24)  # C = 3 (경제, 기업, 경제), E = f_coll * C / N


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


# ---------------------------------------------------------------------------------------------- overlap

# Three 협력 two nouns apart: with --window 2 the windows overlap (군사 and 외교 sit in two windows each).
OVERLAP = "정부는 경제 협력과 군사 협력과 외교 협력을 논의했다.\n"
OVERLAP_NOUNS = ["정부", "경제", "협력", "군사", "협력", "외교", "협력", "논의"]


def test_a_term_in_overlapping_windows_counts_once(cli, tmp_path):
    path = tmp_path / "overlap.txt"
    path.write_text(OVERLAP, encoding="utf-8")
    tokens = pd.read_csv(io.StringIO(cli("tokenize", path, "--pos", "nouns", *SETTINGS[:-1]).stdout))
    assert list(tokens["form"]) == OVERLAP_NOUNS
    table = collocate_table(cli, "협력", path, "--window", "2", *OPTIONS).set_index("collocate")
    # each of the 5 other nouns is covered once; 협력 (the node) is neither a row nor part of C
    assert table["count"].to_dict() == {"정부": 1, "경제": 1, "군사": 1, "외교": 1, "논의": 1}
    n, covered = 8, 5
    for _, row in table.iterrows():
        assert row[["expected", "mi", "t_score", "log_dice", "g2"]].to_dict() == pytest.approx(
            hand_scores(1, 3, 1, covered, n)
        )
    # --include-node: each 협력 lies in another hit's window, so all 8 nouns are covered, 협력 3 times
    table = collocate_table(cli, "협력", path, "--window", "2", "--include-node", *OPTIONS).set_index("collocate")
    assert table.loc["협력", "count"] == 3 and table.loc["군사", "count"] == 1
    assert table["expected"].to_dict() == pytest.approx({t: f for t, f in table["collocate_count"].items()})  # C = N


def test_the_covered_table_functions():
    from kcorpus.stats.association import collocation_expected_covered, collocation_g2_covered

    o, f_coll, covered, n = 12, 80, 400, 10_000
    assert collocation_expected_covered(f_coll, covered, n) == pytest.approx(3.2)
    table = [[12, 388], [68, 9532]]
    assert collocation_g2_covered(o, f_coll, covered, n) == pytest.approx(
        chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    )
    assert collocation_g2_covered(1, f_coll, covered, n) < 0  # rarer inside than outside
    got = collocation_g2_covered(np.array([0, 3]), np.array([4, 3]), 40, 1000)
    assert got.shape == (2,) and got[0] < 0 and got[1] == pytest.approx(hand_g2(3, 3, 40, 1000))
    for impossible in ((5, 4, 40, 1000), (5, 10, 4, 1000), (1, 10, 995, 1000), (1, 2, 2000, 1000)):
        with pytest.raises(ValueError):
            collocation_g2_covered(*impossible)  # a negative cell is an error, never clipped


# ---------------------------------------------------------------------------------------------- property

NODE = "협력"
WORDS = (NODE, "경제", "군사", "외교", "북")
TAGS = ("NNG", "NNP", "JKS")  # NNG and NNP are one term class (NN); JKS is no term under --pos nouns


@st.composite
def documents(draw):
    """Random analysed documents (token tables and a one-paragraph text), with the hits of a query."""
    from kcorpus.clean import CleanedText
    from kcorpus.nlp.tokens import DocTokens

    docs, hits = [], []
    random_spans = draw(st.booleans())  # hits at every 협력 (a morpheme query), or random token spans
    for number in range(draw(st.integers(1, 3))):
        tokens = draw(
            st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(TAGS), st.integers(0, 3)), max_size=25)
        )
        tokens.sort(key=lambda token: token[2])  # sentence numbers in document order
        strings = list(dict.fromkeys([*WORDS, *TAGS]))
        text = " ".join(word for word, _, _ in tokens)
        start = np.cumsum([0] + [len(word) + 1 for word, _, _ in tokens])[: len(tokens)]
        arrays = {
            "form": [strings.index(word) for word, _, _ in tokens],
            "tag": [strings.index(tag) for _, tag, _ in tokens],
            "lemma": [-1] * len(tokens),
            "start": start,
            "end": start + np.array([len(word) for word, _, _ in tokens], dtype=np.int64),
            "paragraph": [0] * len(tokens),
            "sentence": [sentence for _, _, sentence in tokens],
        }
        cleaned = CleanedText(text, ((0, len(text)),), (0,), (1,), {})
        docs.append(SimpleNamespace(tokens=DocTokens.from_arrays(strings, arrays), cleaned=cleaned))
        if random_spans and tokens:
            for first in sorted(draw(st.sets(st.integers(0, len(tokens) - 1), max_size=4))):
                last = min(len(tokens) - 1, first + draw(st.integers(0, 1)))
                hits.append(SimpleNamespace(doc=number, first=first, last=last))
        else:
            hits += [SimpleNamespace(doc=number, first=i, last=i) for i, token in enumerate(tokens) if token[0] == NODE]
    return docs, tokens_of(docs), hits


def tokens_of(docs) -> list[list[tuple[str, str, int]]]:
    return [
        [
            (d.tokens.strings[f], d.tokens.strings[t], s)
            for f, t, s in zip(d.tokens.form, d.tokens.tag, d.tokens.sentence)
        ]
        for d in docs
    ]


def brute_force(tokens, hits, left: int, right: int, include_node: bool):
    """O per term, C and N by the definition, with sets: the union of the windows, each term once."""
    n = 0
    covered_terms: list[tuple[str, str]] = []
    node_terms: set[tuple[str, str]] = set()
    for number, doc in enumerate(tokens):
        terms = [(i, (word, "NN"), sentence) for i, (word, tag, sentence) in enumerate(doc) if tag != "JKS"]
        n += len(terms)
        covered: set[int] = set()  # positions in `terms`
        for hit in (h for h in hits if h.doc == number):
            own = [k for k, (i, _, _) in enumerate(terms) if hit.first <= i <= hit.last]
            node_terms |= {terms[k][1] for k in own}
            before = [k for k, (i, _, _) in enumerate(terms) if i < hit.first][-left:] if left else []
            after = [k for k, (i, _, _) in enumerate(terms) if i > hit.last][:right]
            covered |= {k for k in before + after if terms[k][2] == doc[hit.first][2]}
        covered_terms += [terms[k][1] for k in covered]
    if not include_node:
        covered_terms = [term for term in covered_terms if term not in node_terms]
    counts: dict[tuple[str, str], int] = {}
    for term in covered_terms:
        counts[term] = counts.get(term, 0) + 1
    return counts, len(covered_terms), n


@settings(max_examples=300, deadline=None)
@given(
    data=documents(),
    left=st.integers(0, 3),
    right=st.integers(0, 3),
    include_node=st.booleans(),
)
def test_the_table_is_valid_on_random_documents(data, left, right, include_node):
    from kcorpus.analyses import collocates as colloc
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec

    if left + right == 0:
        left = 1
    docs, tokens, hits = data
    window = colloc.Window(left, right)
    table = colloc.collocates(
        docs, hits, TermFilter(), UnitSpec("sentence"), window, min_count=1, include_node=include_node
    ).to_pandas()
    counts, covered, n = brute_force(tokens, hits, left, right, include_node)
    assert dict(zip(zip(table["collocate"], table["tag"]), table["count"])) == counts
    counted = colloc.window_counts(docs, hits, TermFilter(), UnitSpec("sentence"), window, include_node=include_node)
    assert (counted.covered, counted.total) == (covered, n)
    f_node = len(hits)
    for row in table.itertuples():
        o, f_coll = row.count, row.collocate_count
        assert row.node_count == f_node
        assert o >= 1 and o <= f_coll and o <= f_node * window.span and o <= covered
        assert all(cell >= 0 for line in hand_cells(o, f_coll, covered, n) for cell in line)
        assert {m: getattr(row, m) for m in ("expected", "mi", "t_score", "log_dice", "g2")} == pytest.approx(
            hand_scores(o, f_node, f_coll, covered, n), rel=1e-9, abs=1e-9
        )


# ---------------------------------------------------------------------------------------------- bundled corpus


def test_no_collocate_is_counted_more_often_than_it_occurs(cli):
    # issue 16: with overlapping windows counted twice, 9 of 103 rows of `collocates 협력` had O > f_coll
    # (지양: 1 occurrence counted 3 times; 군사: 38 of 37)
    table = collocate_table(cli, "협력", "--format", "csv", "--quiet", "--min-count", "1").set_index("collocate")
    assert (table["count"] <= table["collocate_count"]).all()
    assert table.loc["지양", ["count", "collocate_count"]].tolist() == [1, 1]
    assert table.loc["군사", "count"] <= table.loc["군사", "collocate_count"] == 37
    assert NODE not in table.index
    default = collocate_table(cli, "협력", "--format", "csv", "--quiet")
    assert (default["count"] > default["collocate_count"]).sum() == 0
    with_node = collocate_table(cli, "협력", "--include-node", "--format", "csv", "--quiet").set_index("collocate")
    assert 0 < with_node.loc[NODE, "count"] <= 135
    assert (with_node["count"] <= with_node["collocate_count"]).all()
