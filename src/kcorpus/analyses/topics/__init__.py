"""Topic models of units (NMF or LDA on scikit-learn): k chosen by coherence, seed words, save and load.

What the numbers mean:

- Units are paragraphs by default (short paragraphs merged until they hold 50 content tokens);
  terms are nouns by default. A unit's topic mixture is its weight on each topic (NMF: exact
  non-negative least squares on the topic-term matrix; LDA: the inferred mixture), scaled to
  sum to 1. Units are placed one by one, so a unit's mixture never depends on the other
  documents of a run (a saved model gives the same numbers for a document alone or in a batch).
- Vocabulary: a term is modelled when it occurs in at least `min_df` units and in at most
  `max_df` of them (see `vocabulary_limits` for the defaults, which scale with corpus size).
- NMF (the default) factorises the TF-IDF matrix (sublinear tf 1 + ln tf, smoothed idf,
  l2-normalised rows) with the Frobenius loss and nndsvda initialisation; `nmf-kl` uses the
  Kullback-Leibler loss; `lda` fits batch variational LDA on raw counts.
- Coherence: NPMI (stats.npmi) of every pair of a topic's top 10 terms, probabilities being
  shares of units that contain the term(s), averaged over the 45 pairs. Diversity: unique
  terms among all top-25 lists / (25·K) (stats.topic_diversity).
- k auto: every k of the range is fitted; the chosen k is the smallest whose mean NPMI is
  within K_MARGIN (0.02) of the best mean NPMI: closer than that, neighbouring k differ by
  noise more than by quality, and fewer topics are easier to read. Perplexity is never used.
- Seed words: each seeded topic starts (init='custom') as its seed terms alone, the other
  topics as an ordinary fit of the remaining k; during fitting each seeded topic also gets a
  pseudo-unit holding only its seed terms, weighted like 2% of the units (at least one), so
  the loss rewards keeping them together. Pseudo-units never appear in shares or tables.
- Topics are numbered from 1: seeded topics first (in seed-file order), then by their share
  of the fitted corpus, largest first.
- A share is token-weighted: a unit counts in proportion to its terms.
- weight = p(w|t), the topic's row of the term matrix scaled to sum to 1; relevance =
  λ·ln p(w|t) + (1−λ)·ln(p(w|t)/p(w)) with λ = 0.6 and p(w) the term's share of all term
  tokens in the fitted units (Sievert & Shirley 2014).
- A saved model is a folder: model.npz (the fitted arrays, NumPy format, read without pickle) and
  settings.json (versions, vocabulary, settings, the estimator's constructor parameters); loading
  rebuilds the scikit-learn objects from these, so a model folder cannot run code. Folders holding
  an old model.joblib (a pickle) are refused without opening it.
- Fits run with one BLAS thread (small fits are faster so) and LDA with n_jobs=1: the same input
  and options give byte-identical tables, whatever the machine's core count.
"""

from __future__ import annotations

import io
import json
import math
import os
import struct
import tempfile
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np
import pandas as pd
from scipy import sparse

from kcorpus import __version__, stats
from kcorpus.nlp.terms import TermFilter
from kcorpus.analyses.counts import CountMatrix, count_matrix
from kcorpus.errors import KcorpusError, UsageError
from kcorpus.nlp.units import UnitSpec

METHODS = ("nmf", "nmf-kl", "lda")
TABLES = ("topics", "docs", "units", "examples", "k", "seeds")
DEFAULT_K_RANGE = (4, 12)
COHERENCE_TOP = 10  # NPMI over the pairs of each topic's top 10 terms
DIVERSITY_TOP = 25  # diversity over each topic's top 25 terms
K_MARGIN = 0.02  # k auto: the smallest k whose mean NPMI is within this of the best
RELEVANCE_LAMBDA = 0.6
LABEL_TERMS = 3
EXAMPLES_PER_TOPIC = 3
TEXT_WIDTH = 80
MIN_DF_SHARE = 0.002  # default min_df: 0.2% of units, at least 2 units
MAX_DF_SHARE = 0.5  # default max_df: terms in more than half of the units say nothing about topics
SEED_UNIT_SHARE = 0.02  # seed words: each seeded topic's pseudo-unit weighs like 2% of the units
NMF_MAX_ITER = 1000
# Batch LDA stops once perplexity changes by less than LDA_PERP_TOL between checks every
# LDA_EVALUATE_EVERY iterations (about 50 iterations here); perplexity is only a convergence test.
LDA_MAX_ITER = 200
LDA_EVALUATE_EVERY = 5
LDA_PERP_TOL = 0.5
MODEL_FILE = "model.npz"  # NumPy arrays only, read with allow_pickle=False
SETTINGS_FILE = "settings.json"
LEGACY_MODEL_FILE = "model.joblib"  # a pickle written by older kcorpus versions: never opened

Warn = Callable[[str], None]

