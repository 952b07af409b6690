"""The fitted topic model: estimator, vocabulary, topic order, and placing units in its topics."""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Protocol

import numpy as np
from scipy import sparse

from kcorpus.analyses.counts import CountMatrix
from kcorpus.analyses.topics.saved import load_model, save_model
from kcorpus.analyses.topics.settings import LABEL_TERMS
from kcorpus.nlp.terms import TermFilter
from kcorpus.nlp.units import UnitSpec


class TopicEstimator(Protocol):
    """What a topic model uses of its fitted scikit-learn NMF or LatentDirichletAllocation."""

    components_: np.ndarray  # one row per estimator component, one column per term

    def transform(self, X: Any) -> np.ndarray: ...


class LdaEstimator(TopicEstimator, Protocol):
    """A fitted LatentDirichletAllocation: the Dirichlet terms its transform needs besides components_."""

    exp_dirichlet_component_: np.ndarray
    doc_topic_prior_: float
    topic_word_prior_: float


class TermWeighting(Protocol):
    """What a topic model uses of its fitted scikit-learn TfidfTransformer."""

    idf_: np.ndarray

    def transform(self, X: Any) -> Any: ...  # a scipy sparse matrix


@dataclass
class TopicModel:
    """A fitted topic model and what it needs to place new units: vocabulary, weighting, topic order."""

    method: str
    terms: list[str]
    tags: list[str]
    estimator: TopicEstimator  # sklearn NMF or LatentDirichletAllocation
    weighting: TermWeighting | None  # fitted sklearn TfidfTransformer (NMF) or None (LDA reads counts)
    order: np.ndarray  # estimator component of topic 1, 2, ...
    term_probability: np.ndarray  # p(w) in the fitted units
    npmi: np.ndarray  # coherence of each topic over the fitted units
    settings: dict = field(default_factory=dict)  # what was fitted how (saved as JSON)

    @property
    def k(self) -> int:
        return len(self.order)

    def __repr__(self) -> str:
        return f"<TopicModel: {self.method}, k={self.k}, {len(self.terms):,} terms>"

    def topic_term(self) -> np.ndarray:
        """p(w|t): one row per topic (topic order), each summing to 1."""
        components = np.asarray(self.estimator.components_, dtype=np.float64)[self.order]
        totals = components.sum(axis=1, keepdims=True)
        return np.divide(components, totals, out=np.zeros_like(components), where=totals > 0)

    def top_terms(self, n: int) -> list[list[int]]:
        """The n highest-weighted term columns of each topic (ties: earlier column first)."""
        return _top_columns(self.topic_term(), n)

    def labels(self) -> list[str]:
        return [", ".join(self.terms[i] for i in top) for top in self.top_terms(LABEL_TERMS)]

    def aligned(self, counts: CountMatrix) -> sparse.csr_array:
        """The count matrix with the model's vocabulary as columns (unknown terms dropped)."""
        position = {key: i for i, key in enumerate(zip(self.terms, self.tags))}
        columns = np.array([position.get(key, -1) for key in zip(counts.terms, counts.tags)], dtype=np.int64)
        known = np.flatnonzero(columns >= 0)
        mapping = sparse.csr_array(
            (np.ones(len(known), dtype=np.int64), (known, columns[known])), shape=(len(counts.terms), len(self.terms))
        )
        return sparse.csr_array(counts.matrix @ mapping)

    def unit_topics(self, unit_counts: sparse.csr_array) -> np.ndarray:
        """Each unit's topic mixture (rows sum to 1; units without modelled terms are all zero).

        Every unit is placed on its own, so its mixture never depends on the other units of a run:
        NMF: the exact non-negative least-squares weights of the unit on the topics (what
        NMF.transform approximates); NMF-KL: NMF.transform unit by unit; LDA: LDA.transform
        (which infers each document separately).
        """
        return self.mixture(self.placement(self._input(unit_counts)), unit_counts)

    def placement(self, x) -> np.ndarray:
        """Each unit's weights on the estimator's components (estimator order, not scaled): `x` is the
        weighted input (`_input`, the TF-IDF matrix the estimator was fitted on for NMF)."""
        with _single_thread():
            if self.method == "nmf":
                weights = _least_squares_weights(x, np.asarray(self.estimator.components_, dtype=np.float64))
            elif self.method == "nmf-kl":
                weights = (
                    np.vstack([self.estimator.transform(x[row]) for row in range(x.shape[0])])
                    if x.shape[0]
                    else np.zeros((0, self.k))
                )
            else:
                weights = self.estimator.transform(x)
        return np.asarray(weights, dtype=np.float64)

    def mixture(self, weights: np.ndarray, unit_counts: sparse.csr_array) -> np.ndarray:
        """`placement` weights in topic order, scaled to sum to 1 (units without modelled terms: all zero)."""
        weights = weights[:, self.order]
        has_terms = np.asarray(unit_counts.sum(axis=1)).ravel() > 0
        weights[~has_terms] = 0.0
        totals = weights.sum(axis=1, keepdims=True)
        return np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)

    def _input(self, unit_counts: sparse.csr_array):
        if self.weighting is None:
            return sparse.csr_matrix(unit_counts.astype(np.float64))
        return sparse.csr_matrix(self.weighting.transform(sparse.csr_matrix(unit_counts.astype(np.float64))))

    # --- save and load (saved.py)

    def transform(self, corpus):
        """Place the units of `corpus` on these topics without refitting: a TopicResult with its tables."""
        from kcorpus.analyses.topics.fitting import apply_topics

        return apply_topics(corpus, self)

    def save(self, directory: Path) -> None:
        """Write model.npz (NumPy arrays only) and settings.json (versions, vocabulary, settings and the
        estimator's parameters); no pickle. Both are written to temporary files in the folder first and
        then renamed, so a failed save leaves no half-written file. A model.joblib left by an older
        kcorpus in the folder is removed (it would no longer match settings.json)."""
        save_model(self, directory)

    @classmethod
    def load(cls, directory: Path) -> "TopicModel":
        """Read a saved model (model.npz without pickle, settings.json); refuse one written by another
        kcorpus or scikit-learn version, one in the old pickle format (never opened), and anything
        damaged or inconsistent."""
        return load_model(cls, directory)

    def term_filter(self) -> TermFilter:
        """The term filter the model was fitted with (new documents must be read the same way)."""
        terms = self.settings["terms"]
        return TermFilter(terms["pos"], terms["min_length"], frozenset(terms["stopwords"]))

    def unit_spec(self) -> UnitSpec:
        unit = self.settings["unit"]
        return UnitSpec(unit["kind"], unit["size"], unit["min_tokens"])


@contextmanager
def _single_thread() -> Iterator[None]:
    """One BLAS thread (small fits run faster, and results do not depend on the core count);
    sklearn's convergence notes silenced (the iteration caps are generous)."""
    from sklearn.exceptions import ConvergenceWarning
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1), warnings.catch_warnings():
        warnings.simplefilter("ignore", category=ConvergenceWarning)
        yield


def _least_squares_weights(x, components: np.ndarray) -> np.ndarray:
    """argmin_w>=0 ||x_u - w H|| for every row x_u, solved exactly (placement.py: scipy's nnls unit by unit,
    or block principal pivoting on many units at once)."""
    from kcorpus.analyses.topics.placement import least_squares_weights

    return least_squares_weights(x, components)


def _top_columns(matrix: np.ndarray, n: int) -> list[list[int]]:
    """Per row, the columns of its n largest positive values (ties: earlier column first)."""
    columns = np.arange(matrix.shape[1])
    return [[c for c in np.lexsort((columns, -row))[:n].tolist() if row[c] > 0] for row in matrix]
