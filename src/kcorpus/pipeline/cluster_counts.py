"""Counting on a Dask cluster (`--scheduler`): count matrices of stored documents built on the workers.

`count_matrix` hands a corpus read with a scheduler to `count_on_cluster`. The client never holds a
token: it sends each task a share of the stored documents (a run of consecutive documents of one shard,
as store keys with their positions in the corpus); the worker opens the token store itself and counts
its share with `count_matrix`, into a partial matrix with its own term list (`Partial`). Partials are
reduced on the cluster, two at a time in a balanced tree (`merge_partials`), so the client receives one
matrix. Documents held in memory (tokenised in this run and not read back from the store) are counted on
the client and merged the same way.

Column order is the order of first appearance in the corpus, as a count in one process gives it: a
partial records, for each of its columns, the corpus position of the first document holding it. Merging
keeps each column's earliest position, and columns whose first document is the same keep that document's
partial's order (a document lies in one partial, and its partial numbered its new terms in order of
appearance). So any tree shape, and any split of the documents into partials, gives the same matrix.

The store must be on a file system every worker reaches at the same path (the client's --cache-dir or
KCORPUS_CACHE_DIR); the run checks that on every worker first and stops with one line if one cannot see it.
Workers only read the store (and may write a missing bags file beside a shard, atomically); a damaged
shard is an error on a worker, never removed there.
"""

from __future__ import annotations

import asyncio
import os
import threading
import uuid
from dataclasses import dataclass
from itertools import repeat
from pathlib import Path

import numpy as np
from scipy import sparse

from kcorpus.errors import KcorpusError
from kcorpus.pipeline.content import StoredContent, StoreReader
from kcorpus.table import Table

SHARE_DOCS = 20_000  # at most this many documents per task
SHARES_PER_THREAD = 1  # tasks per worker thread: each merge of partials costs about as much as counting one
COUNT_PREFIX = "kcorpus-count"
MERGE_PREFIX = "kcorpus-merge"
SHARED_FS = (
    "put the cache folder (--cache-dir or KCORPUS_CACHE_DIR) on a file system every worker mounts at the "
    "same path, or run without --scheduler"
)
SPAN_COLUMNS = ["unit", "line_start", "line_end", "char_start", "char_end"]


@dataclass(frozen=True)
class Partial:
    """Counts of some documents: rows of documents (or units) at corpus positions `docs`, columns of
    `terms`/`tags`; `first[j]` is the corpus position of the first document holding column j, and columns
    of one first document are in their order of appearance in it. `spans` are each row's unit number,
    source lines and cleaned-text characters (SPAN_COLUMNS)."""

    matrix: sparse.csr_array
    terms: list[str]
    tags: list[str]
    first: np.ndarray  # int64, per column
    docs: np.ndarray  # int64, per row
    spans: np.ndarray  # int64, (rows, len(SPAN_COLUMNS))


def partial_of(counts, positions: np.ndarray) -> Partial:
    """A partial from a CountMatrix counted over documents whose ids are 0, 1, ... (their index in
    `positions`, the corpus positions)."""
    matrix = sparse.csr_array(counts.matrix)
    table = counts.row_table
    n_rows = matrix.shape[0]
    index = np.asarray(list(table.column("doc")) if n_rows else [], dtype=np.int64)
    docs = np.asarray(positions, dtype=np.int64)[index] if n_rows else np.zeros(0, dtype=np.int64)
    spans = (
        np.stack([np.asarray(table.column(name), dtype=np.int64) for name in SPAN_COLUMNS], axis=1)
        if n_rows
        else np.zeros((0, len(SPAN_COLUMNS)), dtype=np.int64)
    )
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(matrix.indptr))
    first_row = np.full(matrix.shape[1], n_rows, dtype=np.int64)
    np.minimum.at(first_row, matrix.indices.astype(np.int64), rows)
    first = np.append(docs, np.iinfo(np.int64).max)[first_row]  # a column with no cell sorts last
    return Partial(matrix, list(counts.terms), list(counts.tags), first, docs, spans)


