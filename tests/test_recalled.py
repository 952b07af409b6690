"""A warm run over unchanged inputs: documents found where the manifest places them (no shard index read),
made only when asked for, and the same lines as a corpus read in full."""

from __future__ import annotations

import json
import zlib

import pytest

from kcorpus import api
from kcorpus.errors import UsageError
from kcorpus.io.sources import check_not_an_input
from kcorpus.pipeline import compression, manifest, store
from kcorpus.pipeline.corpus import Corpus, CorpusOptions, load_corpus
from test_cache import load, make_docs, token_rows
from test_manifest import calls_during, reads_during, settle

QUERIES = [("도시외교", {}), ("협력", {}), ("제재", {}), ("북[한중]", {"regex": True}), ("경제를", {"surface": True})]


def warm_corpus(tmp_path):
    """(docs folder, cache folder, the corpus of a cold run) after a cold run and a warm one."""
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    settle(docs)
    cold = load(docs, cache)
    load(docs, cache)
    return docs, cache, cold


def the_manifest(cache):
    (path,) = manifest.folder(cache).glob("*" + manifest.SUFFIX)
    return path


def lines(corpus, query: str, options: dict) -> list:
    table = api.concordance_table(corpus, query, **options)
    return [tuple(table.column(name)) for name in table.names]


def test_a_warm_run_reads_no_shard_index_and_finds_each_entry_where_the_manifest_says(tmp_path, monkeypatch):
    docs, cache, cold = warm_corpus(tmp_path)
    assert the_manifest(cache).read_bytes().startswith(manifest.MAGIC)

    def search():
        warm = load(docs, cache)
        return warm, [lines(warm, query, options) for query, options in QUERIES]

    (warm, found), indexes = calls_during(monkeypatch, store, "read_index", search)
    assert indexes == 0
    assert found == [lines(cold, query, options) for query, options in QUERIES]
    assert token_rows(warm) == token_rows(cold)


def test_a_manifest_of_the_second_format_is_read_and_written_again_with_places(tmp_path, monkeypatch):
    docs, cache, cold = warm_corpus(tmp_path)
    path = the_manifest(cache)
    record = json.loads(compression.unpack(path.read_bytes()[len(manifest.MAGIC) :]))
    del record["items"]["places"]
    path.write_bytes(b"KCRUNS2\n" + zlib.compress(json.dumps(record).encode("utf-8")))  # as the second format was
    old, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 0 and token_rows(old) == token_rows(cold)
    assert the_manifest(cache).read_bytes().startswith(manifest.MAGIC)  # written again, with places
    (again, _), indexes = calls_during(monkeypatch, store, "read_index", lambda: (load(docs, cache), 0))
    assert indexes == 0 and token_rows(again) == token_rows(cold)


def test_a_file_changed_in_place_to_the_same_size_is_noticed(tmp_path, monkeypatch):
    docs, cache, _ = warm_corpus(tmp_path)
    before = (docs / "a.txt").read_text(encoding="utf-8")
    after = before.replace("서울시는", "부산시는")
    assert len(after.encode("utf-8")) == len(before.encode("utf-8"))
    (docs / "a.txt").write_text(after, encoding="utf-8")
    settle(docs)
    changed, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 2 and "부산시는" in changed.documents[0].cleaned.text


def test_a_file_rewritten_with_its_old_size_and_times_is_noticed(tmp_path, monkeypatch):
    import os

    docs, cache, _ = warm_corpus(tmp_path)
    path = docs / "a.txt"
    before, stamp = path.read_text(encoding="utf-8"), path.stat()
    after = before.replace("서울시는", "부산시는")
    path.write_text(after, encoding="utf-8")  # as `cp -p` does: same size, inode and times as before
    os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns, path.stat().st_ino) == (
        stamp.st_size,
        stamp.st_mtime_ns,
        stamp.st_ino,
    )
    changed, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 2 and "부산시는" in changed.documents[0].cleaned.text


@pytest.mark.parametrize("query,options", QUERIES)
def test_documents_made_on_demand_give_the_lines_of_documents_made_at_once(tmp_path, query, options):
    docs, cache, _ = warm_corpus(tmp_path)
    lazy = load(docs, cache)
    eager = load(docs, cache)
    eager = Corpus(list(eager.documents), eager.skipped, False, eager.options)
    assert lines(lazy, query, options) == lines(eager, query, options)


def test_a_search_makes_only_the_documents_that_may_hold_its_word(tmp_path):
    docs, cache, _ = warm_corpus(tmp_path)
    warm = load(docs, cache)
    assert lines(warm, "도시외교", {})[0] == ("a.txt",)
    assert [made is not None for made in warm.documents._made] == [True, False]
    assert [d.id for d in warm.documents] == ["a.txt", "b.txt"] and warm.from_cache() == 2


def test_a_warm_run_refuses_an_output_that_is_an_input_and_checks_others_without_making_documents(tmp_path):
    docs, cache, _ = warm_corpus(tmp_path)
    options = CorpusOptions(paths=(str(docs),), cache_dir=cache, jobs=1)
    with pytest.raises(UsageError, match="is one of the inputs"):
        load_corpus(options, validate=lambda documents: check_not_an_input(docs / "b.txt", documents))
    elsewhere = tmp_path / "lines.csv"
    elsewhere.write_text("old lines\n", encoding="utf-8")
    warm = load_corpus(options, validate=lambda documents: check_not_an_input(elsewhere, documents))
    assert [made is None for made in warm.documents._made] == [True, True]


def test_stats_shared_by_two_threads_come_in_input_order_and_a_missing_file_fails_them(tmp_path, monkeypatch):
    monkeypatch.setattr(manifest, "SHARED_STATS", 2)
    files = []
    for n in range(5):
        (tmp_path / f"{n}.txt").write_text("x" * n, encoding="utf-8")
        files.append(str(tmp_path / f"{n}.txt"))
    assert [found.st_size for found in manifest._stats(files)] == [0, 1, 2, 3, 4]
    assert manifest._stats([*files[:4], str(tmp_path / "gone.txt"), files[4]]) is None