TOPIC_COLUMNS = ["topic", "label", "share", "npmi", "terms"]
TERM_COLUMNS = ["topic", "rank", "term", "weight", "relevance"]
DOC_COLUMNS = ["doc", "topic", "share"]
UNIT_COLUMNS = ["doc", "unit", "line_start", "line_end", "topic", "share", "text"]
EXAMPLE_COLUMNS = ["topic", "rank", "cite", "share", "text"]
SWEEP_COLUMNS = ["k", "npmi", "diversity", "chosen"]
SEED_COLUMNS = ["topic", "seeds", "in_top10", "not_in_top10", "not_in_vocabulary", "kept"]


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicSettings:
    """How to fit: method, k (None = choose within k_range), seed, vocabulary limits, seed words."""

    method: str = "nmf"
    k: int | None = None
    k_range: tuple[int, int] = DEFAULT_K_RANGE
    seed: int = 0
    min_df: int | None = None  # units; None: the default rule
    max_df: float | None = None  # share of units; None: the default rule
    seed_words: tuple[tuple[str, ...], ...] = ()

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise UsageError(f"--method {self.method!r}: use one of {', '.join(METHODS)}")
        low, high = self.k_range
        if not 2 <= low <= high:
            raise UsageError(f"--k-range {low}:{high}: use LOW:HIGH with 2 <= LOW <= HIGH, e.g. 4:12")
        if self.k is not None and self.k < 2:
            raise UsageError("--k must be 2 or more (or auto)")
        if self.min_df is not None and self.min_df < 1:
            raise UsageError("--min-df must be 1 or more (a number of units)")
        if self.max_df is not None and not 0.0 < self.max_df <= 1.0:
            raise UsageError("--max-df must be a share of units above 0 and at most 1, e.g. 0.5")
        if self.seed_words and self.method == "lda":
            raise UsageError("--seed-words works with --method nmf or nmf-kl, not lda")
        if self.k is not None and self.k < len(self.seed_words):
            raise UsageError(f"--k {self.k} is fewer than the {len(self.seed_words)} seeded topics: raise --k")

    @property
    def candidate_ks(self) -> list[int]:
        if self.k is not None:
            return [self.k]
        low, high = self.k_range
        return list(range(max(low, len(self.seed_words), 2), max(high, len(self.seed_words)) + 1))


def parse_k(text: str) -> int | None:
    """`auto` → None (choose k), else a whole number."""
    text = text.strip().lower()
    if text == "auto":
        return None
    if not (text.isascii() and text.isdigit()):
        raise UsageError(f"--k {text!r}: use a whole number such as 8, or auto")
    return int(text)


def parse_k_range(text: str) -> tuple[int, int]:
    """`LOW:HIGH` → (LOW, HIGH)."""
    low, sep, high = text.strip().partition(":")
    low, high = low.strip(), high.strip()
    if not sep or not all(part.isascii() and part.isdigit() for part in (low, high)):
        raise UsageError(f"--k-range {text!r}: use LOW:HIGH, e.g. 4:12")
    return int(low), int(high)


def vocabulary_limits(n_units: int, min_df: int | None = None, max_df: float | None = None) -> tuple[int, int]:
    """The fewest and most units a modelled term may occur in.

    Defaults: min_df = max(2, ceil(0.2% of units)) — a term seen in one unit cannot co-occur
    with anything, and in large corpora rare terms are mostly noise; max_df = 50% of units.
    """
    low = min_df if min_df is not None else max(2, math.ceil(MIN_DF_SHARE * n_units))
    share = max_df if max_df is not None else MAX_DF_SHARE
    high = max(1, math.floor(share * n_units))
    return low, high


# --- the model -----------------------------------------------------------------------------------


