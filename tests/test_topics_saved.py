"""Saved topic models hold no pickle: model.npz (NumPy arrays) and settings.json, loaded to identical results;
old model.joblib folders and damaged or tampered files are refused with one line, and nothing is unpickled."""

from __future__ import annotations

import inspect
import json
import pathlib
import pickle

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SEOUL

METHODS = ["nmf", "nmf-kl", "lda"]


class Planted:
    """Unpickling this creates `marker`: proof that a file was (or was not) unpickled."""

    def __init__(self, marker: pathlib.Path):
        self.marker = marker

    def __reduce__(self):
        return pathlib.Path.touch, (pathlib.Path(self.marker),)


@pytest.fixture(scope="module")
def small_corpus(shared_cache):
    """One bundled report: about 60 paragraph units, enough for a quick k=4 fit."""
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    return load_corpus(CorpusOptions(paths=(str(SEOUL),), cache_dir=shared_cache))


@pytest.fixture(scope="module")
def fit(small_corpus):
    """fit(method): the k=4 fit of the small corpus (each method fitted once per module)."""
    from kcorpus.analyses.topics import TopicSettings, fit_topics
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec

    results = {}

    def get(method: str):
        if method not in results:
            flt, spec = TermFilter.from_options("nouns"), UnitSpec.parse("paragraph", 50)
            results[method] = fit_topics(small_corpus, flt, spec, TopicSettings(method=method, k=4))
        return results[method]

    return get


@pytest.fixture
def saved_nmf(fit, tmp_path):
    """A folder holding a freshly saved NMF model."""
    model_dir = tmp_path / "model"
    fit("nmf").model.save(model_dir)
    return model_dir


def load_error(model_dir) -> str:
    from kcorpus.analyses.topics import TopicModel
    from kcorpus.errors import KcorpusError

    with pytest.raises(KcorpusError) as caught:
        TopicModel.load(model_dir)
    message = caught.value.message
    assert "\n" not in message
    return message


def rewrite_npz(model_dir, change) -> None:
    """Rewrite model.npz with `change(arrays)` applied (arrays: name -> array)."""
    path = model_dir / "model.npz"
    with np.load(path, allow_pickle=False) as data:
        arrays = {name: data[name] for name in data.files}
    change(arrays)
    with open(path, "wb") as out:
        np.savez(out, **arrays)


# --- round trip ----------------------------------------------------------------------------------


@pytest.mark.parametrize("method", METHODS)
def test_saved_model_gives_identical_unit_topics(fit, tmp_path, method):
    from kcorpus.analyses.topics import TopicModel

    result = fit(method)
    model_dir = tmp_path / "model"
    result.model.save(model_dir)
    assert sorted(p.name for p in model_dir.iterdir()) == ["model.npz", "settings.json"]
    loaded = TopicModel.load(model_dir)
    in_memory = result.model.unit_topics(result.unit_counts)
    assert np.array_equal(loaded.unit_topics(result.unit_counts), in_memory)
    assert np.array_equal(in_memory, result.mixture)
    # one unit alone gets the same mixture as in the batch
    assert np.array_equal(loaded.unit_topics(result.unit_counts[[5]]), in_memory[[5]])
    assert loaded.method == method and loaded.k == result.model.k
    assert (loaded.terms, loaded.tags) == (result.model.terms, result.model.tags)
    assert np.array_equal(loaded.order, result.model.order)
    assert np.array_equal(loaded.topic_term(), result.model.topic_term())
    assert np.array_equal(loaded.npmi, result.model.npmi, equal_nan=True)
    assert np.array_equal(loaded.term_probability, result.model.term_probability)
    assert loaded.settings == result.model.settings
    assert loaded.estimator.get_params() == result.model.estimator.get_params()


