"""kcorpus topics: reproducible, coherent topics with every output table, save/load and seed words."""

from __future__ import annotations

import io
import itertools
import json
import math

import pandas as pd
import pytest

from conftest import CORPUS, KIEP, SEOUL

TOPIC_COLUMNS = ["topic", "share", "npmi", "units", "terms"]
LONG_COLUMNS = ["topic", "rank", "term", "weight", "relevance"]
TABLE_COLUMNS = {
    "topics": TOPIC_COLUMNS,
    "terms": LONG_COLUMNS,
    "docs": ["doc", "topic", "share"],
    "units": ["doc", "unit", "cite", "page", "line_start", "line_end", "topic", "share", "text"],
    "examples": ["topic", "rank", "cite", "page", "share", "text"],
    "k": ["k", "npmi", "heldout_npmi", "stability", "diversity", "chosen"],
    "seeds": ["topic", "seeds", "in_top10", "not_in_top10", "not_in_vocabulary", "kept"],
}


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def frame(result) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(ok(result).stdout), keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def fitted(tmp_path_factory, shared_cache):
    """The default fit of the bundled corpus through the library, with the corpus it was fitted on."""
    from kcorpus.analyses.topics import TopicSettings, fit_topics
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(cache_dir=shared_cache))
    flt, spec = TermFilter.from_options("nouns"), UnitSpec.parse("paragraph", 50)
    return corpus, flt, spec, fit_topics(corpus, flt, spec, TopicSettings())


@pytest.fixture(scope="module")
def default_units(fitted):
    return fitted[3].unit_table()


# --- reproducibility -----------------------------------------------------------------------------


def test_two_runs_give_byte_identical_csv(cli):
    first = ok(cli("topics", "--show", "units", "--k-range", "6:8"))
    second = ok(cli("topics", "--show", "units", "--k-range", "6:8"))
    assert first.stdout == second.stdout
    assert first.stdout.count("\n") > 100


def test_library_and_cli_agree(cli, fitted):
    result = fitted[3]
    long = frame(cli("topics", "--show", "terms"))
    assert list(long.columns) == LONG_COLUMNS
    assert long["topic"].max() == result.model.k
    top_terms = long[long["topic"] == 1].sort_values("rank")["term"].tolist()
    assert ", ".join(top_terms) == result.summary()["terms"].iloc[0]


# --- choosing k ------------------------------------------------------------------------------------


def test_k_auto_sweeps_the_range_and_picks_by_the_margin_rule(cli):
    sweep = frame(cli("topics", "--show", "k", "--k-range", "5:9"))
    assert list(sweep.columns) == TABLE_COLUMNS["k"]
    assert sweep["k"].tolist() == [5, 6, 7, 8, 9]
    assert sweep["chosen"].astype(str).tolist().count("True") == 1
    chosen = int(sweep.loc[sweep["chosen"].astype(str) == "True", "k"].iloc[0])
    near = sweep[sweep["heldout_npmi"] >= sweep["heldout_npmi"].max() - 0.02]
    stable = near[near["stability"] >= 0.8]
    expected = (
        stable["k"].min() if len(stable) else near.sort_values(["stability", "k"], ascending=[False, True])["k"].iloc[0]
    )
    assert chosen == expected
    assert ((sweep["diversity"] > 0) & (sweep["diversity"] <= 1)).all()
    topics = frame(cli("topics", "--k-range", "5:9"))
    assert topics["topic"].nunique() == chosen and topics["units"].sum() > 0


def test_default_k_is_within_4_to_12_and_coherent(fitted):
    result = fitted[3]
    assert 4 <= result.model.k <= 12
    assert result.sweep["k"].tolist() == list(range(4, 13))
    summary = result.summary()
    assert summary["npmi"].mean() >= 0.30
    assert summary["share"].sum() == pytest.approx(1.0)


