"""Coherence and choosing k: NPMI of a topic's top terms, held-out splits, stability, the k rule and
what is worth a warning about the choice (see the package docstring for the rule)."""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy import sparse

from kcorpus import stats
from kcorpus.analyses.topics.settings import HELDOUT_MIN_UNITS, HELDOUT_SHARE, K_MARGIN, K_MIN_STABILITY


def topic_npmi(presence: sparse.csc_array, top: Iterable[int], *, seen_only: bool = False) -> float:
    """Mean NPMI over all pairs of `top` columns; probabilities are shares of rows (units) holding them.

    seen_only: only pairs whose two terms both occur in the rows (held-out units): a term absent from
    a small held-out part is no evidence either way, two terms present but never together are.
    NaN when no pair counts.
    """
    top = list(top)
    n_units = presence.shape[0]
    if len(top) < 2 or n_units == 0:
        return float("nan")
    sub = sparse.csc_array(presence[:, top], dtype=np.float64)
    together = (sub.T @ sub).toarray()
    alone = np.diag(together)
    i, j = np.triu_indices(len(top), k=1)
    if seen_only:
        seen = (alone[i] > 0) & (alone[j] > 0)
        i, j = i[seen], j[seen]
        if len(i) == 0:
            return float("nan")
    values = stats.npmi(together[i, j] / n_units, alone[i] / n_units, alone[j] / n_units)
    return float(np.mean(values))


def _presence(unit_counts: sparse.csr_array) -> sparse.csc_array:
    """1 where a unit holds a term, as int8 (a 1 GB corpus has ~10^8 such cells; NPMI reads the few columns
    it needs as float64, so the numbers are those of any other integer type)."""
    binary = sparse.csc_array(unit_counts, copy=True)
    binary.data = (binary.data > 0).astype(np.int8)
    return binary


def split_units(n_units: int, seed: int, split: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Rows to fit on (about 80%) and held-out rows (about 20%), drawn from the seed and the split number.

    Held-out rows are None when fewer than HELDOUT_MIN_UNITS would be held out: the caller then
    measures NPMI on all units (the fitted rows are still a subsample, for stability).
    """
    rng = np.random.default_rng([seed, split])
    order = rng.permutation(n_units)
    n_held = max(1, round(HELDOUT_SHARE * n_units)) if n_units > 1 else 0
    fit, held = np.sort(order[n_held:]), np.sort(order[:n_held])
    return fit, (held if n_held >= HELDOUT_MIN_UNITS else None)


def topic_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Mean cosine similarity of the topic-term rows of `a` and `b` under the best one-to-one matching."""
    from scipy.optimize import linear_sum_assignment

    def unit_rows(m: np.ndarray) -> np.ndarray:
        m = np.asarray(m, dtype=np.float64)
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return np.divide(m, norms, out=np.zeros_like(m), where=norms > 0)

    similarity = unit_rows(a) @ unit_rows(b).T
    rows, cols = linear_sum_assignment(similarity, maximize=True)
    return float(similarity[rows, cols].mean())


def stability(components: Sequence[np.ndarray]) -> float:
    """Mean `topic_similarity` over all pairs of fits (nan with fewer than two fits)."""
    pairs = [topic_similarity(a, b) for i, a in enumerate(components) for b in components[i + 1 :]]
    return float(np.mean(pairs)) if pairs else float("nan")


def choose_k(
    ks: list[int],
    npmi: list[float],
    stability: list[float] | None = None,
    margin: float = K_MARGIN,
    min_stability: float = K_MIN_STABILITY,
) -> int:
    """The smallest k whose NPMI is within `margin` of the best and whose stability is at least `min_stability`.

    If no k near the best is that stable, the most stable of them (ties: the smaller k); without
    `stability`, the smallest k near the best. NaN NPMI never counts; all NaN: the first k.
    """
    stab = stability if stability is not None else [float("nan")] * len(ks)
    valid = [(k, v, s) for k, v, s in zip(ks, npmi, stab) if not math.isnan(v)]
    if not valid:
        return ks[0]
    best = max(v for _, v, _ in valid)
    near = [(k, s) for k, v, s in valid if v >= best - margin]
    if stability is None:
        return min(k for k, _ in near)
    stable = [k for k, s in near if not math.isnan(s) and s >= min_stability]
    if stable:
        return min(stable)
    return min(near, key=lambda row: (-(row[1] if not math.isnan(row[1]) else -math.inf), row[0]))[0]


def sweep_warnings(
    sweep: pd.DataFrame, k_range: Sequence[int], margin: float = K_MARGIN, min_stability: float = K_MIN_STABILITY
) -> list[str]:
    """What --k auto should say about its choice: k (or the best held-out NPMI) at the top of the range or
    k at its bottom (above 2): widen --k-range; the chosen k below the stability threshold; a flat sweep
    (every held-out NPMI within `margin` of the best, three k or more)."""
    if len(sweep) < 2:
        return []
    ks = sweep["k"].tolist()
    chosen = int(sweep.loc[sweep["chosen"].astype(bool), "k"].iloc[0])
    low, high = int(k_range[0]), int(k_range[1])
    out = []
    heldout = sweep["heldout_npmi"]
    best_k = int(sweep.loc[heldout.idxmax(), "k"]) if heldout.notna().any() else chosen
    if ks[-1] == high and high in (chosen, best_k):
        said = f"k={chosen} is" if chosen == high else f"the best held-out NPMI is at k={high},"
        out.append(
            f"{said} the top of --k-range {low}:{high}: a larger k may be better; "
            f"widen --k-range (e.g. {low}:{high + max(4, (high - low) // 2)})"
        )
    elif chosen == ks[0] and chosen == low and low > 2:
        out.append(
            f"k={chosen} is the bottom of --k-range {low}:{high}: a smaller k may do as well; "
            f"widen --k-range (e.g. 2:{high})"
        )
    row = sweep.loc[sweep["chosen"].astype(bool)].iloc[0]
    if not math.isnan(row["stability"]) and row["stability"] < min_stability:
        out.append(
            f"no k as coherent as the best (held-out NPMI within {margin}) has stability {min_stability} or more: "
            f"k={chosen} is the most stable of them ({row['stability']:.3f}), and its topics change with the sample"
        )
    heldout = heldout.dropna()
    if len(heldout) >= 3 and heldout.max() - heldout.min() <= margin:
        out.append(
            f"the k sweep is flat: held-out NPMI of every k in {ks[0]}–{ks[-1]} is within {margin} of the best "
            f"({heldout.max():.3f}), so the data single out no number of topics; k={chosen} is the smallest "
            "stable one (see --show k)"
        )
    return out
