"""Seed words: their vocabulary columns, the seeded NMF start, the seed pseudo-units and the seed report."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from kcorpus.analyses.topics.settings import (
    COHERENCE_TOP,
    NMF_MAX_ITER,
    SEED_COLUMNS,
    SEED_UNIT_SHARE,
    TopicSettings,
    Warn,
)
from kcorpus.errors import UsageError

if TYPE_CHECKING:
    from kcorpus.analyses.topics.model import TopicModel


def _seed_units(x, seed_columns: list[list[int]]) -> sparse.csr_matrix:
    """One pseudo-unit per seeded topic holding only its seed terms (an l2-normalised row, like the
    TF-IDF rows), weighted as if SEED_UNIT_SHARE of the units (at least one) were that row."""
    weight = math.sqrt(max(1.0, SEED_UNIT_SHARE * x.shape[0]))
    rows = np.repeat(np.arange(len(seed_columns)), [len(columns) for columns in seed_columns])
    columns = np.concatenate([np.asarray(c, dtype=np.int64) for c in seed_columns])
    values = np.concatenate([np.full(len(c), weight / math.sqrt(len(c))) for c in seed_columns])
    return sparse.csr_matrix((values, (rows, columns)), shape=(len(seed_columns), x.shape[1]))


def _seeded_start(settings: TopicSettings, x, k: int, seed_columns: list[list[int]]):
    """W and H to start NMF from: seeded topics hold only their seed terms, the others come from an
    ordinary fit of the remaining topics; W is the best non-negative fit to those H rows."""
    from sklearn.decomposition import NMF, non_negative_factorization

    n_seeded = len(seed_columns)
    scale = math.sqrt(float(x.mean()) / k)
    floor = 1e-6 * scale
    h = np.full((k, x.shape[1]), floor)
    for row, columns in enumerate(seed_columns):
        h[row, columns] = scale * x.shape[1] ** 0.5
    if k > n_seeded:
        rest = NMF(n_components=k - n_seeded, init="nndsvda", max_iter=NMF_MAX_ITER, random_state=settings.seed)
        rest.fit(x)
        h[n_seeded:] = np.maximum(rest.components_, floor)
    beta = "kullback-leibler" if settings.method == "nmf-kl" else "frobenius"
    solver = "mu" if settings.method == "nmf-kl" else "cd"
    w, _, _ = non_negative_factorization(
        x,
        H=h,
        n_components=k,
        init="custom",
        update_H=False,
        beta_loss=beta,
        solver=solver,
        max_iter=NMF_MAX_ITER,
        random_state=settings.seed,
    )
    return np.maximum(w, floor), h


def _seed_columns(seed_words, terms: list[str], warn: Warn) -> list[list[int]]:
    """Vocabulary columns of each seeded topic's terms; missing terms are reported."""
    columns_of: dict[str, list[int]] = {}
    for column, term in enumerate(terms):
        columns_of.setdefault(term, []).append(column)
    out = []
    for number, words in enumerate(seed_words, start=1):
        missing = [w for w in words if w not in columns_of]
        if missing:
            warn(f"seeded topic {number}: not in the modelled vocabulary, ignored: {' '.join(missing)}")
        columns = [c for w in words for c in columns_of.get(w, [])]
        if not columns:
            raise UsageError(
                f"seeded topic {number} ({' '.join(words)}): none of its terms is in the modelled "
                "vocabulary; check the spelling (nouns as Kiwi splits them) or lower --min-df"
            )
        out.append(columns)
    return out


def _seed_report(model: TopicModel, seed_words, seed_columns: list[list[int]]) -> pd.DataFrame:
    """Whether each seeded topic kept its seed terms among its top 10."""
    rows = []
    tops = model.top_terms(COHERENCE_TOP)
    vocabulary = set(model.terms)
    for topic, words in enumerate(seed_words):
        top = {model.terms[c] for c in tops[topic]}
        known = [w for w in words if w in vocabulary]
        inside = [w for w in known if w in top]
        outside = [w for w in known if w not in top]
        rows.append(
            (
                topic + 1,
                " ".join(words),
                " ".join(inside),
                " ".join(outside),
                " ".join(w for w in words if w not in vocabulary),
                not outside,
            )
        )
    return pd.DataFrame(rows, columns=SEED_COLUMNS)
