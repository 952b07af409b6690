"""Tokenising on a Dask cluster (`--scheduler tcp://HOST:PORT` or `--scheduler local:N`).

Needs the `kcorpus[dask]` extra. The corpus pipeline calls `analyse_on_cluster` with the documents
the token cache lacks; count matrices of stored documents are built on the workers too
(pipeline/cluster_counts.py, through the ClusterSession here, without Kiwi); analyses stay on the client.

How a run goes:

- `local:N` starts a LocalCluster of N single-threaded worker processes listening on 127.0.0.1
  only (no dashboard), closed when the run ends; `tcp://HOST:PORT` connects to a running cluster
  (the connection times out after CONNECT_TIMEOUT seconds) and leaves it running.
- One Kiwi per worker process, built by a worker plugin (`KiwiSetup.setup`) from the
  AnalyzerSettings, which are plain data: a Kiwi with user words does not survive pickling, so none
  is ever shipped. It uses the worker's threads (--jobs applies to local runs only).
- The documents are cut, in input order, into batches of about equal character counts (a few per
  worker thread, so every core stays busy). A task cleans and tokenises one batch with the same
  functions as a local run (`clean_document`, `piece_spans`, `Analyzer.tokenize_documents`), so the
  tokens are identical, and returns plain data: cleaned-text dicts, string tables and int32 arrays.
- At most two batches per worker thread are in flight; results are taken in submission order and
  yielded one document at a time, so client memory stays bounded by the window, not the corpus.
- Cache entries are written on the client, never on a worker: results come back to the client,
  which writes each entry atomically (temporary file, then rename). Workers need no access to the
  cache directory, and a lost worker can never leave a partial entry.
- A lost worker: the scheduler re-runs the tasks it held on another worker (up to
  `distributed.scheduler.allowed-failures` times) and a task that raises is retried RETRIES times.
  If a batch still fails, the run stops with a one-line KcorpusError (exit 1); the documents
  finished before it are cached whole, the rest are tokenised by the next run.
- Counting of this run's fresh documents stays on the client. Measured with scripts/bench_scale.py
  (`kcorpus freq`, 2 cores), counting takes 2.0-2.7% of the cold time on 10 and 50 MB, tokenisation
  most of the rest: the tokens come back to the client anyway (for the cache), and counting them there
  costs less than shipping them back out to workers and the counts in again. Documents read from the
  store are counted on the workers (pipeline/cluster_counts.py), which read the store themselves.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import logging
import re
import threading
import uuid
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator

from kcorpus.clean import CleanedText
from kcorpus.errors import InvalidArgument, KcorpusError, UsageError
from kcorpus.io.sources import Document
from kcorpus.nlp.analyzer import Analyzer, AnalyzerSettings, piece_spans
from kcorpus.nlp.tokens import DocTokens

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler (and to wait for its first worker)
RETRIES = 2  # extra attempts of a batch whose task raised
BATCHES_PER_THREAD = 4  # batches per worker thread: enough to even out unequal documents
IN_FLIGHT_PER_THREAD = 2  # batches submitted ahead of the one being collected
MAX_BATCH_CHARS = 2_000_000  # keeps each result (and the client's window of results) small
TASK_PREFIX = "kcorpus-analyse"
EXTRA_MESSAGE = "--scheduler needs Dask: pip install 'kcorpus[dask]'"
LOCAL_PATTERN = re.compile(r"local:(\d+)")
REMOTE_PATTERN = re.compile(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[^\s/:\[\]]+):\d+")

BatchResult = list[tuple[dict, list[str], dict]]


@dataclass(frozen=True)
class SchedulerAddress:
    """A parsed --scheduler value: a local cluster of `workers` processes, or a remote `address`."""

    workers: int = 0
    address: str = ""

    @property
    def is_local(self) -> bool:
        return self.workers > 0

    def __str__(self) -> str:
        return f"local:{self.workers}" if self.is_local else self.address


def parse_scheduler(value: str) -> SchedulerAddress:
    """Check a --scheduler value: tcp://HOST:PORT (or tls://) or local:N."""
    value = value.strip()
    local = LOCAL_PATTERN.fullmatch(value)
    if local:
        if int(local.group(1)) < 1:
            raise InvalidArgument("scheduler", "local:N needs at least one worker (N >= 1)")
        return SchedulerAddress(workers=int(local.group(1)))
    if REMOTE_PATTERN.fullmatch(value):
        return SchedulerAddress(address=value)
    raise InvalidArgument(
        "scheduler",
        f"{value!r}: use tcp://HOST:PORT for a running Dask scheduler or local:N for N local worker processes",
    )