def test_fixed_k_gives_one_sweep_row(cli):
    sweep = frame(cli("topics", "--k", "6", "--show", "k"))
    assert sweep["k"].tolist() == [6]
    assert sweep["chosen"].astype(str).tolist() == ["True"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--k", "1"], "--k must be 2"),
        (["--k", "many"], "--k 'many'"),
        (["--k-range", "9:4"], "--k-range 9:4"),
        (["--method", "plsa"], "--method 'plsa'"),
        (["--show", "words"], "--show 'words'"),
        (["--max-df", "1.5"], "--max-df"),
    ],
)
def test_bad_options_are_usage_errors(cli, args, message):
    result = cli("topics", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


# --- the output tables -----------------------------------------------------------------------------


@pytest.mark.parametrize("show", list(TABLE_COLUMNS))
@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx", "table"])
def test_every_show_table_has_the_same_columns_in_every_format(cli, tmp_path, show, fmt):
    target = tmp_path / f"out.{fmt}"
    args = ["topics", str(SEOUL), "--k", "4", "--show", show, "--top", "4", "--quiet"]  # a fixed k: no sweep
    if show == "seeds":  # without seed words the seeds table has no rows (and JSON no keys to check)
        seed_file = tmp_path / "seeds.txt"
        seed_file.write_text("도시 외교\n", encoding="utf-8")  # terms of the Seoul report
        args += ["--seed-words", str(seed_file)]
    if fmt == "xlsx":
        ok(cli(*args, "-o", target))
        import openpyxl

        header = [cell.value for cell in next(openpyxl.load_workbook(target).active.iter_rows(max_row=1))]
    elif fmt == "table":
        text = ok(cli(*args, "--format", "table", "--no-color")).stdout
        line = next(line for line in text.splitlines() if line.startswith("┃"))
        header = [cell.strip() for cell in line.strip("┃").split("┃")]
    elif fmt in ("json", "jsonl"):
        text = ok(cli(*args, "--format", fmt)).stdout
        header = list(json.loads(text)[0] if fmt == "json" else json.loads(text.splitlines()[0]))
    else:
        text = ok(cli(*args, "--format", fmt)).stdout
        header = text.splitlines()[0].split("," if fmt == "csv" else "\t")
    assert header == TABLE_COLUMNS[show]


def test_topic_rows_count_the_units_each_topic_dominates(fitted):
    result = fitted[3]
    summary = result.summary()
    dominant, _ = result.dominant()
    assert summary["units"].tolist() == [int((dominant == t).sum()) for t in summary["topic"]]
    assert summary["units"].sum() == int(dominant.notna().sum())


@pytest.mark.parametrize("show", ["docs", "units", "examples", "k", "seeds"])
def test_each_table_has_its_columns(cli, show):
    assert list(frame(cli("topics", "--show", show)).columns) == TABLE_COLUMNS[show]


def test_long_form_in_json_has_weight_and_relevance(cli, fitted):
    rows = json.loads(ok(cli("topics", "--show", "terms", "--format", "json", "--top", "5")).stdout)
    assert list(rows[0]) == LONG_COLUMNS
    model = fitted[3].model
    assert len(rows) == 5 * model.k
    first = rows[0]
    # relevance = 0.6 ln p(w|t) + 0.4 ln(p(w|t)/p(w)), p(w) = the term's share of modelled tokens
    column = model.terms.index(first["term"])
    p_w = model.term_probability[column]
    expected = 0.6 * math.log(first["weight"]) + 0.4 * math.log(first["weight"] / p_w)
    assert first["relevance"] == pytest.approx(expected, rel=1e-9)
    weights = [r["weight"] for r in rows if r["topic"] == 1]
    assert weights == sorted(weights, reverse=True)


def test_doc_mixtures_sum_to_one_and_weight_units_by_tokens(fitted):
    result = fitted[3]
    docs = result.doc_table()
    assert docs.groupby("doc")["share"].sum().tolist() == pytest.approx([1.0, 1.0, 1.0])
    # KIEP's mixture = token-weighted mean of its units' mixtures
    rows = (result.counts.rows["doc"] == KIEP.name).to_numpy()
    weights = result.unit_weights[rows]
    by_hand = (result.mixture[rows] * weights[:, None]).sum(axis=0) / weights.sum()
    assert docs[docs["doc"] == KIEP.name]["share"].tolist() == pytest.approx(by_hand.tolist())


def test_units_and_examples_cite_source_lines(fitted, default_units):
    units = default_units
    assert units["text"].str.len().max() <= 80
    assert not units["text"].str.contains("\n").any()
    assert (units["line_start"] <= units["line_end"]).all()
    examples = fitted[3].example_table()
    assert examples.groupby("topic").size().max() == 3
    first = examples.iloc[0]
    doc, line = first["cite"].rsplit(":", 1)
    unit = units[(units["doc"] == doc) & (units["line_start"] == int(line))].iloc[0]
    assert unit["text"] == first["text"]
    assert unit["topic"] == first["topic"]
    source_line = (CORPUS / doc).read_text(encoding="utf-8").splitlines()[int(line) - 1]
    assert source_line.split()[0] in first["text"]


def test_the_three_reports_fall_into_different_topics(default_units):
    modal = default_units.groupby("doc")["topic"].agg(lambda topics: topics.value_counts().idxmax())
    assert len(modal) == 3
    assert modal.nunique() == 3


# --- coherence, checked independently ------------------------------------------------------------


def test_reported_npmi_matches_a_hand_count_over_unit_sets(fitted):
    from kcorpus.nlp.terms import select_terms
    from kcorpus.nlp.units import make_units

    corpus, flt, spec, result = fitted
    unit_sets: list[set[str]] = []
    for analysed in corpus:
        terms = select_terms(analysed.tokens, flt)
        units = make_units(analysed, spec)
        sets = [set() for _ in range(len(units))]
        for position, term in zip(terms.index.tolist(), terms.term):
            sets[units.token_unit[position]].add(term)
        unit_sets.extend(sets)
    summary = result.summary()
    for topic in (0, summary["npmi"].idxmin()):
        top = summary["terms"].iloc[topic].split(", ")
        n = len(unit_sets)
        values = []
        for a, b in itertools.combinations(top, 2):
            p_a = sum(a in s for s in unit_sets) / n
            p_b = sum(b in s for s in unit_sets) / n
            p_ab = sum(a in s and b in s for s in unit_sets) / n
            values.append(-1.0 if p_ab == 0 else math.log(p_ab / (p_a * p_b)) / -math.log(p_ab))
        assert len(values) == 45
        assert summary["npmi"].iloc[topic] == pytest.approx(sum(values) / len(values), abs=1e-9)


# --- save and load ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_load_reproduces_the_fitted_assignments(cli, tmp_path):
    model_dir = tmp_path / "model"
    fitted_units = ok(cli("topics", "--save", model_dir, "--show", "units")).stdout
    assert {p.name for p in model_dir.iterdir()} == {"model.npz", "settings.json"}
    settings = json.loads((model_dir / "settings.json").read_text(encoding="utf-8"))
    assert {"kcorpus", "scikit-learn", "kiwipiepy", "vocabulary"} <= set(settings)
    loaded = ok(cli("topics", "--load", model_dir, "--show", "units"))
    assert loaded.stdout == fitted_units
    for show in ("topics", "docs", "examples", "k", "seeds"):
        assert ok(cli("topics", "--load", model_dir, "--show", show)).stdout == ok(cli("topics", "--show", show)).stdout
    # a new drop of documents: one report alone gets the same unit assignments as in the full fit
    alone = frame(cli("topics", "--load", model_dir, "--show", "units", KIEP))
    full = pd.read_csv(io.StringIO(fitted_units))
    same = full[full["doc"] == KIEP.name].reset_index(drop=True)
    blank = lambda frame: frame.astype(object).where(frame.notna(), "")  # noqa: E731 - page: empty for text
    assert blank(alone).to_dict("records") == blank(same).to_dict("records")


def test_load_refuses_another_version(cli, tmp_path):
    import sklearn

    model_dir = tmp_path / "model"
    ok(cli("topics", "--k", "4", "--save", model_dir))
    settings_file = model_dir / "settings.json"
    settings = json.loads(settings_file.read_text(encoding="utf-8"))
    settings["scikit-learn"] = "0.1.0"
    settings_file.write_text(json.dumps(settings), encoding="utf-8")
    result = cli("topics", "--load", model_dir)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"kcorpus: error: the model in {model_dir} was saved with scikit-learn 0.1.0, this is scikit-learn "
        f"{sklearn.__version__}: refit it with kcorpus topics --save {model_dir}"
    ]
    missing = cli("topics", "--load", tmp_path / "nowhere")
    assert missing.exit_code == 1 and "no saved topic model" in missing.stderr


