"""Saved topic models: model.npz (NumPy arrays, read without pickle) and settings.json; loading validates
both and rebuilds the scikit-learn objects, so a model folder cannot run code."""

from __future__ import annotations

import io
import json
import os
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

import numpy as np

from kcorpus import __version__
from kcorpus.analyses.topics.settings import LEGACY_MODEL_FILE, METHODS, MODEL_FILE, SETTINGS_FILE
from kcorpus.errors import KcorpusError

if TYPE_CHECKING:
    from kcorpus.analyses.topics.model import LdaEstimator, TermWeighting, TopicEstimator, TopicModel


class _Configurable(Protocol):
    """A scikit-learn estimator's constructor parameters (BaseEstimator.get_params and set_params)."""

    def get_params(self, deep: bool = True) -> dict[str, Any]: ...

    def set_params(self, **params: Any) -> Any: ...


_Configured = TypeVar("_Configured", bound=_Configurable)


def save_model(model: TopicModel, directory: Path) -> None:
    """Write model.npz (NumPy arrays only) and settings.json (versions, vocabulary, settings and the
    estimator's parameters); no pickle. Both are written to temporary files in the folder first and
    then renamed, so a failed save leaves no half-written file. A folder holding a model.joblib of an older
    kcorpus is refused (it would no longer match settings.json, and it is the user's file to remove)."""
    directory = Path(directory)
    if (directory / LEGACY_MODEL_FILE).exists():
        raise KcorpusError(
            f"{directory} holds a {LEGACY_MODEL_FILE} saved by an older kcorpus: save the model to "
            "another folder, or delete that file first"
        )
    buffer = io.BytesIO()
    # allow_pickle: NumPy's default, spelled out so mypy does not match the ** arrays against this bool
    # parameter (it only matters for object arrays; these hold numbers)
    np.savez(buffer, allow_pickle=True, **_arrays(model))
    record = {
        **library_versions(),
        "method": model.method,
        "k": model.k,
        **model.settings,
        "estimator": _estimator_record(model.estimator),
        "weighting": None if model.weighting is None else _weighting_record(model.weighting),
        "vocabulary": [[t, g] for t, g in zip(model.terms, model.tags)],
    }
    settings = (json.dumps(record, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        _write_files(directory, {MODEL_FILE: buffer.getvalue(), SETTINGS_FILE: settings})
    except OSError as exc:
        raise KcorpusError(f"cannot save the model to {directory}: {exc.strerror or exc}") from None


def _arrays(model: TopicModel) -> dict[str, np.ndarray]:
    """What model.npz holds: the fitted arrays `unit_topics` needs, topic order, p(w) and NPMI."""
    estimator = model.estimator
    arrays = {
        "components": np.asarray(estimator.components_, dtype=np.float64),
        "order": np.asarray(model.order, dtype=np.int64),
        "term_probability": np.asarray(model.term_probability, dtype=np.float64),
        "npmi": np.asarray(model.npmi, dtype=np.float64),
    }
    if model.method == "lda":
        lda = cast("LdaEstimator", estimator)
        arrays["exp_dirichlet_component"] = np.asarray(lda.exp_dirichlet_component_, dtype=np.float64)
        arrays["doc_topic_prior"] = np.asarray(lda.doc_topic_prior_, dtype=np.float64)
        arrays["topic_word_prior"] = np.asarray(lda.topic_word_prior_, dtype=np.float64)
    if model.weighting is not None:
        arrays["idf"] = np.asarray(model.weighting.idf_, dtype=np.float64)
    return arrays


def load_model(cls: type[TopicModel], directory: Path) -> TopicModel:
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
        raise KcorpusError(
            f"no saved topic model in {directory} ({SETTINGS_FILE} missing): write one with kcorpus topics --save DIR"
        ) from None
    except (OSError, ValueError) as exc:
        raise KcorpusError(
            f"cannot read {settings_path}: {_one_line(exc)}; refit the model and save it "
            f"again with kcorpus topics --save {directory}"
        ) from None
    if not isinstance(record, dict):
        raise KcorpusError(
            f"cannot read {settings_path}: it holds no JSON object; refit the model and save "
            f"it again with kcorpus topics --save {directory}"
        )
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
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(s, str) for s in pair) for pair in vocabulary
        ):
            raise ValueError("vocabulary is not a list of [term, tag] pairs")
        _check_arrays(arrays, method, len(vocabulary), saved_k)
        model = cls(
            method=method,
            terms=[t for t, _ in vocabulary],
            tags=[g for _, g in vocabulary],
            estimator=_rebuild_estimator(method, estimator_spec, arrays),
            weighting=_rebuild_weighting(method, weighting_spec, arrays),
            order=arrays["order"].astype(np.int64),
            term_probability=arrays["term_probability"],
            npmi=arrays["npmi"],
            settings=record,
        )
        model.term_filter(), model.unit_spec()
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        reason = f"{SETTINGS_FILE} has no {exc} entry" if isinstance(exc, KeyError) else _one_line(exc)
        raise KcorpusError(
            f"the model in {directory} is incomplete or inconsistent ({reason}): "
            f"refit it and save it again with kcorpus topics --save {directory}"
        ) from None
    return model


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
_NPZ_ERRORS = (
    ValueError,
    OSError,
    KeyError,
    EOFError,
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
)


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
    fitted = {
        attr: _json_scalar(getattr(estimator, attr))
        for attr in _FITTED_SCALARS.get(name, ())
        if hasattr(estimator, attr)
    }
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
            raise KcorpusError(
                f"{path} is not a kcorpus model: it is not a NumPy .npz archive (kcorpus never "
                f"loads pickled data); {refit}"
            ) from None
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
            raise KcorpusError(
                f"{path} is not a kcorpus model: it holds Python objects, which could run code "
                f"when loaded, so they are not read; {refit}"
            ) from None
        raise KcorpusError(f"cannot read {path}, it is damaged ({_one_line(exc)}): {refit}") from None
    return arrays


