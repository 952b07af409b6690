"""Fitting: `fit_topics` (vocabulary, weighting, the k sweep, topic order) and `apply_topics` (a saved model)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import sparse

from kcorpus import stats
from kcorpus.analyses.counts import CountMatrix, count_matrix
from kcorpus.analyses.topics.coherence import _presence, choose_k, split_units, stability, topic_npmi
from kcorpus.analyses.topics.model import TopicEstimator, TopicModel, _single_thread, _top_columns
from kcorpus.analyses.topics.seeding import _seed_columns, _seed_report, _seed_units, _seeded_start
from kcorpus.analyses.topics.settings import (
    COHERENCE_TOP,
    DIVERSITY_TOP,
    HELDOUT_MIN_UNITS,
    K_SPLITS,
    LDA_EVALUATE_EVERY,
    LDA_MAX_ITER,
    LDA_PERP_TOL,
    NMF_MAX_ITER,
    SEED_COLUMNS,
    SWEEP_COLUMNS,
    TopicSettings,
    Warn,
    vocabulary_limits,
)
from kcorpus.analyses.topics.tables import TopicResult, _weighted_share
from kcorpus.errors import KcorpusError
from kcorpus.nlp.terms import TermFilter
from kcorpus.nlp.units import UnitSpec

FIT_MAX_UNITS = 100_000  # more units than this: topics are fitted on a sample of this many (`fit_sample`)
PARALLEL_MIN_CELLS = 100_000  # below this many nonzero unit-term cells, starting worker processes costs more
# than it saves (bundled reports: 12,933 cells, 6 s in one process, 15 s in two; 10 MB: 624,262 cells, 85 -> 70 s)


@dataclass
class _Fit:
    k: int
    estimator: TopicEstimator
    npmi: np.ndarray  # per component
    diversity: float


def fit_topics(
    corpus,
    flt: TermFilter,
    spec: UnitSpec,
    settings: TopicSettings = TopicSettings(),
    *,
    warn: Warn = lambda message: None,
) -> TopicResult:
    """Fit a topic model to the units of `corpus` (sweeping k when settings.k is None)."""
    counts = count_matrix(corpus, flt, spec)
    n_units = counts.matrix.shape[0]
    low, high = vocabulary_limits(n_units, settings.min_df, settings.max_df)
    kept = _vocabulary(counts, low, high)
    if len(kept) == 0 or n_units < 2:
        limits = f"at least {low} and at most {high} units" if low <= high else f"{low} units (--min-df) of {n_units}"
        raise KcorpusError(
            f"too little text to model topics ({n_units} unit(s); {len(kept)} term(s) found in {limits}): add "
            "documents, use --unit sentence, or change --min-df/--max-df"
        )
    terms = [counts.terms[i] for i in kept]
    tags = [counts.tags[i] for i in kept]
    unit_counts = sparse.csr_array(counts.matrix[:, kept])
    counts = _modelled(counts, unit_counts, terms, tags)
    _return_freed_memory()
    weighting, x = _weigh(settings.method, unit_counts)
    presence = _presence(unit_counts)
    seed_columns = _seed_columns(settings.seed_words, terms, warn)
    sample = fit_sample(n_units, settings.seed)
    x_fit = x if sample is None else sparse.csr_matrix(x[sample])
    ks = [k for k in settings.candidate_ks if k <= min(x_fit.shape)]
    if not ks:
        raise KcorpusError(
            f"cannot fit {settings.candidate_ks[0]} or more topics to {x.shape[0]} units and {x.shape[1]} terms: "
            "lower --k or --k-range, or add documents"
        )
    if len(ks) < len(settings.candidate_ks):
        warn(f"k range cut to {ks[0]}:{ks[-1]}: {x.shape[0]} units and {x.shape[1]} terms allow no more topics")
    jobs = max(1, getattr(getattr(corpus, "options", None), "jobs", 1))
    fits, checks = _sweep(settings, x_fit, ks, seed_columns, presence, warn, jobs, sample)
    del x_fit, presence
    heldout = [checks[f.k][0] if checks else float("nan") for f in fits]
    stable = [checks[f.k][1] if checks else float("nan") for f in fits]
    chosen = choose_k(ks, heldout, stable) if settings.k is None else ks[0]
    fit = next(f for f in fits if f.k == chosen)
    sweep = pd.DataFrame(
        {
            "k": [f.k for f in fits],
            "npmi": [float(np.mean(f.npmi)) for f in fits],
            "heldout_npmi": heldout,
            "stability": stable,
            "diversity": [f.diversity for f in fits],
            "chosen": [f.k == chosen for f in fits],
        },
        columns=SWEEP_COLUMNS,
    )

    term_tokens = np.asarray(unit_counts.sum(axis=0), dtype=np.float64).ravel()
    model = TopicModel(
        method=settings.method,
        terms=terms,
        tags=tags,
        estimator=fit.estimator,
        weighting=weighting,
        order=np.arange(chosen),
        term_probability=term_tokens / term_tokens.sum(),
        npmi=fit.npmi,
    )
    placed = model.placement(x)  # the TF-IDF matrix (NMF) or counts (LDA) `_input` would weigh again
    del x
    mixture = model.mixture(placed, unit_counts)
    order = _topic_order(
        _weighted_share(mixture, np.asarray(unit_counts.sum(axis=1), dtype=np.float64).ravel()), len(seed_columns)
    )
    model.order, model.npmi = order, fit.npmi[order]
    mixture = model.mixture(placed, unit_counts)  # scaled in topic order, so --load gives the very same numbers
    seeds = _seed_report(model, settings.seed_words, seed_columns)
    model.settings = _record(settings, flt, spec, low, high, sweep, seeds)
    return TopicResult(model, counts, unit_counts, mixture, _texts(corpus), sweep, seeds)


def apply_topics(corpus, model: TopicModel) -> TopicResult:
    """Place the units of `corpus` in the topics of a saved model, without refitting."""
    counts = count_matrix(corpus, model.term_filter(), model.unit_spec())
    unit_counts = model.aligned(counts)
    counts = _modelled(counts, unit_counts, model.terms, model.tags)
    sweep = pd.DataFrame(model.settings.get("sweep", []), columns=SWEEP_COLUMNS)
    seeds = pd.DataFrame(model.settings.get("seeds", []), columns=SEED_COLUMNS)
    return TopicResult(model, counts, unit_counts, model.unit_topics(unit_counts), _texts(corpus), sweep, seeds)


def fit_sample(n_units: int, seed: int, limit: int | None = None) -> np.ndarray | None:
    """The units a fit sees when there are more than `limit` (FIT_MAX_UNITS): `limit` of them, drawn without
    replacement by numpy's default_rng([seed, 1_000_003]) and sorted; None (all units) up to `limit`.

    A fit's cost grows with its units while what it learns (k topics over a few thousand terms, each
    modelled term in at least 0.2% of the units) is settled well before 100,000 of them; every unit is
    still placed on the topics, NPMI and shares are over all units, and held-out NPMI (k auto) over the
    sample's held-out part. scripts/measure_topic_sample.py compares sample fits with the full fit.
    """
    limit = FIT_MAX_UNITS if limit is None else limit
    if n_units <= limit:
        return None
    rng = np.random.default_rng([seed, 1_000_003])
    return np.sort(rng.choice(n_units, size=limit, replace=False))


def _modelled(counts: CountMatrix, unit_counts: sparse.csr_array, terms: list[str], tags: list[str]) -> CountMatrix:
    """The rows of `counts` over the modelled terms only: the whole vocabulary (most of a big corpus's count:
    every rare term's string and cells) is let go before the model is fitted."""
    return CountMatrix(unit_counts, terms, tags, counts.row_table, counts.meta_rows)


def _return_freed_memory() -> None:
    """Hand the heap that counting freed back to the system (glibc's malloc_trim; elsewhere nothing): glibc
    keeps it otherwise, and the fits then pile up on top (50 MB of synthetic text: 70 MB given back)."""
    import ctypes

    try:
        ctypes.CDLL(None).malloc_trim(0)  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # no glibc (macOS, Windows, musl without malloc_trim)
        pass


def _vocabulary(counts: CountMatrix, low: int, high: int) -> np.ndarray:
    """Columns of terms that occur in `low` to `high` units."""
    matrix = counts.matrix
    stored = matrix.indices[matrix.data > 0]  # one stored cell per unit and term: its units, without a copy
    df = np.bincount(stored, minlength=matrix.shape[1])
    return np.flatnonzero((df >= low) & (df <= high))


def _weigh(method: str, unit_counts: sparse.csr_array):
    """The matrix the estimator factorises: TF-IDF for NMF, raw counts for LDA."""
    x = sparse.csr_matrix(unit_counts.astype(np.float64))
    if method == "lda":
        return None, x
    from sklearn.feature_extraction.text import TfidfTransformer

    weighting = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True).fit(x)
    return weighting, sparse.csr_matrix(weighting.transform(x, copy=False))  # x is ours: weighed in place


