"""Coherence: NPMI of a topic's top terms over the units, and choosing k by it."""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np
from scipy import sparse

from kcorpus import stats
from kcorpus.analyses.topics.settings import K_MARGIN


def topic_npmi(presence: sparse.csc_array, top: Iterable[int]) -> float:
    """Mean NPMI over all pairs of `top` columns; probabilities are shares of rows (units) holding them."""
    top = list(top)
    n_units = presence.shape[0]
    if len(top) < 2 or n_units == 0:
        return float("nan")
    sub = sparse.csc_array(presence[:, top], dtype=np.float64)
    together = (sub.T @ sub).toarray()
    alone = np.diag(together)
    i, j = np.triu_indices(len(top), k=1)
    values = stats.npmi(together[i, j] / n_units, alone[i] / n_units, alone[j] / n_units)
    return float(np.mean(values))


def _presence(unit_counts: sparse.csr_array) -> sparse.csc_array:
    binary = sparse.csc_array(unit_counts, dtype=np.int64, copy=True)
    binary.data = (binary.data > 0).astype(np.int64)
    return binary


def choose_k(ks: list[int], npmi: list[float], margin: float = K_MARGIN) -> int:
    """The smallest k whose mean NPMI is within `margin` of the best one."""
    valid = [(k, v) for k, v in zip(ks, npmi) if not math.isnan(v)]
    if not valid:
        return ks[0]
    best = max(v for _, v in valid)
    return min(k for k, v in valid if v >= best - margin)