@dataclass
class TopicModel:
    """A fitted topic model and what it needs to place new units: vocabulary, weighting, topic order."""

    method: str
    terms: list[str]
    tags: list[str]
    estimator: object  # sklearn NMF or LatentDirichletAllocation
    weighting: object | None  # fitted sklearn TfidfTransformer (NMF) or None (LDA reads counts)
    order: np.ndarray  # estimator component of topic 1, 2, ...
    term_probability: np.ndarray  # p(w) in the fitted units
    npmi: np.ndarray  # coherence of each topic over the fitted units
    settings: dict = field(default_factory=dict)  # what was fitted how (saved as JSON)

    @property
    def k(self) -> int:
        return len(self.order)

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
        x = self._input(unit_counts)
        with _single_thread():
            if self.method == "nmf":
                weights = _least_squares_weights(x, np.asarray(self.estimator.components_, dtype=np.float64))
            elif self.method == "nmf-kl":
                weights = np.vstack([self.estimator.transform(x[row]) for row in range(x.shape[0])]) \
                    if x.shape[0] else np.zeros((0, self.k))
            else:
                weights = self.estimator.transform(x)
        weights = np.asarray(weights, dtype=np.float64)[:, self.order]
        has_terms = np.asarray(unit_counts.sum(axis=1)).ravel() > 0
        weights[~has_terms] = 0.0
        totals = weights.sum(axis=1, keepdims=True)
        return np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)

    def _input(self, unit_counts: sparse.csr_array):
        if self.weighting is None:
            return sparse.csr_matrix(unit_counts.astype(np.float64))
        return sparse.csr_matrix(self.weighting.transform(sparse.csr_matrix(unit_counts.astype(np.float64))))

    # --- save and load

    def save(self, directory: Path) -> None:
        """Write model.npz (NumPy arrays only) and settings.json (versions, vocabulary, settings and the
        estimator's parameters); no pickle. Both are written to temporary files in the folder first and
        then renamed, so a failed save leaves no half-written file. A model.joblib left by an older
        kcorpus in the folder is removed (it would no longer match settings.json)."""
        directory = Path(directory)
        buffer = io.BytesIO()
        np.savez(buffer, **self._arrays())
        record = {**library_versions(), "method": self.method, "k": self.k, **self.settings,
                  "estimator": _estimator_record(self.estimator),
                  "weighting": None if self.weighting is None else _weighting_record(self.weighting),
                  "vocabulary": [[t, g] for t, g in zip(self.terms, self.tags)]}
        settings = (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
        try:
            directory.mkdir(parents=True, exist_ok=True)
            _write_files(directory, {MODEL_FILE: buffer.getvalue(), SETTINGS_FILE: settings})
            (directory / LEGACY_MODEL_FILE).unlink(missing_ok=True)
        except OSError as exc:
            raise KcorpusError(f"cannot save the model to {directory}: {exc.strerror or exc}") from None

    def _arrays(self) -> dict[str, np.ndarray]:
        """What model.npz holds: the fitted arrays `unit_topics` needs, topic order, p(w) and NPMI."""
        estimator = self.estimator
        arrays = {
            "components": np.asarray(estimator.components_, dtype=np.float64),
            "order": np.asarray(self.order, dtype=np.int64),
            "term_probability": np.asarray(self.term_probability, dtype=np.float64),
            "npmi": np.asarray(self.npmi, dtype=np.float64),
        }
        if self.method == "lda":
            arrays["exp_dirichlet_component"] = np.asarray(estimator.exp_dirichlet_component_, dtype=np.float64)
            arrays["doc_topic_prior"] = np.asarray(estimator.doc_topic_prior_, dtype=np.float64)
            arrays["topic_word_prior"] = np.asarray(estimator.topic_word_prior_, dtype=np.float64)
        if self.weighting is not None:
            arrays["idf"] = np.asarray(self.weighting.idf_, dtype=np.float64)
        return arrays

    @classmethod
    def load(cls, directory: Path) -> "TopicModel":
        """Read a saved model (model.npz without pickle, settings.json); refuse one written by another
        kcorpus or scikit-learn version, one in the old pickle format (never opened), and anything
        damaged or inconsistent."""
        directory = Path(directory)
        model_path, settings_path = directory / MODEL_FILE, directory / SETTINGS_FILE
        if not model_path.exists() and (directory / LEGACY_MODEL_FILE).exists():
            raise KcorpusError(
                f"the model in {directory} was saved by an older kcorpus as {LEGACY_MODEL_FILE}, a format that "
                f"can run code when loaded, so it is not opened: refit it and save it again with "
                f"kcorpus topics --save {directory}"
            )
        try:
            record = json.loads(settings_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise KcorpusError(f"no saved topic model in {directory} ({SETTINGS_FILE} missing): "
                               "write one with kcorpus topics --save DIR") from None
        except (OSError, ValueError) as exc:
            raise KcorpusError(f"cannot read {settings_path}: {_one_line(exc)}; refit the model and save it "
                               f"again with kcorpus topics --save {directory}") from None
        if not isinstance(record, dict):
            raise KcorpusError(f"cannot read {settings_path}: it holds no JSON object; refit the model and save "
                               f"it again with kcorpus topics --save {directory}")
        current = library_versions()
        for library in ("kcorpus", "scikit-learn"):
            if record.get(library) != current[library]:
                raise KcorpusError(
                    f"the model in {directory} was saved with {library} {record.get(library)}, this is "
                    f"{library} {current[library]}: refit it with kcorpus topics --save {directory}"
                )
        method = record.get("method")
        if method not in METHODS:
            raise KcorpusError(f"{settings_path} names no known method ({method!r}): save the model again")
        arrays = _read_arrays(model_path, directory)
        try:
            vocabulary = record.pop("vocabulary")
            estimator_spec, weighting_spec = record.pop("estimator"), record.pop("weighting")
            saved_k = record.pop("k")
            for key in ("kcorpus", "scikit-learn", "kiwipiepy", "method"):
                record.pop(key, None)
            if not isinstance(vocabulary, list) or not all(
                    isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair)
                    for pair in vocabulary):
                raise ValueError("vocabulary is not a list of [term, tag] pairs")
            _check_arrays(arrays, method, len(vocabulary), saved_k)
            model = cls(
                method=method, terms=[t for t, _ in vocabulary], tags=[g for _, g in vocabulary],
                estimator=_rebuild_estimator(method, estimator_spec, arrays),
                weighting=_rebuild_weighting(method, weighting_spec, arrays),
                order=arrays["order"].astype(np.int64), term_probability=arrays["term_probability"],
                npmi=arrays["npmi"], settings=record,
            )
            model.term_filter(), model.unit_spec()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            reason = f"{SETTINGS_FILE} has no {exc} entry" if isinstance(exc, KeyError) else _one_line(exc)
            raise KcorpusError(f"the model in {directory} is incomplete or inconsistent ({reason}): "
                               f"refit it and save it again with kcorpus topics --save {directory}") from None
        return model

    def term_filter(self) -> TermFilter:
        """The term filter the model was fitted with (new documents must be read the same way)."""
        terms = self.settings["terms"]
        return TermFilter(terms["pos"], terms["min_length"], frozenset(terms["stopwords"]))

    def unit_spec(self) -> UnitSpec:
        unit = self.settings["unit"]
        return UnitSpec(unit["kind"], unit["size"], unit["min_tokens"])


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    import sklearn

    try:
        kiwi = version("kiwipiepy")
    except PackageNotFoundError:
        kiwi = ""
    return {"kcorpus": __version__, "scikit-learn": sklearn.__version__, "kiwipiepy": kiwi}


# --- saved models: JSON and NumPy arrays, no pickle -----------------------------------------------

# Fitted scalars kept for the record (unit_topics does not need them), by estimator class.
_FITTED_SCALARS = {
    "NMF": ("n_iter_", "reconstruction_err_"),
    "LatentDirichletAllocation": ("n_iter_", "n_batch_iter_", "bound_"),
}
# Errors that reading a damaged or foreign .npz can raise (numpy, zipfile, zlib).
_NPZ_ERRORS = (ValueError, OSError, KeyError, EOFError, zipfile.BadZipFile, zlib.error, struct.error,
               NotImplementedError, RuntimeError, UnicodeDecodeError)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _json_scalar(value):
    """A parameter value as JSON (None, bool, int, float or str); anything else is refused."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"parameter value {value!r} cannot be saved as JSON")


def _params_record(estimator) -> dict:
    return {name: _json_scalar(value) for name, value in sorted(estimator.get_params(deep=False).items())}


def _estimator_record(estimator) -> dict:
    """settings.json's estimator entry: class, constructor parameters, fitted scalars for the record."""
    name = type(estimator).__name__
    fitted = {attr: _json_scalar(getattr(estimator, attr)) for attr in _FITTED_SCALARS.get(name, ())
              if hasattr(estimator, attr)}
    return {"class": name, "params": _params_record(estimator), "fitted": fitted}


def _weighting_record(weighting) -> dict:
    return {"class": type(weighting).__name__, "params": _params_record(weighting)}


def _write_files(directory: Path, files: dict[str, bytes]) -> None:
    """Write every file to a temporary file in `directory`, then rename them all into place."""
    temps: list[tuple[str, Path]] = []
    try:
        for name, data in files.items():
            handle, temp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
            temps.append((temp, directory / name))
            with os.fdopen(handle, "wb") as out:
                out.write(data)
        for temp, target in temps:
            os.replace(temp, target)
    finally:
        for temp, _ in temps:
            Path(temp).unlink(missing_ok=True)


def _read_arrays(path: Path, directory: Path) -> dict[str, np.ndarray]:
    """Every array of model.npz, read with allow_pickle=False; damaged or foreign files refused."""
    refit = f"refit the model and save it again with kcorpus topics --save {directory}"
    try:
        data = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise KcorpusError(f"{path} is missing: {refit}") from None
    except _NPZ_ERRORS as exc:
        if isinstance(exc, ValueError) and "pickle" in str(exc):
            raise KcorpusError(f"{path} is not a kcorpus model: it is not a NumPy .npz archive (kcorpus never "
                               f"loads pickled data); {refit}") from None
        raise KcorpusError(f"cannot read {path}, it is damaged ({_one_line(exc)}): {refit}") from None
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise KcorpusError(f"{path} is not a kcorpus model: it holds one array, not a .npz archive; {refit}")
    arrays = {}
    try:
        with data:
            for name in data.files:
                array = data[name]
                if not isinstance(array, np.ndarray):
                    raise ValueError(f"member {name!r} is not a NumPy array")
                arrays[name] = np.array(array)  # a writable copy in the saved memory layout
    except _NPZ_ERRORS as exc:
        if isinstance(exc, ValueError) and "allow_pickle" in str(exc):
            raise KcorpusError(f"{path} is not a kcorpus model: it holds Python objects, which could run code "
                               f"when loaded, so they are not read; {refit}") from None
        raise KcorpusError(f"cannot read {path}, it is damaged ({_one_line(exc)}): {refit}") from None
    return arrays


def _check_arrays(arrays: dict[str, np.ndarray], method: str, n_terms: int, saved_k) -> None:
    """The arrays a model of `method` needs, with the right types and shapes (ValueError otherwise)."""
    expected = {"components", "order", "term_probability", "npmi"}
    expected |= {"exp_dirichlet_component", "doc_topic_prior", "topic_word_prior"} if method == "lda" else {"idf"}
    if set(arrays) != expected:
        missing, extra = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
        raise ValueError(f"{MODEL_FILE} should hold {', '.join(sorted(expected))}"
                         + (f"; missing {', '.join(missing)}" if missing else "")
                         + (f"; unexpected {', '.join(extra)}" if extra else ""))
    for name, array in arrays.items():
        if name == "order":
            if array.dtype.kind not in "iu":
                raise ValueError(f"{name} is not an integer array ({array.dtype})")
        elif array.dtype != np.float64:
            raise ValueError(f"{name} is not a float64 array ({array.dtype})")
    components = arrays["components"]
    if components.ndim != 2 or components.shape[0] < 1 or components.shape[1] != n_terms:
        raise ValueError(f"components has shape {components.shape}, expected (k, {n_terms}) for a vocabulary "
                         f"of {n_terms} terms")
    k = components.shape[0]
    if isinstance(saved_k, bool) or not isinstance(saved_k, int) or saved_k != k:
        raise ValueError(f"settings say k={saved_k!r} but the model holds {k} topics")
    shapes = {"order": (k,), "term_probability": (n_terms,), "npmi": (k,), "idf": (n_terms,),
              "exp_dirichlet_component": (k, n_terms), "doc_topic_prior": (), "topic_word_prior": ()}
    for name, array in arrays.items():
        if name in shapes and array.shape != shapes[name]:
            raise ValueError(f"{name} has shape {array.shape}, expected {shapes[name]}")
    if not np.array_equal(np.sort(arrays["order"]), np.arange(k)):
        raise ValueError(f"order is not a permutation of the {k} topics")
    for name in expected - {"order", "npmi"}:
        array = arrays[name]
        if not np.all(np.isfinite(array)) or (name != "idf" and np.any(array < 0)):
            raise ValueError(f"{name} holds negative or non-finite values")
    if method == "lda" and not (arrays["doc_topic_prior"] > 0 and arrays["topic_word_prior"] > 0):
        raise ValueError("the Dirichlet priors must be positive")


def _checked_params(spec, cls, what: str) -> object:
    """A new `cls` with the saved constructor parameters: exactly its parameter names, JSON scalars only,
    and values scikit-learn accepts."""
    if not isinstance(spec, dict) or spec.get("class") != cls.__name__:
        raise ValueError(f"{what} should be a record of class {cls.__name__}")
    params = spec.get("params")
    instance = cls()
    names = set(instance.get_params(deep=False))
    if not isinstance(params, dict) or set(params) != names:
        raise ValueError(f"{what} parameters should be exactly {', '.join(sorted(names))}")
    if not all(value is None or isinstance(value, (bool, int, float, str)) for value in params.values()):
        raise ValueError(f"{what} parameters must be JSON numbers, strings, booleans or null")
    instance.set_params(**params)
    validate = getattr(instance, "_validate_params", None)
    if validate is not None:
        validate()  # sklearn's own parameter constraints (raises a ValueError subclass)
    return instance


def _rebuild_estimator(method: str, spec, arrays: dict[str, np.ndarray]):
    """The fitted NMF or LatentDirichletAllocation, from its parameters and saved arrays: what
    `unit_topics` needs (components_, and for transform n_features_in_ and, LDA, the Dirichlet terms)."""
    from sklearn.decomposition import NMF, LatentDirichletAllocation

    cls = LatentDirichletAllocation if method == "lda" else NMF
    estimator = _checked_params(spec, cls, "the estimator")
    components = arrays["components"]
    k, n_terms = components.shape
    if estimator.n_components != k:
        raise ValueError(f"the estimator's n_components ({estimator.n_components}) is not the {k} saved topics")
    estimator.components_ = components
    estimator.n_features_in_ = n_terms
    if method == "lda":
        estimator.exp_dirichlet_component_ = arrays["exp_dirichlet_component"]
        estimator.doc_topic_prior_ = float(arrays["doc_topic_prior"])
        estimator.topic_word_prior_ = float(arrays["topic_word_prior"])
    else:
        estimator.n_components_ = k
    fitted = spec.get("fitted", {})
    allowed = _FITTED_SCALARS[cls.__name__]
    if not isinstance(fitted, dict) or not set(fitted) <= set(allowed) or not all(
            isinstance(v, (int, float)) and not isinstance(v, bool) for v in fitted.values()):
        raise ValueError(f"the estimator's fitted values should be numbers among {', '.join(allowed)}")
    for name, value in fitted.items():
        setattr(estimator, name, value)
    return estimator


def _rebuild_weighting(method: str, spec, arrays: dict[str, np.ndarray]):
    """The fitted TfidfTransformer of the NMF methods (its parameters and idf_), None for LDA."""
    if method == "lda":
        if spec is not None:
            raise ValueError("an LDA model has no TF-IDF weighting")
        return None
    from sklearn.feature_extraction.text import TfidfTransformer

    weighting = _checked_params(spec, TfidfTransformer, "the weighting")
    if not weighting.use_idf:
        raise ValueError("the weighting should use idf")
    weighting.idf_ = arrays["idf"]
    weighting.n_features_in_ = len(arrays["idf"])
    return weighting


# --- the result of a run -------------------------------------------------------------------------


@dataclass
class TopicResult:
    """A model applied to units: each unit's mixture, and the tables built from it."""

    model: TopicModel
    counts: CountMatrix  # all units of the analysed documents
    unit_counts: sparse.csr_array  # the same units over the model's vocabulary
    mixture: np.ndarray  # unit × topic, rows sum to 1 (or 0 for units without modelled terms)
    texts: dict[str, str]  # cleaned text of each document, for unit excerpts
    sweep: pd.DataFrame
    seeds: pd.DataFrame

    @property
    def unit_weights(self) -> np.ndarray:
        """Modelled term tokens of each unit (what shares are weighted by)."""
        return np.asarray(self.unit_counts.sum(axis=1), dtype=np.float64).ravel()

    def shares(self) -> np.ndarray:
        """Each topic's token-weighted share of all units."""
        return _weighted_share(self.mixture, self.unit_weights)

    def summary(self, top: int = COHERENCE_TOP) -> pd.DataFrame:
        """topic, label, share, npmi, terms: one row per topic (for reading in a terminal)."""
        model = self.model
        return pd.DataFrame({
            "topic": np.arange(1, model.k + 1),
            "label": model.labels(),
            "share": self.shares(),
            "npmi": model.npmi.astype(np.float64),
            "terms": [", ".join(model.terms[i] for i in cols) for cols in model.top_terms(top)],
        }, columns=TOPIC_COLUMNS)

    def term_table(self, top: int = COHERENCE_TOP) -> pd.DataFrame:
        """topic, rank, term, weight, relevance: the top terms of each topic by weight (long form)."""
        model = self.model
        p_w_t = model.topic_term()
        relevance = stats.topic_relevance(p_w_t, model.term_probability[None, :], RELEVANCE_LAMBDA)
        rows = []
        for topic, cols in enumerate(model.top_terms(top)):
            for rank, col in enumerate(cols, start=1):
                rows.append((topic + 1, rank, model.terms[col], float(p_w_t[topic, col]),
                             float(relevance[topic, col])))
        return pd.DataFrame(rows, columns=TERM_COLUMNS)

    def doc_table(self) -> pd.DataFrame:
        """doc, topic, share: each document's topic mixture, token-weighted over its units."""
        docs = self.counts.rows["doc"].to_numpy()
        weights = self.unit_weights
        frames = []
        for doc in dict.fromkeys(docs.tolist()):
            rows = docs == doc
            frames.append(pd.DataFrame({
                "doc": doc, "topic": np.arange(1, self.model.k + 1),
                "share": _weighted_share(self.mixture[rows], weights[rows]),
            }, columns=DOC_COLUMNS))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DOC_COLUMNS)

    def unit_table(self) -> pd.DataFrame:
        """doc, unit, line_start, line_end, topic, share, text: the dominant topic of every unit."""
        rows = self.counts.rows
        topic, share = self.dominant()
        return pd.DataFrame({
            "doc": rows["doc"], "unit": rows["unit"], "line_start": rows["line_start"], "line_end": rows["line_end"],
            "topic": topic, "share": share, "text": self.excerpts(np.arange(len(rows))),
        }, columns=UNIT_COLUMNS)

    def example_table(self, per_topic: int = EXAMPLES_PER_TOPIC) -> pd.DataFrame:
        """topic, rank, cite (doc:first line), share, text: the units with the highest share of each topic
        (equal shares: the unit with more modelled terms first)."""
        rows = self.counts.rows
        order, tokens = np.arange(len(rows)), self.unit_weights
        frames = []
        for topic in range(self.model.k):
            share = self.mixture[:, topic]
            best = [u for u in np.lexsort((order, -tokens, -share))[:per_topic].tolist() if share[u] > 0]
            chosen = rows.iloc[best]
            frames.append(pd.DataFrame({
                "topic": topic + 1, "rank": np.arange(1, len(best) + 1),
                "cite": [f"{d}:{line}" for d, line in zip(chosen["doc"], chosen["line_start"])],
                "share": share[best], "text": self.excerpts(np.asarray(best, dtype=np.int64)),
            }, columns=EXAMPLE_COLUMNS))
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=EXAMPLE_COLUMNS)

    def dominant(self) -> tuple[pd.Series, np.ndarray]:
        """Each unit's topic with the largest share (missing for units without modelled terms), and that share."""
        best = np.argmax(self.mixture, axis=1) if self.model.k else np.zeros(len(self.mixture), dtype=np.int64)
        share = self.mixture[np.arange(len(best)), best] if len(best) else np.zeros(0)
        topic = pd.array(best + 1, dtype="Int64")
        topic[share == 0] = pd.NA
        return pd.Series(topic), share

    def excerpts(self, units: np.ndarray) -> list[str]:
        """The first TEXT_WIDTH characters of each unit, line breaks as spaces."""
        rows = self.counts.rows
        out = []
        for doc, start, end in zip(rows["doc"].to_numpy()[units], rows["char_start"].to_numpy()[units],
                                   rows["char_end"].to_numpy()[units]):
            out.append(_excerpt(self.texts.get(doc, "")[int(start):int(end)]))
        return out

    def table(self, show: str, long_terms: bool, top: int = COHERENCE_TOP) -> pd.DataFrame:
        """The table `--show` names; `long_terms` picks the long form of the topics table."""
        if show == "topics":
            return self.term_table(top) if long_terms else self.summary(top)
        builders = {"docs": self.doc_table, "units": self.unit_table, "examples": self.example_table,
                    "k": lambda: self.sweep, "seeds": lambda: self.seeds}
        if show not in builders:
            raise UsageError(f"--show {show!r}: use one of {', '.join(TABLES)}")
        return builders[show]()


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
    """argmin_w>=0 ||x_u - w H|| for every row x_u, solved exactly: with H Hᵀ = L Lᵀ this is the
    small problem min ||Lᵀ w - L⁻¹ H x_u|| over k weights (scipy.optimize.nnls)."""
    from scipy.linalg import cholesky, solve_triangular
    from scipy.optimize import nnls

    gram = components @ components.T
    ridge = 1e-12 * max(float(np.trace(gram)), 1e-300)
    lower = cholesky(gram + ridge * np.eye(len(gram)), lower=True)
    targets = solve_triangular(lower, np.asarray(sparse.csr_matrix(x) @ components.T).T, lower=True).T
    upper = np.ascontiguousarray(lower.T)
    weights = np.zeros((x.shape[0], len(gram)))
    for row, target in enumerate(targets):
        if target.any():
            weights[row] = nnls(upper, target)[0]
    return weights