def _estimator(settings: TopicSettings, k: int, custom_init: bool):
    from sklearn.decomposition import NMF, LatentDirichletAllocation

    if settings.method == "lda":
        return LatentDirichletAllocation(
            n_components=k,
            learning_method="batch",
            max_iter=LDA_MAX_ITER,
            evaluate_every=LDA_EVALUATE_EVERY,
            perp_tol=LDA_PERP_TOL,
            random_state=settings.seed,
            n_jobs=1,
        )
    init = "custom" if custom_init else "nndsvda"
    if settings.method == "nmf-kl":
        return NMF(
            n_components=k,
            init=init,
            solver="mu",
            beta_loss="kullback-leibler",
            max_iter=NMF_MAX_ITER,
            random_state=settings.seed,
        )
    return NMF(
        n_components=k, init=init, solver="cd", beta_loss="frobenius", max_iter=NMF_MAX_ITER, random_state=settings.seed
    )


def _fit(
    settings: TopicSettings, x, k: int, seed_columns: list[list[int]], presence, rows: np.ndarray | None = None
) -> _Fit:
    """The fit of k topics to `x` (only its `rows` when given: a split, cut here so that a sweep holds one at a
    time, and a worker process cuts its own from the one `x` every task shares)."""
    if rows is not None:
        x = sparse.csr_matrix(x[rows])
    if seed_columns:
        guided = sparse.csr_matrix(sparse.vstack([x, _seed_units(x, seed_columns)]))
        w, h = _seeded_start(settings, guided, k, seed_columns)
        estimator = _estimator(settings, k, custom_init=True)
        estimator.fit(guided, W=w, H=h)
    else:
        estimator = _estimator(settings, k, custom_init=False)
        estimator.fit(x)
    components = np.asarray(estimator.components_, dtype=np.float64)
    tops = _top_columns(components, COHERENCE_TOP)
    npmi = np.array([topic_npmi(presence, top) for top in tops]) if presence is not None else np.zeros(0)
    diversity = float(stats.topic_diversity(_top_columns(components, DIVERSITY_TOP)))
    return _Fit(k, estimator, npmi, diversity)