def test_save_and_load_together_is_a_usage_error(cli, tmp_path):
    result = cli("topics", "--save", tmp_path / "a", "--load", tmp_path / "b")
    assert result.exit_code == 2


# --- seed words ------------------------------------------------------------------------------------


def test_seed_words_make_their_topic(cli, tmp_path):
    seeds = ["원자로", "원자력", "연료"]
    plain = frame(cli("topics", "--k", "4", "--top", "10", "--show", "terms"))
    assert not any(set(seeds) <= set(group["term"]) for _, group in plain.groupby("topic"))
    seed_file = tmp_path / "seeds.txt"
    seed_file.write_text("# nuclear power\n원자로 원자력 연료 없는낱말\n", encoding="utf-8")
    guided = cli("topics", "--k", "4", "--seed-words", seed_file, "--show", "terms")
    terms = frame(guided)
    assert set(seeds) <= set(terms[terms["topic"] == 1]["term"])
    assert "kcorpus: warning: seeded topic 1: not in the modelled vocabulary, ignored: 없는낱말" in guided.stderr
    assert "seeded topic 1 kept its seed terms in its top 10: 원자로 원자력 연료" in guided.stderr
    report = pd.read_csv(
        io.StringIO(ok(cli("topics", "--k", "4", "--seed-words", seed_file, "--show", "seeds")).stdout),
        keep_default_na=False,
    )
    assert report.to_dict("records") == [
        {
            "topic": 1,
            "seeds": "원자로 원자력 연료 없는낱말",
            "in_top10": "원자로 원자력 연료",
            "not_in_top10": "",
            "not_in_vocabulary": "없는낱말",
            "kept": True,
        }
    ]


