"""Tokenising on a Dask cluster (--scheduler): same output as a local run, worker loss, bad addresses,
the missing extra, and the progress callback. Only loopback addresses are used."""

from __future__ import annotations

import io
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from kcorpus.pipeline.cache import TokenCache

from conftest import CORPUS

pytestmark = pytest.mark.slow  # each test starts a Dask cluster of worker processes

try:
    import distributed
except ImportError:  # the cluster tests need the kcorpus[dask] extra; the others do not
    distributed = None

needs_dask = pytest.mark.skipif(distributed is None, reason="needs the kcorpus[dask] extra")


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """The first 40% of each bundled report cut into 12 documents of unequal length (~40k characters),
    so that batches hold several documents."""
    folder = tmp_path_factory.mktemp("small-corpus")
    for path in sorted(CORPUS.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = lines[: len(lines) * 2 // 5]
        cuts = [0, len(lines) // 10, len(lines) // 3, len(lines) // 2, len(lines)]
        for part, (start, end) in enumerate(zip(cuts, cuts[1:])):
            (folder / f"{path.stem}-{part}.txt").write_text("".join(lines[start:end]), encoding="utf-8")
    return folder


def entries(cache: Path) -> list[Path]:
    """Every file the cache holds (shards, and any unfinished write)."""
    return sorted(p for p in cache.rglob("*") if p.is_file())


def assert_whole_cache(cache: Path, expected: int) -> None:
    """Every entry is complete and readable, and no temporary (partial) file is left."""
    assert not [f for f in entries(cache) if f.name.startswith(".tmp-")]
    store = TokenCache(cache)
    assert len(store.index) == expected
    for key in store.index:
        assert store.get(key) is not None, key
    store.flush()


def local_output(command: str, corpus: Path, cache: Path) -> str:
    """CSV output of a local run that tokenised everything itself."""
    from typer.testing import CliRunner

    from kcorpus.cli import app

    result = CliRunner().invoke(app, [command, str(corpus), "--format", "csv", "--cache-dir", str(cache)])
    assert result.exit_code == 0, result.stderr
    assert "0 from the token cache" in result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def local_info(small_corpus, tmp_path_factory) -> str:
    return local_output("info", small_corpus, tmp_path_factory.mktemp("local-cache"))


@needs_dask
def test_local_cluster_tokens_match_a_local_run(cli, small_corpus, tmp_path):
    expected = local_output("tokenize", small_corpus, tmp_path / "local")
    result = cli(
        "tokenize", small_corpus, "--format", "csv", "--cache-dir", tmp_path / "cluster", "--scheduler", "local:2"
    )
    assert result.exit_code == 0, result.stderr
    assert "analysed 12 document(s), 0 from the token cache" in result.stderr
    assert result.stdout == expected
    assert_whole_cache(tmp_path / "cluster", 12)


@needs_dask
def test_info_on_a_running_scheduler_matches_a_local_run(cli, small_corpus, scheduler, local_info, tmp_path):
    result = cli("info", small_corpus, "--format", "csv", "--cache-dir", tmp_path / "cluster", "--scheduler", scheduler)
    assert result.exit_code == 0, result.stderr
    assert "0 from the token cache" in result.stderr
    assert result.stdout == local_info
    warm = cli("info", small_corpus, "--format", "csv", "--cache-dir", tmp_path / "cluster")
    assert "12 from the token cache" in warm.stderr and warm.stdout == local_info


@needs_dask
def test_cluster_run_never_loads_kiwi_on_the_client(small_corpus, scheduler, tmp_path):
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    seen = []
    corpus = load_corpus(
        CorpusOptions(paths=(str(small_corpus),), cache_dir=tmp_path, scheduler=scheduler),
        progress=lambda docs, chars: seen.append((docs, chars)),
    )
    assert not corpus.kiwi_loaded
    assert seen == [(1, len(d.cleaned.text)) for d in corpus]


class KillOnce:
    """A worker plugin (test only) that kills its worker process when a kcorpus batch starts executing,
    the first time in the whole cluster (a marker file makes it happen once)."""

    idempotent = False

    def __init__(self, marker: str):
        self.marker = marker

    def setup(self, worker):
        pass

    def transition(self, key, start, finish, **kwargs):
        from kcorpus.pipeline.cluster import TASK_PREFIX

        if finish == "executing" and TASK_PREFIX in str(key):
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
            except FileExistsError:
                return
            os.kill(os.getpid(), signal.SIGKILL)


@needs_dask
def test_a_worker_killed_mid_run_is_replaced_and_the_output_is_complete(
    cli, small_corpus, scheduler, local_info, tmp_path
):
    import cloudpickle

    marker = tmp_path / "killed"
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    plugin = type("KillOnce", (KillOnce, distributed.WorkerPlugin), {})(str(marker))
    with distributed.Client(scheduler) as client:
        client.register_plugin(plugin, name="kill-once")
        try:
            result = cli(
                "info", small_corpus, "--format", "csv", "--cache-dir", tmp_path / "cluster", "--scheduler", scheduler
            )
        finally:
            client.unregister_worker_plugin("kill-once")
    assert marker.exists()  # a worker really died during the run
    assert result.exit_code == 0, result.stderr
    assert result.stdout == local_info
    assert_whole_cache(tmp_path / "cluster", 12)


@needs_dask
def test_workers_that_cannot_load_kiwi_give_one_kcorpus_error(small_corpus, scheduler, tmp_path):
    from kcorpus.errors import KcorpusError
    from kcorpus.nlp.analyzer import AnalyzerSettings
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    settings = AnalyzerSettings(model="no-such-model")
    options = CorpusOptions(paths=(str(small_corpus),), cache_dir=tmp_path, analyzer=settings, scheduler=scheduler)
    try:
        with pytest.raises(
            KcorpusError,
            match=r"^the Dask workers at tcp://127\.0\.0\.1:\d+ cannot load Kiwi "
            r"\(ValueError: `model_type`",
        ) as caught:
            load_corpus(options)
    finally:
        with distributed.Client(scheduler) as client:
            client.unregister_worker_plugin(f"kcorpus-kiwi-{settings.fingerprint()}")
    assert "\n" not in caught.value.message
    assert not entries(tmp_path)


@needs_dask
def test_a_batch_that_keeps_failing_names_its_first_document(scheduler):
    from kcorpus.errors import KcorpusError
    from kcorpus.io.sources import Document
    from kcorpus.nlp.analyzer import AnalyzerSettings
    from kcorpus.pipeline.cluster import ClusterSession, parse_scheduler

    session = ClusterSession(parse_scheduler(scheduler))
    session.open(AnalyzerSettings())
    try:
        broken = Document("broken.txt", None, "utf-8", "broken.txt")  # no text: cleaning raises on the worker
        with pytest.raises(KcorpusError, match=r"failed for the batch starting at broken\.txt \(\w+Error: "):
            list(session.run([[broken]], AnalyzerSettings(), True))
    finally:
        session.close()


@needs_dask
def test_unreachable_scheduler_is_one_line_exit_1(cli, small_corpus, tmp_path, monkeypatch):
    import kcorpus.pipeline.cluster

    monkeypatch.setattr(kcorpus.pipeline.cluster, "CONNECT_TIMEOUT", 2.0)
    with socket.socket() as probe:  # a free loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    result = cli("info", small_corpus, "--cache-dir", tmp_path, "--scheduler", address)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"kcorpus: error: cannot reach the Dask scheduler at {address}")
    assert result.stderr.count("\n") == 1
    assert not entries(tmp_path)


def test_missing_dask_extra_is_a_usage_error(cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    result = cli("info", "--quiet", "--scheduler", "local:2")
    assert result.exit_code == 2
    assert result.stderr == "kcorpus: error: --scheduler needs Dask: pip install 'kcorpus[dask]'\n"


@pytest.mark.parametrize("value", ["local:0", "localhost:8786", "tcp://127.0.0.1", "local:two"])
def test_malformed_scheduler_is_a_usage_error(cli, value):
    result = cli("info", "--quiet", "--scheduler", value)
    assert result.exit_code == 2
    assert result.stderr.startswith("kcorpus: error: --scheduler")


def test_progress_is_called_for_each_fresh_document_only(small_corpus, tmp_path):
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    options = CorpusOptions(paths=(str(small_corpus),), cache_dir=tmp_path)
    seen = []
    corpus = load_corpus(options, progress=lambda docs, chars: seen.append((docs, chars)))
    assert seen == [(1, len(d.cleaned.text)) for d in corpus] and len(seen) == 12
    seen.clear()
    load_corpus(options, progress=lambda docs, chars: seen.append((docs, chars)))
    assert seen == []


def test_no_progress_output_when_stderr_is_not_a_terminal(cli, small_corpus, tmp_path):
    result = cli("info", small_corpus, "--format", "csv", "--cache-dir", tmp_path)
    assert result.exit_code == 0
    assert "0 from the token cache" in result.stderr
    assert all(line.startswith("kcorpus: ") for line in result.stderr.splitlines())


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_draws_on_a_terminal_and_not_with_quiet(monkeypatch):
    from kcorpus.cli.steps import TokenisingProgress

    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with TokenisingProgress(quiet=True) as progress:
        assert progress is None
    with TokenisingProgress(quiet=False) as progress:
        progress(1, 1500)
        progress(1, 2500)
    assert "tokenising: 2 docs, 4,000 chars" in terminal.getvalue()