def _sweep(
    settings: TopicSettings,
    x,
    ks: list[int],
    seed_columns: list[list[int]],
    presence,
    warn: Warn,
    jobs: int,
    sample: np.ndarray | None = None,
) -> tuple[list[_Fit], dict[int, tuple[float, float]]]:
    """The fit of every k, and with --k auto each k's (held-out NPMI, stability): K_SPLITS fits per k, each
    on its own ~80% of the units. Every fit is seeded on its own, so running them in `jobs` worker
    processes gives the very same numbers as one after another.

    Held-out NPMI: the mean over every topic of every split's fit of its NPMI over the units that fit
    did not see, pairs of terms seen there only (over all units when too few are held out).
    `sample`: the rows of `presence` (all units) that the rows of `x` are (None: all of them).
    Stability: `stability` of the splits' fits."""
    splits = [split_units(x.shape[0], settings.seed, i) for i in range(K_SPLITS)] if settings.k is None else []
    if splits and splits[0][1] is None:
        warn(
            f"only {x.shape[0]} units: too few to hold out {HELDOUT_MIN_UNITS} for choosing k, so held-out NPMI "
            "is measured on all units (the fitted ones); add documents or use --unit sentence"
        )
    tasks: list[tuple] = [(settings, x, k, seed_columns, presence, None) for k in ks]
    checked = [(k, i) for k in ks for i, (rows, _) in enumerate(splits) if k <= min(len(rows), x.shape[1])]
    tasks += [(replace(settings, seed=settings.seed + i), x, k, seed_columns, None, splits[i][0]) for k, i in checked]
    results = _run_fits(tasks, jobs if x.nnz >= PARALLEL_MIN_CELLS else 1)
    fits, split_fits = results[: len(ks)], results[len(ks) :]
    presence_csr = sparse.csr_array(presence) if checked else None
    npmis: dict[int, list[float]] = {k: [] for k in ks} if splits else {}
    components: dict[int, list[np.ndarray]] = {k: [] for k in ks}
    for (k, i), fit in zip(checked, split_fits):
        tops = _top_columns(fit.estimator.components_, COHERENCE_TOP)
        held = splits[i][1]
        if held is None:
            npmis[k].extend(topic_npmi(presence, top) for top in tops)
        else:
            assert presence_csr is not None
            scored = sparse.csc_array(presence_csr[held if sample is None else sample[held]])
            npmis[k].extend(topic_npmi(scored, top, seen_only=True) for top in tops)
        components[k].append(np.asarray(fit.estimator.components_, dtype=np.float64))
    checks = {}
    for k, values in npmis.items():
        scores = [v for v in values if not np.isnan(v)]
        checks[k] = (float(np.mean(scores)) if scores else float("nan"), stability(components[k]))
    return fits, checks