@pytest.mark.parametrize("method", METHODS)
def test_saved_files_are_plain_arrays_and_json(fit, tmp_path, method):
    result = fit(method)
    model_dir = tmp_path / "model"
    result.model.save(model_dir)
    with np.load(model_dir / "model.npz", allow_pickle=False) as data:
        kinds = {name: data[name].dtype.kind for name in data.files}
    assert set(kinds.values()) <= {"f", "i"}
    assert {"components", "order", "term_probability", "npmi"} <= set(kinds)
    assert ("idf" in kinds) == (method != "lda")
    settings = json.loads((model_dir / "settings.json").read_text(encoding="utf-8"))
    assert settings["estimator"]["params"] == result.model.estimator.get_params()
    assert (settings["weighting"] is None) == (method == "lda")


def test_topics_module_uses_no_pickle():
    from kcorpus.analyses import topics

    source = inspect.getsource(topics)
    for module in ("joblib", "pickle", "cloudpickle", "dill", "shelve"):
        assert f"import {module}" not in source


# --- old pickled models --------------------------------------------------------------------------


def plant_joblib_folder(tmp_path, fit) -> tuple[pathlib.Path, pathlib.Path]:
    """A folder as an older kcorpus saved it: settings.json and model.joblib — here a pickle that
    creates a marker file when unpickled."""
    model_dir, marker = tmp_path / "old-model", tmp_path / "unpickled.marker"
    fit("nmf").model.save(model_dir)
    settings = json.loads((model_dir / "settings.json").read_text(encoding="utf-8"))
    for key in ("estimator", "weighting"):
        settings.pop(key)
    (model_dir / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    (model_dir / "model.npz").unlink()
    (model_dir / "model.joblib").write_bytes(pickle.dumps({"estimator": Planted(marker)}))
    # the payload is real: unpickling a copy of it does create a file
    control = tmp_path / "control.marker"
    pickle.loads(pickle.dumps(Planted(control)))
    assert control.exists()
    return model_dir, marker


def test_old_joblib_model_is_refused_without_unpickling(fit, tmp_path):
    model_dir, marker = plant_joblib_folder(tmp_path, fit)
    message = load_error(model_dir)
    assert "older kcorpus" in message and "model.joblib" in message and "can run code" in message
    assert message.endswith(f"kcorpus topics --save {model_dir}")
    assert not marker.exists()
    # with no settings.json either, still the same refusal
    (model_dir / "settings.json").unlink()
    assert "older kcorpus" in load_error(model_dir)
    assert not marker.exists()


def test_cli_refuses_old_joblib_model_with_one_line(fit, tmp_path):
    from kcorpus.cli import app

    model_dir, marker = plant_joblib_folder(tmp_path, fit)
    result = CliRunner().invoke(app, ["topics", "--load", str(model_dir)])
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("kcorpus: error: ")
    assert "can run code" in lines[0] and f"kcorpus topics --save {model_dir}" in lines[0]
    assert "Traceback" not in result.stderr
    assert not marker.exists()


def test_saving_into_a_folder_with_an_old_model_is_refused_and_keeps_it(fit, tmp_path):
    from kcorpus.errors import KcorpusError

    model_dir, marker = plant_joblib_folder(tmp_path, fit)
    before = sorted(p.name for p in model_dir.iterdir())
    with pytest.raises(KcorpusError, match="holds a model.joblib saved by an older kcorpus"):
        fit("nmf").model.save(model_dir)
    assert sorted(p.name for p in model_dir.iterdir()) == before  # the user's file is never deleted
    assert not marker.exists()


# --- damaged and tampered files ------------------------------------------------------------------


def test_object_array_in_npz_is_refused_unread(saved_nmf, tmp_path):
    marker = tmp_path / "unpickled.marker"

    def plant(arrays):
        arrays["components"] = np.array([Planted(marker)], dtype=object)

    rewrite_npz(saved_nmf, plant)
    message = load_error(saved_nmf)
    assert "is not a kcorpus model" in message and "Python objects" in message
    assert not marker.exists()


def test_pickle_renamed_to_model_npz_is_refused_unread(saved_nmf, tmp_path):
    marker = tmp_path / "unpickled.marker"
    (saved_nmf / "model.npz").write_bytes(pickle.dumps(Planted(marker)))
    assert "is not a kcorpus model" in load_error(saved_nmf)
    assert not marker.exists()


@pytest.mark.parametrize("keep", [0, 10, 0.5, -20])
def test_truncated_npz_is_refused(saved_nmf, keep):
    path = saved_nmf / "model.npz"
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data) if keep < 0 else keep
    path.write_bytes(data[:cut])
    message = load_error(saved_nmf)
    assert str(path) in message
    assert "kcorpus topics --save" in message


