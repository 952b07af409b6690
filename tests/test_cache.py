"""The token cache: hits, misses, damaged or foreign entries, concurrent runs, and no Kiwi on warm runs."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from kcorpus.pipeline.cache import TokenCache
from kcorpus.pipeline.corpus import CorpusOptions, load_corpus

from conftest import KIEP, SEOUL

TEXT_A = "서울시는 개방적 도시외교를 추진한다.\n\n국경 봉쇄는 글로벌 경제를 위축시켰다.\n"
TEXT_B = "북한은 대북제재 결의에 반발했다.\n\n북중 협력이 재개될 전망이다.\n"


def make_docs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (folder / "b.txt").write_text(TEXT_B, encoding="utf-8")
    return folder


def load(folder: Path, cache: Path, warnings: list | None = None, **kw):
    options = CorpusOptions(paths=(str(folder),), cache_dir=cache, jobs=1, **kw)
    return load_corpus(options, warn=(warnings.append if warnings is not None else lambda m: None))


def entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*.npz") if not p.name.startswith(".tmp-"))


def token_rows(corpus):
    return [(d.id, d.tokens.column("form"), d.tokens.column("tag"), d.tokens.start.tolist()) for d in corpus]


def test_miss_then_hit_gives_identical_tokens(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    assert [d.from_cache for d in cold] == [False, False]
    assert len(entries(cache)) == 2
    warm = load(docs, cache)
    assert [d.from_cache for d in warm] == [True, True]
    assert not warm.kiwi_loaded
    assert token_rows(warm) == token_rows(cold)
    assert [d.cleaned.text for d in warm] == [d.cleaned.text for d in cold]


def test_changed_text_or_settings_miss(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    (docs / "b.txt").write_text(TEXT_B + "새 문단이 추가되었다.\n", encoding="utf-8")
    again = load(docs, cache)
    assert [d.from_cache for d in again] == [True, False]
    no_clean = load(docs, cache, clean=False)
    assert [d.from_cache for d in no_clean] == [False, False]


def test_no_cache_writes_nothing(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    corpus = load(docs, cache, use_cache=False)
    assert len(corpus) == 2 and not cache.exists()


def test_damaged_entry_is_reported_and_rebuilt(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    victim = entries(cache)[0]
    victim.write_bytes(b"not a zip file at all")
    warnings: list[str] = []
    warm = load(docs, cache, warnings)
    assert sorted(d.from_cache for d in warm) == [False, True]
    assert len(warnings) == 1 and "damaged" in warnings[0] and "rebuilding" in warnings[0]
    assert token_rows(warm) == token_rows(cold)
    assert load(docs, cache).documents[0].from_cache  # rebuilt entry is good again


def test_truncated_entry_is_rebuilt(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    victim = entries(cache)[1]
    victim.write_bytes(victim.read_bytes()[:200])
    warnings: list[str] = []
    assert token_rows(load(docs, cache, warnings)) == token_rows(cold)
    assert len(warnings) == 1


def test_foreign_entry_under_the_wrong_name_is_rejected(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    first, second = entries(cache)
    first.write_bytes(second.read_bytes())  # a valid entry, but for another document
    warnings: list[str] = []
    assert token_rows(load(docs, cache, warnings)) == token_rows(cold)
    assert any("damaged" in w for w in warnings)


def test_entries_hold_no_pickles(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    for path in entries(cache):
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                array = np.load(archive.open(name), allow_pickle=False)
                assert array.dtype != object


@pytest.mark.slow
def test_two_runs_at_once_share_a_cache(tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(cache))
    command = [sys.executable, "-m", "kcorpus", "info", str(SEOUL), str(KIEP), "--format", "csv", "-j", "1"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [o[1].decode() for o in outputs]
    assert outputs[0][0] == outputs[1][0]
    assert len(entries(cache)) == 2
    assert not list(cache.rglob(".tmp-*"))
    warm = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert warm.stdout == outputs[0][0]
    assert "2 from the token cache" in warm.stderr.decode()


def test_cache_info_and_clear(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    store = TokenCache(cache)
    assert store.info()["entries"] == 2 and store.info()["bytes"] > 0
    own_file = cache / "tokens" / "notes.txt"  # a user's file that happens to sit in the cache folder
    own_file.write_text("mine", encoding="utf-8")
    lookalike = next((cache / "tokens" / "v1").rglob("*.npz")).with_name("f" * 64 + ".npz")
    lookalike.write_bytes(b"not an npz")  # named like an entry, but not one
    assert store.clear() == (2, 2)
    assert store.info()["entries"] == 0
    assert own_file.read_text(encoding="utf-8") == "mine" and lookalike.read_bytes() == b"not an npz"