def _excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= TEXT_WIDTH else flat[: TEXT_WIDTH - 1] + "…"


def _weighted_share(mixture: np.ndarray, weights: np.ndarray) -> np.ndarray:
    total = float(weights.sum())
    if total <= 0:
        return np.full(mixture.shape[1], np.nan)
    return (weights @ mixture) / total


def _top_columns(matrix: np.ndarray, n: int) -> list[list[int]]:
    """Per row, the columns of its n largest positive values (ties: earlier column first)."""
    columns = np.arange(matrix.shape[1])
    return [[c for c in np.lexsort((columns, -row))[:n].tolist() if row[c] > 0] for row in matrix]


# --- coherence -----------------------------------------------------------------------------------


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


# --- fitting -------------------------------------------------------------------------------------


@dataclass
class _Fit:
    k: int
    estimator: object
    npmi: np.ndarray  # per component
    diversity: float


def fit_topics(corpus, flt: TermFilter, spec: UnitSpec, settings: TopicSettings = TopicSettings(), *,
               warn: Warn = lambda message: None) -> TopicResult:
    """Fit a topic model to the units of `corpus` (sweeping k when settings.k is None)."""
    counts = count_matrix(corpus, flt, spec)
    n_units = counts.matrix.shape[0]
    low, high = vocabulary_limits(n_units, settings.min_df, settings.max_df)
    kept = _vocabulary(counts, low, high)
    if len(kept) == 0 or n_units < 2:
        raise KcorpusError(
            f"too little text to model topics ({n_units} unit(s); {len(kept)} term(s) found in at least {low} "
            f"and at most {high} units): add documents, use --unit sentence, or change --min-df/--max-df"
        )
    terms = [counts.terms[i] for i in kept]
    tags = [counts.tags[i] for i in kept]
    unit_counts = sparse.csr_array(counts.matrix[:, kept])
    weighting, x = _weigh(settings.method, unit_counts)
    presence = _presence(unit_counts)
    seed_columns = _seed_columns(settings.seed_words, terms, warn)
    ks = [k for k in settings.candidate_ks if k <= min(x.shape)]
    if not ks:
        raise KcorpusError(
            f"cannot fit {settings.candidate_ks[0]} or more topics to {x.shape[0]} units and {x.shape[1]} terms: "
            "lower --k or --k-range, or add documents"
        )
    if len(ks) < len(settings.candidate_ks):
        warn(f"k range cut to {ks[0]}:{ks[-1]}: {x.shape[0]} units and {x.shape[1]} terms allow no more topics")
    with _single_thread():
        fits = [_fit(settings, x, k, seed_columns, presence) for k in ks]
    chosen = choose_k([f.k for f in fits], [float(np.mean(f.npmi)) for f in fits]) if settings.k is None else ks[0]
    fit = next(f for f in fits if f.k == chosen)
    sweep = pd.DataFrame({
        "k": [f.k for f in fits], "npmi": [float(np.mean(f.npmi)) for f in fits],
        "diversity": [f.diversity for f in fits], "chosen": [f.k == chosen for f in fits],
    }, columns=SWEEP_COLUMNS)

    term_tokens = np.asarray(unit_counts.sum(axis=0), dtype=np.float64).ravel()
    model = TopicModel(
        method=settings.method, terms=terms, tags=tags, estimator=fit.estimator, weighting=weighting,
        order=np.arange(chosen), term_probability=term_tokens / term_tokens.sum(), npmi=fit.npmi,
    )
    mixture = model.unit_topics(unit_counts)
    order = _topic_order(_weighted_share(mixture, np.asarray(unit_counts.sum(axis=1), dtype=np.float64).ravel()),
                         len(seed_columns))
    model.order, model.npmi = order, fit.npmi[order]
    mixture = model.unit_topics(unit_counts)  # recomputed, so --load gives the very same numbers
    seeds = _seed_report(model, settings.seed_words, seed_columns)
    model.settings = _record(settings, flt, spec, low, high, sweep, seeds)
    return TopicResult(model, counts, unit_counts, mixture, _texts(corpus), sweep, seeds)