def test_missing_npz_is_refused(saved_nmf):
    (saved_nmf / "model.npz").unlink()
    assert "model.npz is missing" in load_error(saved_nmf)


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe not utf-8", b""])
def test_settings_that_are_not_json_are_refused(saved_nmf, content):
    (saved_nmf / "settings.json").write_bytes(content)
    assert "settings.json" in load_error(saved_nmf)


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda a: a.update(components=a["components"][:, :-1]), "components has shape"),
        (lambda a: a.update(components=a["components"][:-1]), "k=4"),
        (lambda a: a.update(components=a["components"].astype(np.float32)), "not a float64 array"),
        (lambda a: a.update(components=-a["components"]), "negative or non-finite"),
        (lambda a: a.update(order=np.array([0, 0, 1, 2])), "not a permutation"),
        (lambda a: a.update(idf=a["idf"][:-1]), "idf has shape"),
        (lambda a: a.update(npmi=np.zeros(3)), "npmi has shape"),
        (lambda a: a.pop("idf"), "missing idf"),
        (lambda a: a.update(extra=np.zeros(2)), "unexpected extra"),
    ],
)
def test_inconsistent_arrays_are_refused(saved_nmf, change, expected):
    rewrite_npz(saved_nmf, change)
    message = load_error(saved_nmf)
    assert "incomplete or inconsistent" in message and expected in message


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda s: s["estimator"]["params"].update(n_components=5), "n_components"),
        (lambda s: s["estimator"]["params"].update(solver="magic"), "solver"),
        (lambda s: s["estimator"]["params"].update(callback="os.system"), "parameters should be exactly"),
        (lambda s: s["estimator"].update({"class": "LatentDirichletAllocation"}), "class NMF"),
        (lambda s: s["estimator"]["fitted"].update(components_=[1]), "fitted values"),
        (lambda s: s.update(weighting=None), "class TfidfTransformer"),
        (lambda s: s.pop("estimator"), "settings.json has no 'estimator' entry"),
        (lambda s: s.update(vocabulary=s["vocabulary"][:-1]), "components has shape"),
    ],
)
def test_tampered_settings_are_refused(saved_nmf, change, expected):
    path = saved_nmf / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    change(settings)
    path.write_text(json.dumps(settings), encoding="utf-8")
    message = load_error(saved_nmf)
    assert expected in message


def test_version_check_still_applies(saved_nmf):
    path = saved_nmf / "settings.json"
    settings = json.loads(path.read_text(encoding="utf-8"))
    settings["kcorpus"] = "0.0.1"
    path.write_text(json.dumps(settings), encoding="utf-8")
    assert "was saved with kcorpus 0.0.1" in load_error(saved_nmf)


# --- atomic save ---------------------------------------------------------------------------------


def test_failed_save_leaves_the_previous_model_whole(saved_nmf, fit, monkeypatch):
    from kcorpus.analyses import topics
    from kcorpus.errors import KcorpusError

    before = {p.name: p.read_bytes() for p in saved_nmf.iterdir()}

    def refuse(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(topics.os, "replace", refuse)
    with pytest.raises(KcorpusError, match="cannot save the model"):
        fit("lda").model.save(saved_nmf)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in saved_nmf.iterdir()} == before
    assert topics.TopicModel.load(saved_nmf).method == "nmf"


def test_save_to_an_unwritable_place_is_one_error(fit, tmp_path):
    from kcorpus.errors import KcorpusError

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(KcorpusError, match="cannot save the model"):
        fit("nmf").model.save(blocker / "model")
