"""Run manifests: a warm run over unchanged inputs takes its documents from the last run's manifest, and
anything changed reads everything again."""

from __future__ import annotations

import os
import time

from kcorpus.io import sources
from kcorpus.pipeline import manifest
from kcorpus.pipeline.cache import TokenCache
from test_cache import load, make_docs, token_rows


def settle(folder) -> None:
    """Files last changed ten seconds ago: a manifest does not trust a file changed just before a run."""
    for path in folder.rglob("*"):
        os.utime(path, ns=(path.stat().st_atime_ns, time.time_ns() - 10 * 10**9))


def reads_during(monkeypatch, work) -> tuple[object, int]:
    """What `work()` returns and how many files it read."""
    calls = []
    real = sources._read_file

    def counted(*args):
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(sources, "_read_file", counted)
    result = work()
    monkeypatch.setattr(sources, "_read_file", real)
    return result, len(calls)


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