def test_seed_words_all_unknown_is_a_usage_error(cli, tmp_path):
    seed_file = tmp_path / "seeds.txt"
    seed_file.write_text("없는낱말 또없는낱말\n", encoding="utf-8")
    result = cli("topics", "--seed-words", seed_file)
    assert result.exit_code == 2
    assert "none of its terms is in the modelled vocabulary" in result.stderr


def test_fewer_topics_than_seeded_topics_is_a_usage_error(cli, tmp_path):
    seed_file = tmp_path / "seeds.txt"
    seed_file.write_text("원자로 원자력\n게임 스포츠\n양자 컴퓨터\n", encoding="utf-8")
    result = cli("topics", "--k", "2", "--seed-words", seed_file)
    assert result.exit_code == 2
    assert "--k 2 is fewer than the 3 seeded topics" in result.stderr


# --- methods and plots -----------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["nmf-kl", "lda"])
def test_other_methods_run(cli, method):
    terms = frame(cli("topics", "--method", method, "--k", "5", "--top", "3", "--show", "terms", SEOUL, KIEP))
    assert list(terms.columns) == LONG_COLUMNS
    assert sorted(terms["topic"].unique()) == [1, 2, 3, 4, 5]


def test_plot_is_written(cli, tmp_path):
    target = tmp_path / "topics.png"
    result = ok(cli("topics", "--k", "5", "--plot", target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"wrote {target}" in result.stderr
    bad = cli("topics", "--plot", tmp_path / "topics.pdf")
    assert bad.exit_code == 2