def _check_arrays(arrays: dict[str, np.ndarray], method: str, n_terms: int, saved_k) -> None:
    """The arrays a model of `method` needs, with the right types and shapes (ValueError otherwise)."""
    expected = {"components", "order", "term_probability", "npmi"}
    expected |= {"exp_dirichlet_component", "doc_topic_prior", "topic_word_prior"} if method == "lda" else {"idf"}
    if set(arrays) != expected:
        missing, extra = sorted(expected - set(arrays)), sorted(set(arrays) - expected)
        raise ValueError(
            f"{MODEL_FILE} should hold {', '.join(sorted(expected))}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unexpected {', '.join(extra)}" if extra else "")
        )
    for name, array in arrays.items():
        if name == "order":
            if array.dtype.kind not in "iu":
                raise ValueError(f"{name} is not an integer array ({array.dtype})")
        elif array.dtype != np.float64:
            raise ValueError(f"{name} is not a float64 array ({array.dtype})")
    components = arrays["components"]
    if components.ndim != 2 or components.shape[0] < 1 or components.shape[1] != n_terms:
        raise ValueError(
            f"components has shape {components.shape}, expected (k, {n_terms}) for a vocabulary of {n_terms} terms"
        )
    k = components.shape[0]
    if isinstance(saved_k, bool) or not isinstance(saved_k, int) or saved_k != k:
        raise ValueError(f"settings say k={saved_k!r} but the model holds {k} topics")
    shapes = {
        "order": (k,),
        "term_probability": (n_terms,),
        "npmi": (k,),
        "idf": (n_terms,),
        "exp_dirichlet_component": (k, n_terms),
        "doc_topic_prior": (),
        "topic_word_prior": (),
    }
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


def _checked_params(spec, cls: type[_Configured], what: str) -> _Configured:
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


def _rebuild_estimator(method: str, spec, arrays: dict[str, np.ndarray]) -> TopicEstimator:
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
    if (
        not isinstance(fitted, dict)
        or not set(fitted) <= set(allowed)
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in fitted.values())
    ):
        raise ValueError(f"the estimator's fitted values should be numbers among {', '.join(allowed)}")
    for name, value in fitted.items():
        setattr(estimator, name, value)
    return estimator


def _rebuild_weighting(method: str, spec, arrays: dict[str, np.ndarray]) -> TermWeighting | None:
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
