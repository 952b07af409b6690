"""Choosing k honestly: held-out NPMI and stability in the sweep, the choice rule, and its warnings."""

from __future__ import annotations

import io
import math
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from conftest import KIEP, SEOUL

SWEEP = ["k", "npmi", "heldout_npmi", "stability", "diversity", "chosen"]
NAN = float("nan")


def ok(result):
    assert result.exit_code == 0, result.stderr
    return result


def sweep_frame(ks, heldout, stability, chosen):
    return pd.DataFrame(
        {
            "k": ks,
            "npmi": [0.4] * len(ks),
            "heldout_npmi": heldout,
            "stability": stability,
            "diversity": [0.9] * len(ks),
            "chosen": [k == chosen for k in ks],
        },
        columns=SWEEP,
    )


# --- the rule --------------------------------------------------------------------------------------


def test_choose_k_takes_the_smallest_stable_k_near_the_best():
    from kcorpus.analyses.topics import choose_k

    ks = [4, 5, 6, 7, 8]
    heldout = [0.10, 0.19, 0.20, 0.185, 0.12]
    # 5 and 7 are within 0.02 of the best (6), 5 is not stable enough: 6 is the smallest stable one
    assert choose_k(ks, heldout, [0.95, 0.70, 0.85, 0.90, 0.99]) == 6
    assert choose_k(ks, heldout, [0.95, 0.80, 0.85, 0.90, 0.99]) == 5  # the threshold is inclusive
    # nothing near the best is stable: the most stable of those near it
    assert choose_k(ks, heldout, [0.95, 0.60, 0.70, 0.75, 0.99]) == 7
    assert choose_k(ks, heldout, [0.95, 0.70, 0.70, 0.60, 0.99]) == 5  # ties: the smaller k
    # without stability: the old rule, the smallest k near the best
    assert choose_k(ks, heldout) == 5
    assert choose_k(ks, [NAN, 0.1, NAN, NAN, NAN], [NAN] * 5) == 5  # NaN NPMI never counts
    assert choose_k(ks, [NAN] * 5, [NAN] * 5) == 4


def test_stability_is_one_for_the_same_topics_in_any_order_and_lower_otherwise():
    from kcorpus.analyses.topics.coherence import stability, topic_similarity

    a = np.array([[1.0, 0, 0, 1], [0, 2.0, 1, 0], [0, 0, 3.0, 0]])
    assert topic_similarity(a, a[[2, 0, 1]] * 5) == pytest.approx(1.0)
    b = np.array([[1.0, 0, 0, 0], [0, 1.0, 0, 0], [0, 0, 0, 1.0]])
    assert topic_similarity(a, b) < 0.8
    assert stability([a, a, a]) == pytest.approx(1.0)
    assert math.isnan(stability([a]))


def test_split_units_is_deterministic_and_holds_out_a_fifth():
    from kcorpus.analyses.topics.coherence import split_units

    fit, held = split_units(200, seed=3, split=0)
    again, held_again = split_units(200, seed=3, split=0)
    assert held is not None and held_again is not None
    assert np.array_equal(fit, again) and np.array_equal(held, held_again)
    assert len(held) == 40 and len(fit) == 160 and not set(fit) & set(held)
    other, _ = split_units(200, seed=3, split=1)
    assert not np.array_equal(fit, other)
    small_fit, small_held = split_units(60, seed=0, split=0)  # 12 held out: too few, NPMI on all units
    assert small_held is None and len(small_fit) == 48


# --- the warnings ----------------------------------------------------------------------------------


def test_warnings_for_an_edge_of_the_range():
    from kcorpus.analyses.topics.coherence import sweep_warnings

    ks = [4, 5, 6, 7]
    top = sweep_warnings(sweep_frame(ks, [0.1, 0.12, 0.15, 0.2], [0.9] * 4, 7), (4, 7))
    assert any("k=7 is the top of --k-range 4:7" in w and "widen --k-range" in w for w in top)
    best_at_top = sweep_warnings(sweep_frame(ks, [0.1, 0.12, 0.185, 0.2], [0.9] * 4, 6), (4, 7))
    assert any("best held-out NPMI is at k=7" in w for w in best_at_top)
    bottom = sweep_warnings(sweep_frame(ks, [0.2, 0.12, 0.1, 0.05], [0.9] * 4, 4), (4, 7))
    assert any("k=4 is the bottom of --k-range 4:7" in w for w in bottom)
    inside = sweep_warnings(sweep_frame(ks, [0.1, 0.2, 0.1, 0.05], [0.9] * 4, 5), (4, 7))
    assert inside == []
    assert sweep_warnings(sweep_frame([2, 3, 4], [0.3, 0.1, 0.1], [0.9] * 3, 2), (2, 4)) == []  # 2 is the floor
    assert sweep_warnings(sweep_frame([6], [NAN], [NAN], 6), (6, 6)) == []  # a fixed k


