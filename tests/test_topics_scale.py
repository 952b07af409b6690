"""Topics at scale: per-document tables linear in the units, fits on a sample of many units, int8 presence."""

from __future__ import annotations

import time
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from kcorpus.analyses.topics import fitting
from kcorpus.analyses.topics.coherence import _presence, topic_npmi
from kcorpus.analyses.topics.settings import BIG_DOC_SHARE, OWN_TOPIC_SHARE
from kcorpus.analyses.topics.tables import TopicResult, _weighted_share, rows_by_document


def result_of(docs: list[str], mixture: np.ndarray, tokens: np.ndarray) -> TopicResult:
    """A TopicResult holding only what the per-document tables read."""
    unit_counts = sparse.csr_array(tokens.reshape(-1, 1).astype(np.int64))
    model = SimpleNamespace(k=mixture.shape[1])
    counts = SimpleNamespace(rows=pd.DataFrame({"doc": docs}))
    return TopicResult(model, counts, unit_counts, mixture, {}, pd.DataFrame(), pd.DataFrame())  # type: ignore[arg-type]


def old_doc_table(result: TopicResult) -> pd.DataFrame:
    """What doc_table computed before (a `docs == doc` scan per document)."""
    docs = result.counts.rows["doc"].to_numpy()
    weights, frames = result.unit_weights, []
    for doc in dict.fromkeys(docs.tolist()):
        rows = docs == doc
        frames.append(
            pd.DataFrame(
                {
                    "doc": doc,
                    "topic": np.arange(1, result.model.k + 1),
                    "share": _weighted_share(result.mixture[rows], weights[rows]),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


def old_unowned(result: TopicResult) -> list[tuple[str, float]]:
    weights = result.unit_weights
    total = float(weights.sum())
    if total <= 0:
        return []
    mass = weights[:, None] * result.mixture
    topic_mass = mass.sum(axis=0)
    topic, share = result.dominant()
    docs = result.counts.rows["doc"].to_numpy()
    out = []
    for doc in dict.fromkeys(docs.tolist()):
        rows = docs == doc
        doc_share = float(weights[rows].sum()) / total
        if doc_share < BIG_DOC_SHARE:
            continue
        own = np.divide(mass[rows].sum(axis=0), topic_mass, out=np.zeros_like(topic_mass), where=topic_mass > 0)
        dominated = np.unique(topic[rows & (share > 0)].to_numpy(dtype=np.int64) - 1)
        if not (own[dominated] >= OWN_TOPIC_SHARE).any():
            out.append((str(doc), doc_share))
    return out


@st.composite
def unit_tables(draw):
    n_units = draw(st.integers(1, 40))
    k = draw(st.integers(2, 5))
    docs = draw(st.lists(st.sampled_from(["a", "b", "c", "d.txt", "가"]), min_size=n_units, max_size=n_units))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    mixture = rng.random((n_units, k)) * (rng.random((n_units, k)) < 0.6)
    tokens = rng.integers(0, 6, n_units) * (mixture.sum(axis=1) > 0)
    totals = mixture.sum(axis=1, keepdims=True)
    mixture = np.divide(mixture, totals, out=np.zeros_like(mixture), where=totals > 0)
    return docs, mixture, tokens


@given(st.lists(st.sampled_from(list("abcde")), max_size=30))
def test_rows_by_document_groups_rows_in_first_appearance_order(docs):
    names, codes, members = rows_by_document(np.asarray(docs, dtype=object))
    assert names == list(dict.fromkeys(docs))
    assert [np.flatnonzero(np.asarray(docs, dtype=object) == name).tolist() for name in names] == [
        rows.tolist() for rows in members
    ]
    assert [names[c] for c in codes] == docs


@settings(max_examples=60, deadline=None)
@given(unit_tables())
def test_doc_table_and_unowned_documents_are_those_of_the_scan_per_document(table):
    result = result_of(*table)
    pd.testing.assert_frame_equal(result.doc_table(), old_doc_table(result))
    assert result.unowned_documents() == old_unowned(result)


def test_per_document_tables_are_linear_in_the_units():
    """100,000 documents of two units each: a scan over all units per document (the old code) takes
    minutes; grouping once takes well under a second."""
    n_docs, k = 100_000, 4
    rng = np.random.default_rng(0)
    docs = np.repeat(np.array([f"doc{i:06d}" for i in range(n_docs)], dtype=object), 2).tolist()
    mixture = rng.dirichlet(np.ones(k), size=2 * n_docs)
    tokens = rng.integers(1, 50, 2 * n_docs)
    tokens[:1000] = 10**7  # doc000000 ... doc000499 hold most tokens, but none a third of them
    tokens[0] = 10**11  # doc000000 holds almost all
    result = result_of(docs, mixture, tokens)
    began = time.perf_counter()
    unowned = result.unowned_documents()
    table = result.doc_table()
    assert time.perf_counter() - began < 30
    assert [doc for doc, _ in unowned] in ([], ["doc000000"])
    assert len(table) == n_docs * k and table["doc"].iloc[-1] == f"doc{n_docs - 1:06d}"
    first = _weighted_share(mixture[:2], tokens[:2].astype(np.float64))
    np.testing.assert_array_equal(table["share"].to_numpy()[:k], first)


def test_groups_by_document_match_sums_over_each_document(fitted_small):
    result = fitted_small
    groups = result.by_group("doc")
    docs = result.counts.rows["doc"].to_numpy()
    weights = result.unit_weights
    for doc, part in groups.groupby("group", sort=False):
        rows = docs == doc
        expected = (weights[rows] @ result.mixture[rows]) / weights[rows].sum()
        np.testing.assert_allclose(part["share"].to_numpy(), expected, rtol=1e-12)
        assert (part["docs"] == 1).all()


def test_presence_is_one_for_any_count_even_above_int8():
    counts = sparse.csr_array(np.array([[0, 1, 127], [128, 256, 0], [3, 0, 1000]], dtype=np.int32))
    presence = _presence(counts)
    assert presence.dtype == np.int8
    np.testing.assert_array_equal(presence.toarray(), (counts.toarray() > 0).astype(np.int8))
    wide = sparse.csc_array((counts.toarray() > 0).astype(np.int64))
    assert topic_npmi(presence, [0, 1, 2]) == topic_npmi(wide, [0, 1, 2])


def test_fit_sample_is_all_units_up_to_the_limit_then_a_fixed_sorted_draw():
    assert fitting.fit_sample(100, 0, limit=100) is None
    drawn = fitting.fit_sample(1000, 3, limit=100)
    assert drawn is not None and len(drawn) == 100 and len(np.unique(drawn)) == 100
    assert (np.diff(drawn) > 0).all() and drawn[-1] < 1000
    np.testing.assert_array_equal(drawn, fitting.fit_sample(1000, 3, limit=100))
    assert not np.array_equal(drawn, fitting.fit_sample(1000, 4, limit=100))


@pytest.fixture(scope="module")
def bundled(shared_cache):
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions(cache_dir=shared_cache))
    return corpus, TermFilter.from_options("nouns"), UnitSpec.parse("paragraph", 50)


@pytest.fixture(scope="module")
def fitted_small(bundled):
    from kcorpus.analyses.topics import TopicSettings, fit_topics

    return fit_topics(*bundled, TopicSettings(k=5))


@pytest.mark.parametrize("k", [5, None])
def test_a_fit_on_a_sample_places_every_unit(bundled, fitted_small, monkeypatch, k):
    from kcorpus.analyses.topics import TopicSettings, fit_topics

    n_units = len(fitted_small.counts.rows)
    monkeypatch.setattr(fitting, "FIT_MAX_UNITS", n_units // 2)
    seen = []
    real_fit = fitting._fit

    def fit(settings, x, *rest):
        seen.append(x.shape[0])
        return real_fit(settings, x, *rest)

    monkeypatch.setattr(fitting, "_fit", fit)
    sampled = fit_topics(*bundled, TopicSettings(k=k, k_range=(4, 5)))
    assert max(seen) == n_units // 2  # no fit saw more than the sample
    assert sampled.mixture.shape[0] == n_units
    placed = sampled.unit_weights > 0
    np.testing.assert_allclose(sampled.mixture[placed].sum(axis=1), 1.0)
    np.testing.assert_array_equal(sampled.model.unit_topics(sampled.unit_counts), sampled.mixture)
    assert np.isfinite(sampled.model.npmi).all()
    if k is None:
        assert sampled.sweep["heldout_npmi"].notna().all() and sampled.sweep["stability"].notna().all()


def test_below_the_limit_the_fit_is_the_full_fit(bundled, fitted_small, monkeypatch):
    from kcorpus.analyses.topics import TopicSettings, fit_topics

    monkeypatch.setattr(fitting, "FIT_MAX_UNITS", len(fitted_small.counts.rows))
    again = fit_topics(*bundled, TopicSettings(k=5))
    np.testing.assert_array_equal(again.mixture, fitted_small.mixture)
    np.testing.assert_array_equal(again.model.estimator.components_, fitted_small.model.estimator.components_)


def test_the_k_sweep_shares_one_matrix_and_each_split_fit_cuts_its_own_rows(monkeypatch):
    from kcorpus.analyses.topics import TopicSettings
    from kcorpus.analyses.topics.coherence import split_units

    rng = np.random.default_rng(0)
    x = sparse.csr_matrix(rng.random((60, 12)) * (rng.random((60, 12)) < 0.5))
    presence = _presence(sparse.csr_array(x))
    settings = TopicSettings(k_range=(2, 3))
    tasks: list[tuple] = []
    real_run = fitting._run_fits
    monkeypatch.setattr(fitting, "_run_fits", lambda given, jobs: (tasks.extend(given), real_run(given, 1))[1])
    fitting._sweep(settings, x, [2, 3], [], presence, lambda message: None, 1)
    assert len(tasks) == 2 + 2 * fitting.K_SPLITS and all(task[1] is x for task in tasks)  # no copy per task
    for task in tasks[2:]:
        split = task[0].seed - settings.seed
        np.testing.assert_array_equal(task[5], split_units(60, settings.seed, split)[0])
        cut = fitting._fit(*task[:5], task[5]).estimator.components_
        alone = fitting._fit(*task[:1], sparse.csr_matrix(x[task[5]]), *task[2:5]).estimator.components_
        np.testing.assert_array_equal(cut, alone)


def test_tf_idf_is_weighed_in_place_with_the_numbers_of_fit_transform():
    from sklearn.feature_extraction.text import TfidfTransformer

    counts = sparse.csr_array(np.array([[0, 1, 3, 0], [2, 0, 1, 0], [1, 1, 0, 7]], dtype=np.int32))
    before = counts.toarray()
    weighting, x = fitting._weigh("nmf", counts)
    expected = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True).fit_transform(
        counts.astype(np.float64)
    )
    np.testing.assert_array_equal(x.toarray(), expected.toarray())
    np.testing.assert_array_equal(weighting.idf_, TfidfTransformer(smooth_idf=True).fit(counts).idf_)
    np.testing.assert_array_equal(counts.toarray(), before)  # the caller's counts are left alone


def test_a_result_keeps_its_units_over_the_modelled_terms_only(fitted_small):
    counts = fitted_small.counts
    assert counts.terms == fitted_small.model.terms and counts.tags == fitted_small.model.tags
    assert counts.matrix.shape == fitted_small.unit_counts.shape == (len(counts.rows), len(counts.terms))
    np.testing.assert_array_equal(counts.matrix.toarray(), fitted_small.unit_counts.toarray())