def merge_partials(a: Partial, b: Partial) -> Partial:
    """One partial of the documents of two (which share no document): term lists merged, columns in
    order of first appearance, rows in corpus order, cells of a term added."""
    n_a = len(a.terms)
    position = dict(zip(zip(a.terms, a.tags), range(n_a)))
    found = np.fromiter(map(position.get, zip(b.terms, b.tags), repeat(-1)), dtype=np.int64, count=len(b.terms))
    new = np.flatnonzero(found < 0)
    shared = np.flatnonzero(found >= 0)
    b_to = found.copy()
    b_to[new] = np.arange(n_a, n_a + len(new))
    first = np.concatenate([a.first, b.first[new]])
    rank = np.concatenate([np.arange(n_a, dtype=np.int64), new])  # order within the partial of `first`
    earlier = shared[b.first[shared] < first[found[shared]]]
    first[found[earlier]] = b.first[earlier]
    rank[found[earlier]] = earlier
    order = np.lexsort((rank, first))
    column = np.empty(len(order), dtype=np.int64)
    column[order] = np.arange(len(order))
    terms = _objects(a.terms, _objects(b.terms)[new])[order].tolist()
    tags = _objects(a.tags, _objects(b.tags)[new])[order].tolist()
    width = len(order)
    parts = [
        sparse.csr_array((p.matrix.data, cols[p.matrix.indices], p.matrix.indptr), shape=(p.matrix.shape[0], width))
        for p, cols in ((a, column[:n_a]), (b, column[b_to]))
    ]
    matrix = sparse.csr_array(sparse.vstack(parts, format="csr"))
    docs = np.concatenate([a.docs, b.docs])
    spans = np.concatenate([a.spans, b.spans])
    if len(docs) > 1 and (np.diff(docs) < 0).any():
        rows = np.argsort(docs, kind="stable")  # a document's rows stay together and in order
        matrix, docs, spans = sparse.csr_array(matrix[rows]), docs[rows], spans[rows]
    matrix.sort_indices()
    return Partial(matrix, terms, tags, first[order], docs, spans)


def _objects(values, more=None) -> np.ndarray:
    """A list of strings (and an array of more) as one object array, for indexing at C speed."""
    out = np.empty(len(values) + (0 if more is None else len(more)), dtype=object)
    out[: len(values)] = values
    if more is not None:
        out[len(values) :] = more
    return out


def empty_partial() -> Partial:
    return Partial(
        sparse.csr_array((0, 0), dtype=np.int32),
        [],
        [],
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=np.int64),
        np.zeros((0, len(SPAN_COLUMNS)), dtype=np.int64),
    )


