"""`kcorpus concordance`: morpheme, lemma, phrase and tag queries, source lines, context, sorting,
sampling, formula escaping, exit codes and the dispersion plot."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from rich.cells import cell_len

from conftest import KIEP, SEOUL

COLUMNS = ["doc", "page", "line", "left", "match", "right"]
WRAPPED = (
    "코로나19 팬데믹은 인간\n"
    "안보 문제를 드러냈다.\n"
    "\n"
    "세계는 인간 안보를 논의한다. 인간안보는 중요하다.\n"
    "그는 친구를 도왔다. 서로 돕는 사회다.\n"
    "정부는 협력을 강화했다. 협력하여 규제를 강화하는 중이다.\n"
)


def frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), keep_default_na=False, dtype={"left": str, "match": str, "right": str})


def lines_of(cli, *args) -> pd.DataFrame:
    result = cli("concordance", *args, "--format", "csv", "--quiet")
    assert result.exit_code == 0, result.stderr
    table = frame(result.stdout)
    assert list(table.columns) == COLUMNS
    return table


def compact(text: str) -> str:
    return re.sub(r"\s", "", text)


@pytest.fixture
def wrapped(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(WRAPPED, encoding="utf-8")
    return path


# --- hit counts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path, query, expected", [(SEOUL, "인간안보", 18), (KIEP, "대북제재", 17)])
def test_hit_counts_match_an_independent_count_of_the_raw_text(cli, path, query, expected):
    # independent count: the raw file with every whitespace removed, so words broken by wraps count too
    assert compact(path.read_text(encoding="utf-8")).count(query) == expected
    table = lines_of(cli, query, path)
    assert len(table) == expected
    assert set(table["doc"]) == {path.name}
    assert {compact(m) for m in table["match"]} == {query}


def test_spacing_in_the_query_does_not_matter(cli):
    together = lines_of(cli, "인간안보", SEOUL)
    apart = lines_of(cli, "인간 안보", SEOUL)
    pd.testing.assert_frame_equal(together, apart)


def test_a_term_matches_the_noun_inside_longer_words(cli):
    table = lines_of(cli, "협력", "--width", "3")
    assert set(table["match"]) == {"협력"}
    words = {(match + right)[:3] for match, right in zip(table["match"], table["right"])}
    assert {"협력을", "협력하", "협력적"} <= words


def test_line_points_at_the_source_line_of_each_hit(cli):
    for path, query in ((SEOUL, "인간안보"), (KIEP, "대북제재")):
        raw = path.read_text(encoding="utf-8").splitlines()
        table = lines_of(cli, query, path)
        for line in table["line"]:
            here = compact(raw[line - 1])
            if query in here:
                continue
            # a hit broken across a wrap: its start ends this line and the rest follows on the next lines
            assert any(here.endswith(query[:k]) for k in range(1, len(query))), (line, raw[line - 1])
            assert query in compact("".join(raw[line - 1 : line + 3])), line


# --- query forms ---------------------------------------------------------------------------------


def test_phrase_matches_across_a_line_wrap_and_any_spacing(cli, wrapped):
    for query in ("인간 안보", "인간안보"):
        table = lines_of(cli, query, wrapped, "--width", "6")
        assert table["line"].tolist() == [1, 4, 4]
        assert table["match"].tolist() == ["인간 안보", "인간 안보", "인간안보"]  # the wrap shown as a space


def test_lemma_queries_match_inflected_forms(cli, wrapped):
    assert lines_of(cli, "돕다", wrapped)["match"].tolist() == ["도왔다", "돕는"]
    assert lines_of(cli, "강화하다", wrapped)["match"].tolist() == ["강화했다", "강화하는"]
    # an inflected query is respelled by Kiwi (했다 → 하+었+다) and finds that form only
    assert lines_of(cli, "강화했다", wrapped)["match"].tolist() == ["강화했다"]


def test_lemma_search_on_the_bundled_corpus(cli):
    table = lines_of(cli, "강화하다")
    assert len(table) >= 5
    assert all(m.startswith("강화") and len(m) > 2 for m in table["match"])
    assert "강화했다" in {m[:4] for m in table["match"]} and "강화하는" in set(table["match"])


def test_tag_filters(cli, wrapped):
    assert len(lines_of(cli, "협력/NNG", wrapped)) == 2
    assert len(lines_of(cli, "협력/NN", wrapped)) == 2
    assert len(lines_of(cli, "협력", wrapped, "--pos", "NNG")) == 2
    result = cli("concordance", "협력/VV", wrapped, "--format", "csv")
    assert result.exit_code == 1
    result = cli("concordance", "협력/XYZ", wrapped, "--format", "csv")
    assert result.exit_code == 2 and "XYZ" in result.stderr


def test_regex_and_surface_modes(cli, wrapped):
    assert lines_of(cli, "^강화", wrapped, "--regex")["match"].tolist() == ["강화", "강화"]
    # surface: the cleaned text as written; the wrapped 인간/안보 is not one string there
    surface = lines_of(cli, "인간안보", wrapped, "--surface")
    assert surface["match"].tolist() == ["인간안보"] and surface["line"].tolist() == [4]
    assert len(lines_of(cli, "인간 안보", wrapped, "--surface")) == 2


def test_malformed_regex_is_a_usage_error(cli, wrapped):
    result = cli("concordance", "협력[", wrapped, "--regex")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "--regex" in result.stderr and "Traceback" not in result.stderr


def test_no_match_exits_1_with_a_message(cli, wrapped):
    result = cli("concordance", "없는말", wrapped, "--format", "csv")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == "kcorpus: no matches for '없는말'"
    assert "1 when nothing matched" in " ".join(cli("concordance", "--help").stdout.split())


# --- context -------------------------------------------------------------------------------------


def test_width_counts_characters_of_cleaned_text(cli):
    table = lines_of(cli, "인간안보", SEOUL, "--width", "10")
    assert all(len(left) <= 10 and len(right) <= 10 for left, right in zip(table["left"], table["right"]))
    assert max(len(left) for left in table["left"]) >= 9
    assert not any("\n" in text for text in table["left"].tolist() + table["right"].tolist())


def test_tokens_and_sentence_context(cli, wrapped):
    table = lines_of(cli, "협력", wrapped, "--tokens", "1")
    assert table["left"].tolist()[0] == "는 " and table["right"].tolist()[0] == "을"
    table = lines_of(cli, "도왔다", wrapped, "--sentence")
    assert table["left"].tolist() == ["그는 친구를 "] and table["right"].tolist() == ["."]


# --- order, limit, sample ------------------------------------------------------------------------


def test_sort_orders(cli):
    by_doc = lines_of(cli, "협력")
    docs = by_doc["doc"].tolist()
    assert docs == sorted(docs, key=lambda d: list(dict.fromkeys(docs)).index(d))
    for _, part in by_doc.groupby("doc", sort=False):
        assert part["line"].is_monotonic_increasing  # source order, even where cleaning moved footnotes
    left = lines_of(cli, "협력", "--sort", "left")["left"].tolist()
    keys = [list(reversed(text.split())) for text in left]
    assert keys == sorted(keys) and left != by_doc["left"].tolist()
    right = lines_of(cli, "협력", "--sort", "right")["right"].tolist()
    assert [t.split() for t in right] == sorted(t.split() for t in right)
    matches = lines_of(cli, "강화하다", "--sort", "match")["match"].tolist()
    assert matches == sorted(matches) and len(set(matches)) > 1
    assert sorted(map(tuple, by_doc.values.tolist())) == sorted(
        map(tuple, lines_of(cli, "협력", "--sort", "left").values.tolist())
    )
    assert cli("concordance", "협력", "--sort", "size").exit_code == 2


def test_limit_and_deterministic_sample(cli):
    everything = lines_of(cli, "협력")
    assert lines_of(cli, "협력", "--limit", "7").equals(everything.head(7))
    assert lines_of(cli, "협력", "--limit", "0").equals(everything)  # 0: all, as --top 0
    first = lines_of(cli, "협력", "--sample", "10", "--seed", "3")
    again = lines_of(cli, "협력", "--sample", "10", "--seed", "3")
    other = lines_of(cli, "협력", "--sample", "10", "--seed", "4")
    assert len(first) == 10 and first.equals(again) and not first.equals(other)
    rows = set(map(tuple, everything.values.tolist()))
    assert set(map(tuple, first.values.tolist())) <= rows


# --- output --------------------------------------------------------------------------------------


def test_formula_like_context_is_escaped(cli, tmp_path):
    # each source line is its own file, so every left context starts at the line's first character
    folder = tmp_path / "formulas"
    folder.mkdir()
    (folder / "a.txt").write_text('=HYPERLINK("http://x.kr","협력")\n', encoding="utf-8")
    (folder / "b.txt").write_text("-협력-기반\n", encoding="utf-8")
    (folder / "c.txt").write_text("@협력 +강화\n", encoding="utf-8")
    result = cli("concordance", "협력", folder, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = frame(result.stdout)
    assert table["left"].tolist() == ['\'=HYPERLINK("http://x.kr","', "'-", "'@"]
    assert table["right"].tolist()[1] == "'-기반"
    cells = table["left"].tolist() + table["match"].tolist() + table["right"].tolist()
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    raw = frame(cli("concordance", "협력", folder, "--format", "csv", "--no-escape-formulas").stdout)
    assert raw["left"].tolist()[0].startswith("=HYPERLINK(")


def test_table_lines_up_the_matches(cli, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    result = cli("concordance", "인간안보", SEOUL, "--format", "table", "--quiet")
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "seoul" in line]
    assert len(rows) == 18
    columns = {cell_len(row[: row.index("│ 인간")]) for row in rows}
    assert len(columns) == 1  # every match starts in the same display column


def test_dispersion_plot(cli, tmp_path):
    from kcorpus.analyses.concordance import dispersion, find_hits
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    plot = tmp_path / "dispersion.png"
    result = cli("concordance", "인간안보", "--plot", plot, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    documents = load_corpus(CorpusOptions()).documents
    table = dispersion(documents, find_hits(documents, "인간안보"))
    seoul = table[table["doc"] == SEOUL.name].iloc[0]
    assert seoul["hits"] == 18 and len(seoul["positions"]) == 18
    assert seoul["per_10k"] == pytest.approx(18 / seoul["tokens"] * 10_000)
    assert all(0 <= p < 1 for p in seoul["positions"]) and list(seoul["positions"]) == sorted(seoul["positions"])
    assert table["hits"].sum() == 18
    assert cli("concordance", "인간안보", "--plot", tmp_path / "x.gif").exit_code == 2


def test_table_lines_up_the_matches_in_one_display_column(cli):
    from rich.cells import cell_len

    result = cli("concordance", "인간안보", SEOUL, "--width", "12", "--format", "table")
    assert result.exit_code == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if "인간안보" in line]
    assert len(rows) == 18
    starts = {cell_len(row[: row.index("인간안보")]) for row in rows}
    assert len(starts) == 1  # wide Hangul measured as two cells, left contexts right-justified


def test_a_stored_document_is_decoded_once_for_its_hits_and_lines(tmp_path, monkeypatch):
    """Lines are cut while a document's hits are found, so a warm concordance decodes each document that
    holds the query once (not once for the hits and again for the lines, more documents than the store
    reader keeps decoded), with the same lines as from hits found first."""
    from kcorpus.analyses.concordance import concordance, find_hits
    from kcorpus.pipeline.cache import TokenCache
    from kcorpus.pipeline.content import StoreReader
    from test_cache import load

    docs, cache = tmp_path / "docs", tmp_path / "cache"
    docs.mkdir()
    for n in range(StoreReader.KEEP + 3):
        (docs / f"d{n}.txt").write_text(f"{n}번째 문서에서도 남북 협력이 논의되었다.\n", encoding="utf-8")
    load(docs, cache)
    warm = load(docs, cache)
    decoded = []
    real = TokenCache.get
    monkeypatch.setattr(
        TokenCache, "get", lambda self, key, label="", where=None: decoded.append(key) or real(self, key, label, where)
    )
    lines = concordance(warm.documents, "협력")
    assert len(decoded) == len(warm.documents) == len(lines) == StoreReader.KEEP + 3
    assert lines.values("match") == ["협력"] * len(lines)
    given = concordance(warm.documents, "협력", hits=find_hits(warm.documents, "협력"))
    assert [given.values(name) for name in given.names] == [lines.values(name) for name in lines.names]
