"""Placing units on NMF topics: the batched exact NNLS equals scipy's nnls unit by unit."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from kcorpus.analyses.topics import placement


def problems(seed: int, k: int, terms: int, units: int, sharp: float, density: float):
    """Random NMF-like topics (non-negative, `sharp` makes them peakier) and sparse count rows."""
    rng = np.random.default_rng(seed)
    components = rng.random((k, terms)) ** sharp
    counts = sparse.random(units, terms, density=density, random_state=rng, format="csr")
    counts.data = np.ceil(counts.data * 5)
    return counts, components


@settings(max_examples=80, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    k=st.integers(1, 12),
    extra_terms=st.integers(0, 40),
    units=st.integers(0, 60),
    sharp=st.sampled_from([1.0, 3.0, 8.0]),
    density=st.sampled_from([0.05, 0.2, 0.6]),
)
def test_batched_placement_equals_scipy_nnls(seed, k, extra_terms, units, sharp, density):
    x, components = problems(seed, k, k + extra_terms, units, sharp, density)
    batched = placement.least_squares_weights(x, components, batch_min_units=0)
    looped = placement.least_squares_weights(x, components, batch_min_units=10**9)
    scale = max(1.0, float(np.abs(looped).max(initial=0.0)))
    np.testing.assert_allclose(batched, looped, rtol=0, atol=1e-9 * scale)
    assert (batched >= 0).all()


def test_batches_and_empty_units_at_twenty_topics():
    x, components = problems(7, 20, 400, 3000, 4.0, 0.05)
    x = sparse.csr_matrix(sparse.vstack([x, sparse.csr_matrix((5, 400))]))
    batched = placement.batched_nnls(*_normal(x, components), batch_rows=700)
    looped = placement.least_squares_weights(x, components, batch_min_units=10**9)
    np.testing.assert_allclose(batched, looped, rtol=0, atol=1e-9 * float(np.abs(looped).max()))
    assert not batched[-5:].any()


def test_units_not_converged_go_to_scipy(monkeypatch):
    monkeypatch.setattr(placement, "MAX_ROUNDS", 1)
    x, components = problems(3, 10, 60, 200, 3.0, 0.2)
    batched = placement.least_squares_weights(x, components, batch_min_units=0)
    looped = placement.least_squares_weights(x, components, batch_min_units=10**9)
    np.testing.assert_allclose(batched, looped, rtol=0, atol=1e-9 * float(np.abs(looped).max()))


def test_the_loop_is_used_below_the_threshold_and_batches_above(monkeypatch):
    x, components = problems(1, 5, 30, 20, 1.0, 0.3)
    calls = []
    monkeypatch.setattr(placement, "batched_nnls", lambda *args, **kw: calls.append(1) or np.zeros((20, 5)))
    monkeypatch.setattr(placement, "BATCH_MIN_UNITS", 21)
    placement.least_squares_weights(x, components)
    assert not calls
    monkeypatch.setattr(placement, "BATCH_MIN_UNITS", 20)
    placement.least_squares_weights(x, components)
    assert calls


def _normal(x, components):
    gram = components @ components.T
    gram = gram + 1e-12 * float(np.trace(gram)) * np.eye(len(gram))
    return gram, np.asarray(x @ components.T)
