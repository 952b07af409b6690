"""Run manifests: a warm run over unchanged inputs takes its documents from the last run's manifest, and
anything changed reads everything again."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcorpus.errors import KcorpusError
from kcorpus.io import sources
from kcorpus.io.documents import Document, Skipped
from kcorpus.pipeline import manifest, store, term_index
from kcorpus.pipeline.cache import TokenCache
from kcorpus.pipeline.store import Location
from test_cache import load, make_docs, shards, token_rows


def settle(folder) -> None:
    """Files last changed ten seconds ago: a manifest does not trust a file changed just before a run."""
    for path in folder.rglob("*"):
        os.utime(path, ns=(path.stat().st_atime_ns, time.time_ns() - 10 * 10**9))


def calls_during(monkeypatch, owner, name: str, work) -> tuple[object, int]:
    """What `work()` returns and how many times it called owner.name."""
    calls = []
    real = getattr(owner, name)

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(owner, name, counted)
    try:
        return work(), len(calls)
    finally:
        monkeypatch.setattr(owner, name, real)


def reads_during(monkeypatch, work) -> tuple[object, int]:
    """What `work()` returns and how many files it read."""
    return calls_during(monkeypatch, sources, "_read_file", work)


def summary(corpus):
    docs = [(d.id, d.chars, d.doc.encoding, d.doc.warnings, d.from_cache) for d in corpus]
    return docs, [(s.id, s.reason) for s in corpus.skipped], token_rows(corpus)


def test_a_warm_run_over_unchanged_files_reads_none_of_them(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    (docs / "empty.txt").write_text("", encoding="utf-8")  # skipped: replayed with its reason
    settle(docs)
    cold, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 3
    first, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 0 and all(d.from_cache for d in first)
    again = load(docs, cache)
    assert summary(again) == summary(first) and token_rows(again) == token_rows(cold)
    assert [s.id for s in again.skipped] == ["empty.txt"]


def test_a_changed_added_or_removed_file_reads_everything_again(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    settle(docs)
    load(docs, cache), load(docs, cache)
    (docs / "a.txt").write_text("서울시는 도시외교를 바꾸었다.\n", encoding="utf-8")
    settle(docs)
    changed, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 2 and "바꾸었다" in changed.documents[0].cleaned.text
    (docs / "c.txt").write_text("새 보고서가 들어왔다.\n", encoding="utf-8")
    settle(docs)
    added, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 3 and [d.id for d in added] == ["a.txt", "b.txt", "c.txt"]
    (docs / "b.txt").unlink()
    removed, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 2 and [d.id for d in removed] == ["a.txt", "c.txt"]
    _, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 0


def test_other_options_or_a_damaged_entry_read_everything_again(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    settle(docs)
    load(docs, cache), load(docs, cache)
    raw, reads = reads_during(monkeypatch, lambda: load(docs, cache, clean=False))
    assert reads == 2
    tokens = TokenCache(cache)
    where = tokens.index[tokens.index.__iter__().__next__()]
    with open(where.shard, "r+b") as shard:  # damage one entry
        shard.seek(where.offset + 5)
        shard.write(b"\x00\x01\x02")
    warnings: list[str] = []
    healed, reads = reads_during(monkeypatch, lambda: load(docs, cache, warnings))
    assert reads == 2 and any("damaged" in w for w in warnings)
    assert sorted(d.from_cache for d in healed) == [False, True]


def test_a_file_changed_just_before_a_run_is_not_trusted(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    _, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 2  # written a moment ago: it could change again within the clock's tick, unseen


def test_cache_clear_removes_manifests(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    settle(docs)
    load(docs, cache), load(docs, cache)
    assert list(manifest.folder(cache).glob("*" + manifest.SUFFIX))
    mine = cache / manifest.FOLDER / "notes.txt"
    mine.write_text("mine", encoding="utf-8")
    TokenCache(cache).clear()
    assert not list(cache.rglob("*" + manifest.SUFFIX)) and mine.read_text(encoding="utf-8") == "mine"


texts = st.text(alphabet=st.sampled_from("ab가/ \0\ud800"), max_size=4)
documents = st.builds(
    Document,
    id=texts,
    text=st.just(""),
    encoding=st.sampled_from(["utf-8", "cp949"]),
    source=texts,
    is_table_row=st.booleans(),
    meta=st.one_of(
        st.dictionaries(st.sampled_from(["file", "folder", "date"]), texts, max_size=3),
        st.fixed_dictionaries({"file": texts, "folder": st.just("x")}),
    ),
    warnings=st.lists(texts, max_size=2).map(tuple),
    layout=st.sampled_from(["text", "wrapped"]),
    positions=st.one_of(st.none(), st.lists(st.tuples(st.integers(1, 9), st.integers(1, 9)), max_size=3).map(tuple)),
    reader=st.sampled_from(["", "pdf/3"]),
    removed=st.lists(st.tuples(texts, texts, texts), max_size=2).map(tuple),
)
items = st.lists(
    st.one_of(
        st.tuples(documents, st.text("0123456789abcdef", min_size=64, max_size=64), st.integers(0, 10**9)),
        st.builds(lambda s: (s, None, 0), st.builds(Skipped, texts, texts, st.sampled_from(["", "utf-8"]))),
    ),
    max_size=8,
)


@given(items, st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_manifest_gives_back_exactly_the_items_it_was_given(run, like_files):
    """Columns, shared values, references to the files' columns and metadata split by key all come back as
    the documents and skips that went in, in order, each with its own metadata dict."""
    docs = [item for item, _, _ in run if isinstance(item, Document)]
    files = {
        "path": [d.source for d in docs] if like_files else ["p"] * len(docs),
        "id": [d.id for d in docs],
        **{name: [0] * len(docs) for name in ("size", "mtime", "ctime", "inode")},
        "skips": [],
    }
    places = [
        None if key is None else Location(Path(f"/s/{n % 3}.kcs"), n, 2 * n, 3 * n) for n, (_, key, _) in enumerate(run)
    ]
    columns = {**manifest._columns(run, files), "places": manifest._place_columns(places)}
    record = json.loads(json.dumps(columns, separators=(",", ":")))
    count, skips, keys, chars, doc_columns = manifest._documents(record, files)
    back = manifest.Recalled(count, skips, keys, chars, doc_columns, {}, files).items
    assert back == run
    metas = [item.meta for item, _, _ in back if isinstance(item, Document)]
    assert len({id(meta) for meta in metas}) == len(metas)
    found = [(where.shard.name, where.offset, where.length, where.crc) for where in places if where is not None]
    assert manifest._places(record["places"], len(keys)) == found


def blobs_read_during(monkeypatch, work) -> tuple[object, int]:
    """What `work()` returns and how many stored entries it read (checksummed or decoded)."""
    return calls_during(monkeypatch, store, "read_blob", work)


def test_entries_of_unchanged_shards_are_not_checked_again_and_a_new_shard_once(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    settle(docs)
    load(docs, cache), load(docs, cache)
    warm, read = blobs_read_during(monkeypatch, lambda: load(docs, cache))
    assert read == 0 and [d.from_cache for d in warm] == [True, True]  # no entry checksummed or decoded
    (shard,) = shards(cache)  # the shard rewritten as a merge would: same entries, another file
    moved = shard.with_name("0" * 20 + "-1-moved" + store.SHARD_SUFFIX)
    moved.write_bytes(shard.read_bytes())
    for beside in (term_index.TERMS_SUFFIX, ".bags"):
        Path(str(moved) + beside).write_bytes(Path(str(shard) + beside).read_bytes())
        Path(str(shard) + beside).unlink()
    shard.unlink()
    _, read = blobs_read_during(monkeypatch, lambda: load(docs, cache))
    assert read == 2  # each entry of the shard not seen before is checked once ...
    again, read = blobs_read_during(monkeypatch, lambda: load(docs, cache))
    assert read == 0 and token_rows(again) == token_rows(warm)  # ... and the manifest now knows that shard


def test_an_entry_damaged_behind_an_unchanged_stamp_stops_one_run_and_heals_the_next(tmp_path, monkeypatch):
    """Damage that keeps the shard's size and time (a disk error) is found when the entry is decoded: that
    run stops with one line, the manifests are dropped, and the next run checks every entry and heals it."""
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    settle(docs)
    cold = load(docs, cache)
    load(docs, cache)
    tokens = TokenCache(cache)
    key = next(iter(tokens.index))
    where = tokens.index[key]
    stamp = where.shard.stat()
    with open(where.shard, "r+b") as file:
        file.seek(where.offset + 7)
        file.write(b"\x00\x01\x02")
    os.utime(where.shard, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    warnings: list[str] = []
    warm = load(docs, cache, warnings)  # taken from the manifest: nothing checked yet
    with pytest.raises(KcorpusError, match="run the command again"):
        token_rows(warm)
    assert any("damaged" in w for w in warnings)
    assert not list(manifest.folder(cache).glob("*" + manifest.SUFFIX))
    healed, reads = reads_during(monkeypatch, lambda: load(docs, cache))
    assert reads == 2 and token_rows(healed) == token_rows(cold)