def apply_topics(corpus, model: TopicModel) -> TopicResult:
    """Place the units of `corpus` in the topics of a saved model, without refitting."""
    counts = count_matrix(corpus, model.term_filter(), model.unit_spec())
    unit_counts = model.aligned(counts)
    sweep = pd.DataFrame(model.settings.get("sweep", []), columns=SWEEP_COLUMNS)
    seeds = pd.DataFrame(model.settings.get("seeds", []), columns=SEED_COLUMNS)
    return TopicResult(model, counts, unit_counts, model.unit_topics(unit_counts), _texts(corpus), sweep, seeds)


def choose_k(ks: list[int], npmi: list[float], margin: float = K_MARGIN) -> int:
    """The smallest k whose mean NPMI is within `margin` of the best one."""
    valid = [(k, v) for k, v in zip(ks, npmi) if not math.isnan(v)]
    if not valid:
        return ks[0]
    best = max(v for _, v in valid)
    return min(k for k, v in valid if v >= best - margin)


def _vocabulary(counts: CountMatrix, low: int, high: int) -> np.ndarray:
    """Columns of terms that occur in `low` to `high` units."""
    binary = sparse.csc_array(counts.matrix, copy=True)
    binary.data = (binary.data > 0).astype(np.int64)
    df = np.asarray(binary.sum(axis=0)).ravel()
    return np.flatnonzero((df >= low) & (df <= high))