def reduce_partials(partials: list[Partial]) -> Partial:
    """The partials merged pairwise in a balanced tree, as the cluster does (for the client and for tests)."""
    level = list(partials) or [empty_partial()]
    while len(level) > 1:
        level = [merge_partials(*level[i : i + 2]) if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    return level[0]


def count_matrix_of(merged: Partial, documents: list):
    """The CountMatrix of a corpus (its analysed `documents`) from the partial of all of them: document
    names, pages and metadata come from the client's documents."""
    from kcorpus.analyses.counts import ROW_COLUMNS, CountMatrix

    matrix = sparse.csr_array(
        (merged.matrix.data.astype(np.int32), merged.matrix.indices.astype(np.int32), merged.matrix.indptr),
        shape=(len(merged.docs), len(merged.terms)),
    )
    if not documents:
        return CountMatrix(matrix, merged.terms, merged.tags, Table.empty(ROW_COLUMNS), [])
    positions = merged.docs.tolist()
    doc = np.empty(len(positions), dtype=object)
    doc[:] = [documents[p].id for p in positions]
    table: dict = {"doc": doc}
    for at, name in enumerate(SPAN_COLUMNS):
        table[name] = merged.spans[:, at].copy()
    places = [documents[p].doc.place(line) for p, line in zip(positions, merged.spans[:, 1].tolist())]
    table["page"] = [None if page is None else int(page) for page, _ in places]
    table["page_line"] = np.array([line for _, line in places], dtype=np.int64)
    meta_rows = [documents[p].doc.meta for p in positions]
    return CountMatrix(matrix, merged.terms, merged.tags, Table.build(table, {"page": "I"}), meta_rows)


# --- what a task counts --------------------------------------------------------------------------


class _Placeless:
    """The source document of a share's entry as the worker sees it: no pages, no metadata (the client
    adds both)."""

    meta: dict = {}

    @staticmethod
    def place(line: int) -> tuple[int | None, int]:
        return None, line


_PLACELESS = _Placeless()


class _Entry:
    """An analysed document for count_matrix, numbered within its share."""

    __slots__ = ("id", "content", "doc")

    def __init__(self, number: int, content, doc=_PLACELESS):
        self.id, self.content, self.doc = number, content, doc

    @property
    def cleaned(self):
        return self.content.load()[0]

    @property
    def tokens(self):
        return self.content.load()[1]


def count_entries(contents: list, positions: np.ndarray, flt, spec, ngram: int, compounds: bool) -> Partial:
    """The partial of documents given by their contents (stored or held), at corpus `positions`."""
    from kcorpus.analyses.counts import count_matrix

    entries = [_Entry(number, content) for number, content in enumerate(contents)]
    return partial_of(count_matrix(entries, flt, spec, ngram=ngram, compounds=compounds), positions)


_WORKER = threading.local()


def _refuse(message: str) -> None:
    raise KcorpusError(f"on a Dask worker: {message}")


def worker_store(root: str, version: tuple[str, ...]):
    """This worker thread's reader of the token store at `root` (opened once per store version)."""
    from kcorpus.pipeline.cache import TokenCache

    held = getattr(_WORKER, "store", None)
    if held is None or held[0] != (root, version):
        cache = TokenCache(Path(root), warn=_refuse)  # a damaged shard stops the run; it is never removed here
        if not cache.store_dir.is_dir():
            raise KcorpusError(f"a Dask worker cannot see the token store at {cache.store_dir}: {SHARED_FS}")
        held = _WORKER.store = ((root, version), StoreReader(cache))
    return held[1]


def count_share(
    root: str,
    version: tuple[str, ...],
    keys: list[str],
    labels: list[str],
    positions: np.ndarray,
    flt,
    spec,
    ngram,
    compounds,
) -> Partial:
    """A task: count stored documents (their keys and names) read from the store at `root` on this worker."""
    reader = worker_store(root, version)
    missing = [label for key, label in zip(keys, labels) if key not in reader.cache.index]
    if missing:
        raise KcorpusError(
            f"the token store at {root} on a Dask worker lacks {len(missing)} document(s) the client sees "
            f"({missing[0]}, ...): {SHARED_FS}"
        )
    contents = [StoredContent(reader, key, label) for key, label in zip(keys, labels)]
    return count_entries(contents, positions, flt, spec, ngram, compounds)


def probe_store(root: str, shards: list[str]) -> list[str]:
    """On a worker: which of the store's shard files (names under `root`) it cannot read."""
    return [name for name in shards if not os.access(os.path.join(root, name), os.R_OK)]


# --- the client ----------------------------------------------------------------------------------


@dataclass
class Share:
    root: str
    positions: list[int]
    keys: list[str]
    labels: list[str]


def shares_of(documents: list, threads: int) -> tuple[list[Share], list[int]]:
    """Runs of consecutive stored documents, about equal in number, SHARES_PER_THREAD per worker thread (at
    most SHARE_DOCS each), and the positions of the documents held in memory."""
    held: list[int] = []
    runs: list[Share] = []
    for position, analysed in enumerate(documents):
        content = analysed.content
        if not isinstance(content, StoredContent):
            held.append(position)
            continue
        root = str(Path(str(content.reader.cache.root)).resolve())
        if not runs or runs[-1].root != root:
            runs.append(Share(root, [], [], []))
        runs[-1].positions.append(position)
        runs[-1].keys.append(content.key)
        runs[-1].labels.append(content.label)
    total = sum(len(run.keys) for run in runs)
    size = max(1, min(SHARE_DOCS, -(-total // max(1, threads * SHARES_PER_THREAD))))
    shares = [
        Share(run.root, run.positions[i : i + size], run.keys[i : i + size], run.labels[i : i + size])
        for run in runs
        for i in range(0, len(run.keys), size)
    ]
    return shares, held


def _store_files(documents: list) -> dict[str, tuple[str, ...]]:
    """For each store root (resolved), the shard files its stored documents lie in, as paths under it."""
    found: dict[str, set[str]] = {}
    for analysed in documents:
        content = analysed.content
        if isinstance(content, StoredContent):
            cache = content.reader.cache
            where = cache.index.get(content.key)
            if where is not None and cache.root is not None:
                root = Path(cache.root).resolve()
                found.setdefault(str(root), set()).add(os.path.relpath(Path(where.shard).resolve(), root))
    return {root: tuple(sorted(names)) for root, names in found.items()}


def count_on_cluster(corpus, flt, spec, *, ngram: int = 1, compounds: bool = False):
    """count_matrix of a corpus read with --scheduler: stored documents counted on the Dask workers."""
    from kcorpus.pipeline.cluster import ClusterSession, check_scheduler

    documents = list(corpus)
    stored = _store_files(documents)
    if not stored:
        return count_matrix_of(
            _count_held(documents, list(range(len(documents))), flt, spec, ngram, compounds), documents
        )
    session = ClusterSession(check_scheduler(corpus.options.scheduler))
    try:
        session.open(None)
        client = session._connected
        _check_workers(client, stored, session.address)
        shares, held = shares_of(documents, session.threads)
        run_id = uuid.uuid4().hex[:12]
        futures = [
            client.submit(
                count_share,
                share.root,
                stored[share.root],
                share.keys,
                share.labels,
                np.asarray(share.positions, dtype=np.int64),
                flt,
                spec,
                ngram,
                compounds,
                key=f"{COUNT_PREFIX}-{run_id}-{number}",
                retries=2,
                pure=False,
            )
            for number, share in enumerate(shares)
        ]
        merges = 0
        while len(futures) > 1:  # a balanced tree of merges, run on the workers
            paired = []
            for i in range(0, len(futures), 2):
                if i + 1 < len(futures):
                    paired.append(
                        client.submit(
                            merge_partials, futures[i], futures[i + 1], key=f"{MERGE_PREFIX}-{run_id}-{merges}"
                        )
                    )
                    merges += 1
                else:
                    paired.append(futures[i])
            futures = paired
        merged = _result(futures[0], session)
    finally:
        session.close()
    if held:
        merged = merge_partials(merged, _count_held(documents, held, flt, spec, ngram, compounds))
    return count_matrix_of(merged, documents)


def _count_held(documents: list, positions: list[int], flt, spec, ngram: int, compounds: bool) -> Partial:
    """The partial of the documents at `positions`, counted here (the documents held in memory)."""
    contents = [documents[p].content for p in positions]
    if not contents:
        return empty_partial()
    entries_positions = np.asarray(positions, dtype=np.int64)
    return count_entries(contents, entries_positions, flt, spec, ngram, compounds)


def _check_workers(client, stored: dict[str, tuple[str, ...]], address) -> None:
    """Every worker reads every shard file the count needs, or one line saying which worker cannot."""
    for root, names in stored.items():
        try:
            answers = client.run(probe_store, root, list(names))
        except Exception as exc:  # noqa: BLE001 - reported in one line
            raise KcorpusError(
                f"cannot check the token store on the Dask workers at {address} ({type(exc).__name__})"
            ) from None
        for worker, missing in sorted(answers.items()):
            if missing:
                raise KcorpusError(
                    f"the Dask worker {worker} cannot read the token store at {root} "
                    f"({len(missing)} of {len(names)} shard file(s) missing, e.g. {missing[0]}): {SHARED_FS}"
                )


def _result(future, session) -> Partial:
    """The merged partial, or one line saying why the count failed."""
    from kcorpus.pipeline.cluster import _distributed, _one_line

    distributed = _distributed()
    try:
        return future.result()
    except KcorpusError:
        raise
    except (Exception, asyncio.CancelledError) as exc:  # noqa: BLE001 - reported in one line
        if isinstance(exc, distributed.KilledWorker):
            why = "the workers running it died; out of memory?"
        elif getattr(future, "status", "") == "error":
            why = _one_line(exc)
        else:
            why = f"lost the connection to the scheduler ({type(exc).__name__})"
        raise KcorpusError(f"counting on the Dask cluster at {session.address} failed ({why})") from None