def check_scheduler(value: str) -> SchedulerAddress:
    """Parse --scheduler and make sure the Dask extra is installed (UsageError otherwise), without importing it."""
    address = parse_scheduler(value)
    if importlib.util.find_spec("distributed") is None:
        raise UsageError(EXTRA_MESSAGE)
    return address


def _distributed():
    try:
        import distributed
    except ImportError:
        raise UsageError(EXTRA_MESSAGE) from None
    return distributed


# --- worker side ---------------------------------------------------------------------------------

_KIWI_LOCK = threading.Lock()


def worker_analyzer(settings: AnalyzerSettings) -> Analyzer:
    """This worker process's analyser, with Kiwi loaded (once per process and settings)."""
    from distributed import get_worker

    analyzer = Analyzer(settings, get_worker().state.nthreads)
    with _KIWI_LOCK:
        analyzer.kiwi  # noqa: B018 - loads Kiwi (cached for the life of the process)
    return analyzer


def _kiwi_setup_class():
    from distributed import WorkerPlugin

    class KiwiSetup(WorkerPlugin):
        """Loads Kiwi on each worker when the plugin is registered or the worker (re)starts."""

        idempotent = True

        def __init__(self, settings: AnalyzerSettings):
            self.settings = settings

        async def setup(self, worker) -> None:
            await asyncio.to_thread(_load_on_worker, self.settings, worker.state.nthreads)

    return KiwiSetup


def _load_on_worker(settings: AnalyzerSettings, threads: int) -> None:
    with _KIWI_LOCK:
        Analyzer(settings, threads).kiwi  # noqa: B018


def analyse_batch(
    docs: list[Document], settings: AnalyzerSettings, clean: bool, furniture: frozenset[str] = frozenset()
) -> BatchResult:
    """Clean and tokenise a batch of documents on a worker: (cleaned dict, strings, arrays) per document."""
    from kcorpus.pipeline.corpus import clean_document

    analyzer = worker_analyzer(settings)
    with _KIWI_LOCK:  # one batch at a time uses this process's Kiwi (and all its threads)
        cleaned = [clean_document(doc, clean, furniture, analyzer.word_boundary) for doc in docs]
        tokens = list(analyzer.tokenize_documents((c.text, piece_spans(c.text, c.paragraphs)) for c in cleaned))
    return [(c.to_dict(), t.strings, t.arrays()) for c, t in zip(cleaned, tokens)]


# --- client side ---------------------------------------------------------------------------------