def _weigh(method: str, unit_counts: sparse.csr_array):
    """The matrix the estimator factorises: TF-IDF for NMF, raw counts for LDA."""
    x = sparse.csr_matrix(unit_counts.astype(np.float64))
    if method == "lda":
        return None, x
    from sklearn.feature_extraction.text import TfidfTransformer

    weighting = TfidfTransformer(norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True)
    return weighting, sparse.csr_matrix(weighting.fit_transform(x))


def _estimator(settings: TopicSettings, k: int, custom_init: bool):
    from sklearn.decomposition import NMF, LatentDirichletAllocation

    if settings.method == "lda":
        return LatentDirichletAllocation(
            n_components=k, learning_method="batch", max_iter=LDA_MAX_ITER, evaluate_every=LDA_EVALUATE_EVERY,
            perp_tol=LDA_PERP_TOL, random_state=settings.seed, n_jobs=1,
        )
    init = "custom" if custom_init else "nndsvda"
    if settings.method == "nmf-kl":
        return NMF(n_components=k, init=init, solver="mu", beta_loss="kullback-leibler", max_iter=NMF_MAX_ITER,
                   random_state=settings.seed)
    return NMF(n_components=k, init=init, solver="cd", beta_loss="frobenius", max_iter=NMF_MAX_ITER,
               random_state=settings.seed)


