"""Topics by group and over time (`kcorpus topics --by COLUMN[:PERIOD] --show groups`).

For every group (analyses.groups) and topic: share = the topic's token-weighted share of the group's
units (as `--show topics` share, within the group); units = the group's units whose dominant topic it
is; docs = the group's documents; low and high = a 95% bootstrap interval of share, resampling the
group's documents with replacement (BOOTSTRAP_RESAMPLES resamples from `seed`), so units of one
document stay together. The interval is the expanded percentile interval (Hesterberg 2015): the
percentiles at α'/2 and 1 − α'/2 with α' = 2Φ(−sqrt(n/(n−1))·t_{n−1, 0.975}) for n documents, which
corrects the plain percentile interval's under-coverage with few documents (measured by
scripts/measure_bootstrap.py). A group of one document has low = high = share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kcorpus.analyses.groups import Grouping, group_of_rows
from kcorpus.analyses.topics.tables import rows_by_document

GROUP_COLUMNS = ["group", "topic", "share", "low", "high", "units", "docs"]
BOOTSTRAP_RESAMPLES = 1000
CONFIDENCE = 0.95


def bootstrap_interval(
    mass: np.ndarray, weights: np.ndarray, *, resamples: int = BOOTSTRAP_RESAMPLES, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Expanded percentile interval (CONFIDENCE) of Σ mass / Σ weights over documents resampled with replacement:
    `mass` (documents × topics) = each document's topic-weighted tokens, `weights` its modelled tokens. nan for
    fewer than two documents: resampling one document tells nothing of the spread."""
    n = len(weights)
    if n < 2:
        return np.full(mass.shape[1], np.nan), np.full(mass.shape[1], np.nan)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n, np.full(n, 1.0 / n), size=resamples).astype(np.float64)
    total = draws @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = (draws @ mass) / total[:, None]
    tail = expanded_alpha(n) / 2 * 100
    low, high = np.nanpercentile(shares, [tail, 100 - tail], axis=0)
    return low, high


def expanded_alpha(n: int, confidence: float = CONFIDENCE) -> float:
    """The tail probability α' of the expanded percentile interval for n documents (α for n < 2)."""
    from scipy import special

    alpha = 1.0 - confidence
    if n < 2:
        return alpha
    return float(2 * special.ndtr(-np.sqrt(n / (n - 1)) * special.stdtrit(n - 1, 1 - alpha / 2)))


def group_shares(result, by: str, *, seed: int = 0) -> pd.DataFrame:
    """group, topic, share, low, high, units, docs for every group of `by` and topic of `result`."""
    grouping = Grouping.parse(by)
    rows = result.counts.rows
    docs = rows["doc"].astype(str).tolist()
    meta = result.counts.meta.astype(str).to_dict("records") if len(result.counts.meta.columns) else [{}] * len(docs)
    labels = np.asarray(group_of_rows(grouping, docs, meta), dtype=object)
    weights = result.unit_weights
    mass = weights[:, None] * result.mixture
    dominant, _ = result.dominant()
    dominant_topic = dominant.to_numpy(dtype=np.float64, na_value=np.nan)
    k = result.model.k
    frames = []
    doc_array = np.asarray(docs, dtype=object)
    for number, group in enumerate(grouping.ordered(labels.tolist())):
        in_group = labels == group
        rows = np.flatnonzero(in_group)
        members, _, doc_rows = rows_by_document(doc_array[rows])
        doc_mass = np.stack([mass[rows[each]].sum(axis=0) for each in doc_rows])
        doc_weight = np.array([weights[rows[each]].sum() for each in doc_rows])
        total = doc_weight.sum()
        share = doc_mass.sum(axis=0) / total if total > 0 else np.full(k, np.nan)
        low, high = bootstrap_interval(doc_mass, doc_weight, seed=seed + number)
        units = np.array([int((dominant_topic[in_group] == t + 1).sum()) for t in range(k)], dtype=np.int64)
        frames.append(
            pd.DataFrame(
                {
                    "group": group,
                    "topic": np.arange(1, k + 1, dtype=np.int64),
                    "share": share,
                    "low": low,
                    "high": high,
                    "units": units,
                    "docs": len(members),
                },
                columns=GROUP_COLUMNS,
            )
        )
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=GROUP_COLUMNS)