def test_warnings_for_a_flat_sweep_and_an_unstable_choice():
    from kcorpus.analyses.topics.coherence import sweep_warnings

    flat = sweep_warnings(sweep_frame([4, 5, 6, 7], [0.1, 0.11, 0.115, 0.105], [0.7, 0.9, 0.9, 0.9], 5), (3, 8))
    assert len(flat) == 1 and "the k sweep is flat" in flat[0]
    unstable = sweep_warnings(sweep_frame([4, 5, 6, 7], [0.1, 0.3, 0.1, 0.1], [0.9, 0.6, 0.9, 0.9], 5), (3, 8))
    assert len(unstable) == 1 and "stability 0.8 or more" in unstable[0] and "k=5" in unstable[0]


def fake_result(docs: list[str], mixture: list[list[float]], tokens: list[float]):
    from kcorpus.analyses.topics import TopicResult

    model = SimpleNamespace(k=len(mixture[0]), settings={"k_requested": 2})
    counts = SimpleNamespace(rows=pd.DataFrame({"doc": docs}))
    unit_counts = sparse.csr_array(np.asarray(tokens, dtype=np.float64)[:, None])
    sweep = sweep_frame([2], [NAN], [NAN], 2)
    return TopicResult(model, counts, unit_counts, np.asarray(mixture), {}, sweep, pd.DataFrame())  # type: ignore[arg-type]


def test_a_big_document_without_a_topic_of_its_own_is_reported():
    # big.txt holds half the tokens; each of its units is dominated by a topic that mostly belongs elsewhere
    shared = fake_result(
        ["big.txt", "big.txt", "a.txt", "a.txt", "b.txt", "b.txt"],
        [[0.6, 0.4], [0.4, 0.6], [1, 0], [1, 0], [0, 1], [0, 1]],
        [10, 10, 10, 10, 10, 10],
    )
    assert [doc for doc, _ in shared.unowned_documents()] == ["big.txt"]
    assert any(
        w.startswith("big.txt holds 33% of the modelled tokens but has no topic of its own")
        for w in shared.fit_warnings()
    )
    # the same document with one unit dominated by a topic of its own: nothing to say
    owned = fake_result(
        ["big.txt", "big.txt", "a.txt", "b.txt"],
        [[0.9, 0.1, 0], [0.6, 0.4, 0], [0, 1, 0], [0, 0, 1]],
        [10, 10, 10, 10],
    )
    assert owned.unowned_documents() == [] and owned.fit_warnings() == []
    # a small document without a topic of its own is not reported
    small = fake_result(["big.txt", "small.txt"], [[1, 0], [1, 0]], [90, 10])
    assert small.unowned_documents() == []


# --- the command -----------------------------------------------------------------------------------


def test_the_sweep_has_the_new_columns_and_says_how_k_was_chosen(cli):
    result = ok(cli("topics", "--show", "k", "--k-range", "4:5", "--format", "csv"))
    sweep = pd.read_csv(io.StringIO(result.stdout))
    assert list(sweep.columns) == SWEEP
    assert sweep["k"].tolist() == [4, 5]
    assert sweep["heldout_npmi"].between(-1, 1).all() and sweep["stability"].between(0, 1.000001).all()
    assert "by held-out NPMI" in result.stderr and "stability" in result.stderr
    assert "widen --k-range" in result.stderr  # a two-k range: the choice is always at an edge


def test_fixed_k_measures_no_heldout_npmi(cli):
    result = ok(cli("topics", "--show", "k", "--k", "6", "--format", "csv"))
    sweep = pd.read_csv(io.StringIO(result.stdout))
    assert sweep["heldout_npmi"].isna().all() and sweep["stability"].isna().all()
    assert "widen" not in result.stderr


def test_a_tiny_corpus_falls_back_to_all_units_and_says_so(cli, tmp_path):
    text = SEOUL.read_text(encoding="utf-8")
    (tmp_path / "seoul.txt").write_text(text, encoding="utf-8")
    result = ok(cli("topics", str(tmp_path), "--show", "k", "--k-range", "2:3", "--format", "csv"))
    assert "too few to hold out" in result.stderr and "measured on all units" in result.stderr


@pytest.mark.slow  # two full sweeps of the default range (2-7 s)
def test_two_runs_give_the_same_sweep_and_messages(cli):
    first = ok(cli("topics", str(SEOUL), str(KIEP), "--show", "k", "--format", "csv"))
    second = ok(cli("topics", str(SEOUL), str(KIEP), "--show", "k", "--format", "csv"))
    assert first.stdout == second.stdout
    said = [[line for line in run.stderr.splitlines() if "analysed" not in line] for run in (first, second)]
    assert said[0] == said[1] and any(line.startswith("kcorpus: k=") for line in said[0])
    assert first.stdout.count("\n") == 10  # header + k 4..12


@pytest.mark.slow
def test_the_sweep_in_worker_processes_gives_the_same_numbers(monkeypatch, tmp_path):
    import kcorpus as kc
    from kcorpus.analyses.topics import fitting

    monkeypatch.setattr(fitting, "PARALLEL_MIN_CELLS", 0)  # the two reports are small: force the pool
    results = []
    for jobs in (1, 2):
        corpus = kc.read_corpus([SEOUL, KIEP], cache_dir=tmp_path, jobs=jobs)
        result = kc.topics(corpus, k_range=(3, 5))
        results.append((result.sweep, result.topics, result.units))
    for one, two in zip(*results):
        pd.testing.assert_frame_equal(one, two)