def _fit(settings: TopicSettings, x, k: int, seed_columns: list[list[int]], presence) -> _Fit:
    if seed_columns:
        guided = sparse.csr_matrix(sparse.vstack([x, _seed_units(x, seed_columns)]))
        w, h = _seeded_start(settings, guided, k, seed_columns)
        estimator = _estimator(settings, k, custom_init=True)
        estimator.fit(guided, W=w, H=h)
    else:
        estimator = _estimator(settings, k, custom_init=False)
        estimator.fit(x)
    components = np.asarray(estimator.components_, dtype=np.float64)
    npmi = np.array([topic_npmi(presence, top) for top in _top_columns(components, COHERENCE_TOP)])
    diversity = float(stats.topic_diversity(_top_columns(components, DIVERSITY_TOP)))
    return _Fit(k, estimator, npmi, diversity)


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
    w, _, _ = non_negative_factorization(x, H=h, n_components=k, init="custom", update_H=False, beta_loss=beta,
                                         solver=solver, max_iter=NMF_MAX_ITER, random_state=settings.seed)
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
            raise UsageError(f"seeded topic {number} ({' '.join(words)}): none of its terms is in the modelled "
                             "vocabulary; check the spelling (nouns as Kiwi splits them) or lower --min-df")
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
        rows.append((topic + 1, " ".join(words), " ".join(inside), " ".join(outside),
                     " ".join(w for w in words if w not in vocabulary), not outside))
    return pd.DataFrame(rows, columns=SEED_COLUMNS)