def _run_fits(tasks: list[tuple], jobs: int) -> list[_Fit]:
    """`_fit` of every task, in order; in `jobs` worker processes when there is more than one task."""
    if jobs < 2 or len(tasks) < 2:
        with _single_thread():
            return [_fit(*task) for task in tasks]
    from joblib import Parallel, delayed

    return Parallel(n_jobs=min(jobs, len(tasks)), backend="loky")(delayed(_fit_alone)(*task) for task in tasks)


def _fit_alone(*task) -> _Fit:
    with _single_thread():
        return _fit(*task)


def _topic_order(shares: np.ndarray, n_seeded: int) -> np.ndarray:
    """Seeded topics first as given, then the others by share (largest first, ties by component)."""
    rest = np.arange(n_seeded, len(shares))
    rest = rest[np.lexsort((rest, -shares[rest]))]
    return np.concatenate([np.arange(n_seeded), rest]).astype(np.int64)


def _record(
    settings: TopicSettings,
    flt: TermFilter,
    spec: UnitSpec,
    low: int,
    high: int,
    sweep: pd.DataFrame,
    seeds: pd.DataFrame,
) -> dict:
    """The settings saved with a model (JSON-ready)."""
    return {
        "seed": settings.seed,
        "k_requested": settings.k or "auto",
        "k_range": list(settings.k_range),
        "min_df_units": low,
        "max_df_units": high,
        "terms": {"pos": flt.pos, "min_length": flt.min_length, "stopwords": sorted(flt.stopwords)},
        "unit": {"kind": spec.kind, "size": spec.size, "min_tokens": spec.min_tokens},
        "seed_words": [list(words) for words in settings.seed_words],
        "sweep": _json_rows(sweep),
        "seeds": _json_rows(seeds),
    }


def _json_rows(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON values; NaN (not measured) as null, so a loaded model's settings compare equal."""
    rows = []
    for row in frame.to_dict(orient="records"):
        plain = {key: (value.item() if hasattr(value, "item") else value) for key, value in row.items()}
        rows.append(
            {key: (None if isinstance(value, float) and value != value else value) for key, value in plain.items()}
        )
    return rows


class _CleanedTexts(Mapping):
    """The cleaned text of each document by id, read from the document (and so the token store) when asked."""

    def __init__(self, corpus):
        self.documents = {analysed.id: analysed for analysed in corpus}

    def __getitem__(self, doc: str) -> str:
        return self.documents[doc].cleaned.text

    def __iter__(self):
        return iter(self.documents)

    def __len__(self) -> int:
        return len(self.documents)


def _texts(corpus) -> Mapping[str, str]:
    return _CleanedTexts(corpus)