def batches_of(docs: list[Document], threads: int) -> list[list[Document]]:
    """Consecutive runs of documents of about equal character counts, BATCHES_PER_THREAD per thread."""
    total = sum(len(doc.text) for doc in docs)
    target = max(1, min(MAX_BATCH_CHARS, total // max(1, threads * BATCHES_PER_THREAD)))
    batches: list[list[Document]] = []
    current: list[Document] = []
    size = 0
    for doc in docs:
        current.append(doc)
        size += len(doc.text)
        if size >= target:
            batches.append(current)
            current, size = [], 0
    if current:
        batches.append(current)
    return batches


def analyse_on_cluster(
    docs: list[Document], options, furniture: frozenset[str] = frozenset()
) -> Iterator[tuple[CleanedText, DocTokens]]:
    """(cleaned text, tokens) for each document, in order, computed on the cluster named by options.scheduler;
    `furniture`: the drop's running headers and page numbers, as in a local run."""
    if not docs:
        return
    address = check_scheduler(options.scheduler)
    session = ClusterSession(address)
    try:
        session.open(options.analyzer)
        batches = batches_of(docs, session.threads)
        results = session.run(batches, options.analyzer, options.clean, furniture)
        for number, batch in enumerate(results, start=1):
            if number == len(batches):
                session.close()  # all work is back: free the cluster before the caller's last steps
            for cleaned, strings, arrays in batch:
                yield CleanedText.from_dict(cleaned), DocTokens.from_arrays(strings, arrays)
    finally:
        session.close()


class ClusterSession:
    """A client connected to a running scheduler, or to a LocalCluster it started and will close."""

    def __init__(self, address: SchedulerAddress):
        self.address = address
        self.client: Client | None = None
        self.cluster: LocalCluster | None = None
        self._quiet = contextlib.ExitStack()

    @property
    def _connected(self) -> Client:
        """The client, once `open` has connected it (and until `close`)."""
        assert self.client is not None, "the cluster session is not open"
        return self.client

    @property
    def threads(self) -> int:
        return max(1, sum(self._connected.nthreads().values()))

    def open(self, settings: AnalyzerSettings | None) -> None:
        """Start or reach the cluster and load Kiwi on every worker (not when `settings` is None: counting
        needs no Kiwi); KcorpusError when that fails."""
        distributed = _distributed()
        self._quiet.enter_context(_quiet_dask_logs())
        if self.address.is_local:
            try:
                self.cluster = distributed.LocalCluster(
                    n_workers=self.address.workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                    # the scheduler's health/metrics HTTP server: loopback, any free port (not a busy 8787)
                    scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                )
                self.client = distributed.Client(self.cluster, timeout=CONNECT_TIMEOUT)
            except Exception as exc:  # noqa: BLE001 - any failure to start is reported in one line
                raise KcorpusError(f"cannot start a local Dask cluster ({self.address}): {_one_line(exc)}") from None
        else:
            try:
                self.client = distributed.Client(self.address.address, timeout=CONNECT_TIMEOUT)
            except Exception as exc:  # noqa: BLE001
                raise KcorpusError(
                    f"cannot reach the Dask scheduler at {self.address} within {CONNECT_TIMEOUT:g} s "
                    f"({type(exc).__name__}): check that it is running and the address is right"
                ) from None
            try:
                self.client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except Exception:  # noqa: BLE001
                raise KcorpusError(f"the Dask scheduler at {self.address} has no workers: start some") from None
        if settings is None:
            return
        try:
            self.client.register_plugin(_kiwi_setup_class()(settings), name=f"kcorpus-kiwi-{settings.fingerprint()}")
        except Exception as exc:  # noqa: BLE001 - e.g. kcorpus or kiwipiepy missing on the workers
            raise KcorpusError(
                f"the Dask workers at {self.address} cannot load Kiwi ({_one_line(exc)}): "
                "install the same kcorpus version on every worker"
            ) from None

    def run(
        self,
        batches: list[list[Document]],
        settings: AnalyzerSettings,
        clean: bool,
        furniture: frozenset[str] = frozenset(),
    ) -> Iterator[BatchResult]:
        """Each batch's result, in order, with at most IN_FLIGHT_PER_THREAD batches per thread submitted."""
        distributed = _distributed()
        run_id = uuid.uuid4().hex[:12]
        window = max(2, IN_FLIGHT_PER_THREAD * self.threads)
        pending: deque = deque()  # (batch index, future), oldest first
        submitted = 0
        while pending or submitted < len(batches):
            while submitted < len(batches) and len(pending) < window:
                pending.append(
                    (
                        submitted,
                        self._connected.submit(
                            analyse_batch,
                            batches[submitted],
                            settings,
                            clean,
                            furniture,
                            key=f"{TASK_PREFIX}-{run_id}-{submitted}",
                            retries=RETRIES,
                            pure=False,
                        ),
                    )
                )
                submitted += 1
            index, future = pending.popleft()
            try:
                result = future.result()
            except KcorpusError:
                raise
            except (Exception, asyncio.CancelledError) as exc:  # noqa: BLE001 - reported in one line
                raise KcorpusError(self._failure(batches[index], future, exc, distributed)) from None
            future.release()
            yield result

    def _failure(self, batch: list[Document], future, exc: BaseException, distributed) -> str:
        """Why a batch came back without tokens, in one line."""
        if isinstance(exc, distributed.KilledWorker):
            why = "the workers running it died; out of memory?"
        elif future.status == "error":  # raised inside the task, after its retries
            why = _one_line(exc)
        else:
            return (
                f"lost the connection to the Dask scheduler at {self.address} ({type(exc).__name__}); "
                "documents finished before it are cached, run again to tokenise the rest"
            )
        return (
            f"tokenising on the Dask cluster at {self.address} failed for the batch starting at {batch[0].id} "
            f"({why}); documents finished before it are cached, run again to continue"
        )

    def close(self) -> None:
        """Disconnect (and stop the local cluster); safe to call twice."""
        client, cluster, self.client, self.cluster = self.client, self.cluster, None, None
        with contextlib.suppress(Exception):
            if client is not None:
                client.close()
        with contextlib.suppress(Exception):
            if cluster is not None:
                cluster.close()
        self._quiet.close()


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


@contextlib.contextmanager
def _quiet_dask_logs(level: int = logging.ERROR):
    """Keep Dask's own info and warning lines (worker restarts, closing comms) off the user's stderr."""
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado")]
    saved = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(level)
    try:
        yield
    finally:
        for logger, old in zip(loggers, saved):
            logger.setLevel(old)