def _topic_order(shares: np.ndarray, n_seeded: int) -> np.ndarray:
    """Seeded topics first as given, then the others by share (largest first, ties by component)."""
    rest = np.arange(n_seeded, len(shares))
    rest = rest[np.lexsort((rest, -shares[rest]))]
    return np.concatenate([np.arange(n_seeded), rest]).astype(np.int64)


def _record(settings: TopicSettings, flt: TermFilter, spec: UnitSpec, low: int, high: int,
            sweep: pd.DataFrame, seeds: pd.DataFrame) -> dict:
    """The settings saved with a model (JSON-ready)."""
    return {
        "seed": settings.seed, "k_requested": settings.k or "auto",
        "k_range": list(settings.k_range), "min_df_units": low, "max_df_units": high,
        "terms": {"pos": flt.pos, "min_length": flt.min_length, "stopwords": sorted(flt.stopwords)},
        "unit": {"kind": spec.kind, "size": spec.size, "min_tokens": spec.min_tokens},
        "seed_words": [list(words) for words in settings.seed_words],
        "sweep": _json_rows(sweep), "seeds": _json_rows(seeds),
    }


def _json_rows(frame: pd.DataFrame) -> list[dict]:
    return [{key: (value.item() if hasattr(value, "item") else value) for key, value in row.items()}
            for row in frame.to_dict(orient="records")]


def _texts(corpus) -> dict[str, str]:
    return {analysed.id: analysed.cleaned.text for analysed in corpus}
