"""Counting on a Dask cluster (--scheduler): partials merged in any tree shape equal one count; freq,
keywords, compare (and topics, whose unit counts take the same path) give the same bytes with and without
a LocalCluster; a worker that cannot see the token store is one line. Only loopback addresses are used."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import sparse

from kcorpus.pipeline.cluster_counts import SPAN_COLUMNS, Partial, merge_partials, reduce_partials

from conftest import REPO, SEOUL

try:
    import distributed
except ImportError:  # the cluster tests need the kcorpus[dask] extra; the others do not
    distributed = None

needs_dask = pytest.mark.skipif(distributed is None, reason="needs the kcorpus[dask] extra")

# --- the reduction, without a cluster --------------------------------------------------------------

Token = tuple[str, str]


def counted(docs: dict[int, list[list[Token]]]) -> Partial:
    """A partial counted by hand: a row per unit of each document (by corpus position), columns in order
    of first appearance."""
    columns: dict[Token, int] = {}
    first: list[int] = []
    cells: dict[tuple[int, int], int] = {}
    rows: list[int] = []
    spans: list[list[int]] = []
    for position in sorted(docs):
        for unit, tokens in enumerate(docs[position]):
            row = len(rows)
            rows.append(position)
            spans.append([unit, position + 1, position + 2, 10 * unit, 10 * unit + 5])
            for token in tokens:
                if token not in columns:
                    columns[token] = len(columns)
                    first.append(position)
                cells[row, columns[token]] = cells.get((row, columns[token]), 0) + 1
    keys = sorted(cells)
    matrix = sparse.csr_array(
        (
            np.array([cells[k] for k in keys], dtype=np.int32),
            (np.array([k[0] for k in keys], dtype=np.int64), np.array([k[1] for k in keys], dtype=np.int64)),
        ),
        shape=(len(rows), len(columns)),
    )
    return Partial(
        matrix,
        [term for term, _ in columns],
        [tag for _, tag in columns],
        np.array(first, dtype=np.int64),
        np.array(rows, dtype=np.int64),
        np.array(spans, dtype=np.int64).reshape(-1, len(SPAN_COLUMNS)),
    )


def assert_same(got: Partial, expected: Partial) -> None:
    assert got.terms == expected.terms
    assert got.tags == expected.tags
    assert got.docs.tolist() == expected.docs.tolist()
    assert got.spans.tolist() == expected.spans.tolist()
    assert got.first.tolist() == expected.first.tolist()
    assert got.matrix.shape == expected.matrix.shape
    assert (got.matrix.toarray() == expected.matrix.toarray()).all()
    assert got.matrix.has_sorted_indices


TERMS = st.sampled_from(["협력", "도시", "외교", "양자 컴퓨팅", "a", "b", "c", "d", "e", "f"])
TAGS = st.sampled_from(["NN", "VV", "SL"])
UNIT = st.lists(st.tuples(TERMS, TAGS), max_size=8)
CORPUS_ST = st.lists(st.lists(UNIT, min_size=0, max_size=3), min_size=1, max_size=12)


@given(CORPUS_ST, st.integers(1, 6), st.randoms(use_true_random=False))
def test_partials_merged_in_any_tree_shape_equal_one_count(docs, n_parts, rng):
    whole = counted(dict(enumerate(docs)))
    # any split of the documents (not only runs of neighbours), merged in any order and tree shape
    owner = [rng.randrange(n_parts) for _ in docs]
    parts = [counted({p: d for p, d in enumerate(docs) if owner[p] == k}) for k in range(n_parts)]
    while len(parts) > 1:
        a, b = rng.sample(range(len(parts)), 2)
        merged = merge_partials(parts[a], parts[b])
        parts = [part for i, part in enumerate(parts) if i not in (a, b)] + [merged]
    assert_same(parts[0], whole)


@given(CORPUS_ST, st.integers(1, 6))
def test_balanced_reduction_of_runs_equals_one_count(docs, n_parts):
    whole = counted(dict(enumerate(docs)))
    cuts = np.linspace(0, len(docs), n_parts + 1).astype(int)
    runs = [counted({p: docs[p] for p in range(cuts[k], cuts[k + 1])}) for k in range(n_parts)]
    assert_same(reduce_partials(runs), whole)


def test_a_term_first_seen_late_in_one_partial_takes_its_earlier_place_from_another():
    late = counted({0: [[("x", "NN")]], 3: [[("y", "NN"), ("z", "NN")]]})
    early = counted({1: [[("z", "NN")]], 2: [[("y", "NN")]]})
    merged = merge_partials(late, early)
    assert merged.terms == ["x", "z", "y"]
    assert merged.docs.tolist() == [0, 1, 2, 3]
    assert merged.matrix.toarray().tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1]]


# --- real documents, without a cluster --------------------------------------------------------------


def test_shares_of_the_bundled_corpus_merge_to_its_count_matrix():
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.cluster_counts import count_entries, count_matrix_of
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    corpus = load_corpus(CorpusOptions())
    documents = list(corpus)
    for flt, spec, ngram in [
        (TermFilter("nouns"), UnitSpec("document"), 1),
        (TermFilter("content"), UnitSpec("paragraph"), 2),
    ]:
        expected = count_matrix(documents, flt, spec, ngram=ngram)
        for split in ([[0, 1, 2]], [[2], [0], [1]], [[1], [0, 2]]):
            parts = [
                count_entries([documents[p].content for p in part], np.array(part), flt, spec, ngram, False)
                for part in split
            ]
            got = count_matrix_of(reduce_partials(parts), documents)
            assert got.terms == expected.terms and got.tags == expected.tags
            assert (got.matrix != expected.matrix).nnz == 0 and got.matrix.dtype == expected.matrix.dtype
            assert got.rows.equals(expected.rows) and got.meta_rows == expected.meta_rows


# --- on a local cluster -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated corpus of about 90 documents with its warm token store (scripts/make_synthetic_store.py)."""
    out = tmp_path_factory.mktemp("generated") / "synthetic"
    subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "make_synthetic_store.py"),
            "--mb",
            "0.4",
            "--types",
            "20000",
            "--out",
            out,
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    return out


COMMANDS = {
    "freq": ["freq"],
    "freq by doc, bigrams": ["freq", "--by", "doc", "--ngram", "2"],
    "keywords": ["keywords", "--top", "0", "--alpha", "1"],
    "compare": ["compare"],
}


def outputs_agree(cli, args: list, cache: Path, scheduler: str) -> None:
    plain = cli(*args, "--format", "csv", "--cache-dir", cache)
    assert plain.exit_code == 0, plain.stderr
    on_cluster = cli(*args, "--format", "csv", "--cache-dir", cache, "--scheduler", scheduler)
    assert on_cluster.exit_code == 0, on_cluster.stderr
    assert on_cluster.stdout == plain.stdout
    assert on_cluster.stdout.count("\n") > 3


@needs_dask
@pytest.mark.slow
def test_bundled_corpus_counted_on_local_2_is_byte_identical(cli, shared_cache):
    cli("info", "--cache-dir", shared_cache)  # warm
    for args in (["freq"], ["keywords"], ["compare"]):
        outputs_agree(cli, args, shared_cache, "local:2")


@needs_dask
@pytest.mark.slow
@pytest.mark.parametrize("command", list(COMMANDS))
def test_generated_corpus_counted_on_the_cluster_is_byte_identical(cli, generated, scheduler, command):
    outputs_agree(cli, [*COMMANDS[command], generated / "docs"], generated / "cache", scheduler)


@needs_dask
@pytest.mark.slow
def test_keywords_against_a_reference_on_the_cluster_is_byte_identical(cli, generated, scheduler):
    docs = generated / "docs" / "0000"
    target = [str(p) for p in sorted(docs.glob("doc00000[0-4]*.txt"))]
    reference = [arg for p in sorted(docs.glob("doc00001*.txt")) for arg in ("--reference", str(p))]
    outputs_agree(
        cli, ["keywords", *target, *reference, "--alpha", "1", "--min-count", "1"], generated / "cache", scheduler
    )


@needs_dask
@pytest.mark.slow
def test_documents_held_in_memory_are_counted_on_the_client_and_added(generated, scheduler):
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline.content import HeldContent
    from kcorpus.pipeline.corpus import AnalysedDocument, Corpus, CorpusOptions, load_corpus

    options = CorpusOptions(paths=(str(generated / "docs"),), cache_dir=generated / "cache", scheduler=scheduler)
    corpus = load_corpus(options)
    documents = [
        AnalysedDocument(d.doc, HeldContent(*d.content.load()), False, d.chars) if i % 7 == 3 else d
        for i, d in enumerate(corpus)
    ]
    mixed = Corpus(documents, [], False, options)
    flt, spec = TermFilter("all"), UnitSpec("document")
    got = count_matrix(mixed, flt, spec)
    expected = count_matrix(list(corpus), flt, spec)  # a list: counted here
    assert got.terms == expected.terms and got.tags == expected.tags
    assert (got.matrix != expected.matrix).nnz == 0
    assert got.rows.equals(expected.rows)


@needs_dask
@pytest.mark.slow
def test_a_worker_that_cannot_see_the_store_is_one_line(generated, scheduler, tmp_path):
    import shutil

    from kcorpus.analyses.counts import count_matrix
    from kcorpus.errors import KcorpusError
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

    cache = tmp_path / "cache"
    shutil.copytree(generated / "cache", cache)
    corpus = load_corpus(CorpusOptions(paths=(str(generated / "docs"),), cache_dir=cache, scheduler=scheduler))
    (cache / "tokens").rename(tmp_path / "elsewhere")  # the client has read the store; the workers find nothing
    with pytest.raises(
        KcorpusError, match=r"^the Dask worker tcp://127\.0\.0\.1:\d+ cannot read the token store at "
    ) as caught:
        count_matrix(corpus, TermFilter())
    assert "\n" not in caught.value.message
    assert caught.value.exit_code == 1
    assert "mounts at the same path" in caught.value.message


@needs_dask
@pytest.mark.slow
def test_cli_store_out_of_reach_exits_1_with_one_line(cli, generated, scheduler, tmp_path, monkeypatch):
    import kcorpus.pipeline.cluster_counts as cluster_counts

    monkeypatch.setattr(cluster_counts, "probe_store", lambda root, shards: shards)  # every worker misses all
    result = cli("freq", generated / "docs", "-q", "--cache-dir", generated / "cache", "--scheduler", scheduler)
    assert result.exit_code == 1
    assert result.stderr.startswith("kcorpus: error: the Dask worker tcp://127.0.0.1:")
    assert result.stderr.count("\n") == 1


def test_no_dask_import_without_scheduler():
    code = (
        "import sys\n"
        "from kcorpus.pipeline.corpus import CorpusOptions, load_corpus\n"
        "from kcorpus.analyses.counts import count_matrix\n"
        "from kcorpus.nlp.terms import TermFilter\n"
        f"count_matrix(load_corpus(CorpusOptions(paths=({str(SEOUL)!r},))), TermFilter())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True)
    assert out.stdout.strip() == "[]"


@needs_dask
@pytest.mark.slow
def test_topics_unit_counts_on_the_cluster_are_byte_identical(cli, shared_cache, scheduler):
    cli("info", "--cache-dir", shared_cache)  # warm
    outputs_agree(cli, ["topics", "--k", "4"], shared_cache, scheduler)
