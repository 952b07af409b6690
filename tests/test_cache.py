"""The token cache: hits, misses, damaged or foreign entries, concurrent runs, and no Kiwi on warm runs."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import numpy as np
import pytest
import zstandard
from hypothesis import given
from hypothesis import strategies as st

import old_formats
from kcorpus.nlp.tokens import ARRAY_FIELDS, DocTokens
from kcorpus.pipeline import compression, entry_layout, store, term_index
from kcorpus.pipeline.cache import TokenCache
from kcorpus.pipeline.corpus import CorpusOptions, Pipeline, input_documents, load_corpus

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


def shards(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*" + store.SHARD_SUFFIX) if not p.name.startswith(".tmp-"))


def stored(cache: Path) -> int:
    return TokenCache(cache).info()["entries"]


def token_rows(corpus):
    return [(d.id, d.tokens.column("form"), d.tokens.column("tag"), d.tokens.start.tolist()) for d in corpus]


def test_miss_then_hit_gives_identical_tokens(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    assert [d.from_cache for d in cold] == [False, False]
    assert stored(cache) == 2 and len(shards(cache)) == 1  # one shard for the run, not a file per document
    warm = load(docs, cache)
    assert [d.from_cache for d in warm] == [True, True]
    assert not warm.kiwi_loaded
    assert token_rows(warm) == token_rows(cold)
    assert [d.cleaned.text for d in warm] == [d.cleaned.text for d in cold]
    assert len(shards(cache)) == 1  # a warm run writes nothing


def test_changed_text_or_settings_miss(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    (docs / "b.txt").write_text(TEXT_B + "새 문단이 추가되었다.\n", encoding="utf-8")
    again = load(docs, cache)
    assert [d.from_cache for d in again] == [True, False]
    no_clean = load(docs, cache, clean=False)
    assert [d.from_cache for d in no_clean] == [False, False]
    assert stored(cache) == 5 and len(shards(cache)) == 3  # each run that tokenised added one shard


def test_no_cache_writes_nothing(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    corpus = load(docs, cache, use_cache=False)
    assert len(corpus) == 2 and not cache.exists()


def test_damaged_entry_is_reported_and_rebuilt(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    (shard,) = shards(cache)
    first = min(store.read_index(shard).values(), key=lambda where: where.offset)
    data = bytearray(shard.read_bytes())
    data[first.offset + 5] ^= 0xFF  # one flipped bit pattern inside the first entry
    shard.write_bytes(bytes(data))
    warnings: list[str] = []
    warm = load(docs, cache, warnings)
    assert sorted(d.from_cache for d in warm) == [False, True]
    assert len(warnings) == 1 and "damaged" in warnings[0] and "rebuilding" in warnings[0]
    assert token_rows(warm) == token_rows(cold)
    assert [d.from_cache for d in load(docs, cache)] == [True, True]  # the rebuilt entry (newer shard) wins


def test_truncated_shard_is_reported_removed_and_rebuilt(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    (shard,) = shards(cache)
    shard.write_bytes(shard.read_bytes()[:200])
    warnings: list[str] = []
    again = load(docs, cache, warnings)
    assert token_rows(again) == token_rows(cold) and [d.from_cache for d in again] == [False, False]
    assert len(warnings) == 1 and "tokenised again" in warnings[0]
    assert shard not in shards(cache) and stored(cache) == 2


def test_an_entry_is_only_read_back_under_its_own_key(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    (shard,) = shards(cache)
    (key_a, where_a), (key_b, _) = sorted(store.read_index(shard).items())
    with open(shard, "rb") as file:
        blob = store.read_blob(file, where_a)
    assert store.decode_entry(key_a, blob)[1].strings
    with pytest.raises(ValueError, match="another key"):
        store.decode_entry(key_b, blob)


def test_entries_hold_json_text_and_integer_columns_only(tmp_path):
    """An entry: JSON, the string table and what of the cleaned text its tokens do not give back, then
    integer columns only; the text of tokens that are their forms is not stored twice."""
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    corpus = load(docs, cache)
    warm = load(docs, cache)
    (shard,) = shards(cache)
    assert shard.read_bytes().startswith(store.MAGIC)
    found = []
    with open(shard, "rb") as file:
        for where in store.read_index(shard).values():
            blob = store.read_blob(file, where)
            assert blob.startswith(entry_layout.ENTRY4)
            (size,) = struct.unpack_from("<I", blob, 4)
            data = zstandard.ZstdDecompressor().decompress(blob[8 : 8 + size])
            meta_size, n_strings, apart, strings_size, rest_size = struct.unpack_from("<IIIII", data)
            meta = json.loads(data[20 : 20 + meta_size].decode("utf-8"))  # no pickle: JSON, text, integers
            assert set(meta) == {"key", "n", "cleaned", "moved"} and "text" not in meta["cleaned"]
            strings = data[20 + meta_size : 20 + meta_size + strings_size].decode("utf-8").split("\0")
            rest = data[20 + meta_size + strings_size :].decode("utf-8")
            assert apart == 1 and len(strings) == n_strings and len(rest.encode("utf-8")) == rest_size
            (doc,) = [d for d in warm if d.content.key == meta["key"]]
            assert len(rest) < len(doc.cleaned.text) / 3
            columns = zstandard.ZstdDecompressor().decompress(blob[8 + size :])
            at = 0
            for count in [meta["n"], "u32", *[meta["n"]] * 6, sum(meta["moved"].values())]:
                if count == "u32":
                    (count,) = struct.unpack_from("<I", columns, at)
                    at += 4
                assert np.dtype(chr(columns[at])).kind in "iu"  # a NumPy integer type code, then the values
                at += 1 + count * np.dtype(chr(columns[at])).itemsize
            assert at == len(columns)
            found.append(meta["n"])
    assert sorted(found) == sorted(len(d.tokens) for d in corpus)


STRINGS = [f"s{i}" for i in range(1_001)]
token_columns = st.integers(0, 300).flatmap(
    lambda n: st.tuples(
        *[st.lists(st.integers(-1, 1_000), min_size=n, max_size=n) for _ in range(3)],
        st.lists(st.integers(0, 2_000_000), min_size=n, max_size=n),  # gaps past 65,535 need int32
        st.lists(st.integers(0, 40), min_size=n, max_size=n),
        st.lists(st.integers(0, 5), min_size=n, max_size=n),
    )
)


@given(token_columns, st.lists(st.text(max_size=5), max_size=5), st.text())
def test_any_token_table_reads_back_exactly_in_every_layout(columns, names, text):
    """Any tokens, string table (empty strings, NUL, any script) and cleaned text come back exactly from an
    entry of the current layout and from one of the third (one zstd frame) and the first (zlib, one JSON
    head)."""
    form, tag, lemma, starts, lengths, steps = columns
    start = np.sort(np.asarray(starts, dtype=np.int32))
    arrays = {
        "form": np.abs(form),
        "tag": np.abs(tag),
        "lemma": lemma,
        "start": start,
        "end": start + np.asarray(lengths, dtype=np.int32),
        "paragraph": np.cumsum(steps),
        "sentence": np.cumsum(steps) * 2,
    }
    strings = [*STRINGS, *names]
    tokens = DocTokens.from_arrays(strings, arrays)
    cleaned = {"text": text, "paragraphs": [[0, len(text)]], "warnings": []}
    layouts = (store.encode_entry, old_formats.third_layout_entry, old_formats.first_layout_entry)
    for blob in (write("ab" * 32, cleaned, tokens) for write in layouts):
        back_cleaned, back = store.decode_entry("ab" * 32, blob)
        assert back_cleaned == cleaned and back.strings == strings
        assert store.entry_strings("ab" * 32, blob) == strings
        assert all(np.array_equal(back.arrays()[name], tokens.arrays()[name]) for name in ARRAY_FIELDS)
        assert all(back.arrays()[name].dtype == np.int32 for name in ARRAY_FIELDS)


def test_a_long_run_rolls_over_into_several_shards(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    monkeypatch.setattr(store, "ROLL_BYTES", 10)  # every entry fills a shard
    cold = load(docs, cache)
    assert len(shards(cache)) == 2 and not list(cache.rglob(".tmp-*"))
    assert token_rows(load(docs, cache)) == token_rows(cold)


def test_entries_of_the_first_format_are_moved_into_the_store(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache, use_cache=False)
    pipeline_key = Pipeline(CorpusOptions(cache_dir=cache)).key
    sources, _ = input_documents((str(docs),))  # an analysed document no longer holds its source text
    for source, doc in zip(sources, cold):  # write each entry as the first format did: tokens/v1/ab/<key>.npz
        key = pipeline_key(source)
        path = cache / "tokens" / "v1" / key[:2] / f"{key}.npz"
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"format": 1, "key": key, "strings": doc.tokens.strings, "cleaned": doc.cleaned.to_dict()}
        np.savez(path, meta=np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8), **doc.tokens.arrays())
    assert stored(cache) == 2
    warnings: list[str] = []
    warm = load(docs, cache, warnings)
    assert [d.from_cache for d in warm] == [True, True] and not warm.kiwi_loaded
    assert token_rows(warm) == token_rows(cold)
    assert warnings == ["moved 2 token cache entries of the old format (one file each) into the store"]
    assert not list(cache.rglob("*.npz")) and len(shards(cache)) == 1 and stored(cache) == 2


def test_store_takes_under_two_bytes_per_input_byte(tmp_path):
    cache = tmp_path / "cache"
    load(KIEP, cache)
    assert TokenCache(cache).info()["bytes"] <= 2 * KIEP.stat().st_size


@pytest.mark.slow
def test_two_runs_at_once_share_a_cache(tmp_path):
    cache = tmp_path / "cache"
    env = dict(os.environ, KCORPUS_CACHE_DIR=str(cache))
    command = [sys.executable, "-m", "kcorpus", "info", str(SEOUL), str(KIEP), "--format", "csv", "-j", "1"]
    runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], [o[1].decode() for o in outputs]
    assert outputs[0][0] == outputs[1][0]
    assert stored(cache) == 2 and 1 <= len(shards(cache)) <= 2  # each run wrote its own shard
    assert not list(cache.rglob(".tmp-*"))
    warm = subprocess.run(command, env=env, capture_output=True, timeout=300)
    assert warm.stdout == outputs[0][0]
    assert "2 from the token cache" in warm.stderr.decode()


def test_cache_info_and_clear(tmp_path):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    tokens = TokenCache(cache)
    beside = [Path(str(shards(cache)[0]) + suffix) for suffix in (term_index.TERMS_SUFFIX, ".bags")]
    size = sum(p.stat().st_size for p in [shards(cache)[0], *beside])  # the shard, its term index and bags
    assert tokens.info()["entries"] == 2 and tokens.info()["bytes"] == size
    own_file = cache / "tokens" / "notes.txt"  # a user's file that happens to sit in the cache folder
    own_file.write_text("mine", encoding="utf-8")
    lookalike = shards(cache)[0].with_name("0" * 20 + "-1-abc" + store.SHARD_SUFFIX)
    lookalike.write_bytes(b"not a shard")  # named like a shard, but not one
    assert tokens.clear() == (2, 2)
    assert TokenCache(cache).info()["entries"] == 0
    assert own_file.read_text(encoding="utf-8") == "mine" and lookalike.read_bytes() == b"not a shard"


def test_many_small_runs_are_merged_into_one_shard(tmp_path, monkeypatch):
    from kcorpus.pipeline import cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_SHARDS", 2)
    cache = tmp_path / "cache"
    folders = []
    for i in range(4):  # four runs, each tokenising one new document: four shards, merged when a third appears
        folder = tmp_path / f"drop{i}"
        folder.mkdir()
        (folder / f"{i}.txt").write_text(f"{i}번째 보고서는 도시외교를 다룬다.\n", encoding="utf-8")
        folders.append(folder)
        load(folder, cache)
    assert len(shards(cache)) <= 2 and stored(cache) == 4
    warm = [load(folder, cache) for folder in folders]
    assert all(d.from_cache for corpus in warm for d in corpus)


# --- a warm corpus holds no token tables: they are read from the store when an analysis asks -----------


def test_a_warm_corpus_reads_each_document_from_the_store_when_asked(tmp_path):
    from kcorpus.pipeline.corpus import StoredContent, StoreReader

    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    warm = load(docs, cache)
    assert all(isinstance(d.content, StoredContent) for d in warm)
    assert [d.doc.text for d in warm] == ["", ""]  # the source text is not kept: the cleaned text is read
    assert [d.chars for d in warm] == [d.chars for d in cold] == [len(TEXT_A), len(TEXT_B)]
    assert [d.cleaned.text for d in warm] == [d.cleaned.text for d in cold]
    assert token_rows(warm) == token_rows(cold)
    reader = warm.documents[0].content.reader
    assert len(reader.recent) <= StoreReader.KEEP


def test_an_entry_removed_while_an_analysis_reads_it_is_one_line_naming_the_document(tmp_path):
    from kcorpus.errors import KcorpusError

    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    load(docs, cache)
    warm = load(docs, cache)
    TokenCache(cache).clear()  # e.g. `kcorpus cache clear` in another terminal
    with pytest.raises(KcorpusError, match=r"^a\.txt: its token cache entry changed .*run the command again$"):
        _ = warm.documents[0].tokens


def test_a_document_whose_repair_failed_is_not_stored_and_warns_on_every_run(tmp_path, monkeypatch):
    from kcorpus.pipeline import corpus as corpus_module

    real = corpus_module.clean_text

    def fails_on_b(text, **kw):
        if "북한" in text:
            raise RuntimeError("boom")
        return real(text, **kw)

    monkeypatch.setattr(corpus_module, "clean_text", fails_on_b)
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    for _ in range(2):
        warnings: list[str] = []
        corpus = load(docs, cache, warnings)
        assert [d.from_cache for d in corpus] in ([False, False], [True, False])
        assert [bool(d.warnings) for d in corpus] == [False, True]
        assert "text repair failed" in corpus.documents[1].warnings[0]
    assert stored(cache) == 1


# --- the term index beside each shard: a search decodes only the documents that can hold the term -------


def decoded_during(monkeypatch, work) -> tuple[object, list[str]]:
    """What `work()` returns and the ids of the documents whose stored entry it decoded."""
    labels: list[str] = []
    real = TokenCache.get

    def get(self, key, label="", where=None):
        labels.append(label)
        return real(self, key, label, where)

    monkeypatch.setattr(TokenCache, "get", get)
    result = work()
    monkeypatch.setattr(TokenCache, "get", real)
    return result, labels


def hit_rows(corpus, query: str):
    from kcorpus.analyses.hits import find_hits

    return [(corpus.documents[h.doc].id, h.start, h.end) for h in find_hits(corpus.documents, query, analyser=None)]


@pytest.mark.parametrize("query", ["북한", "대북제재", "서울시", "도시외교", "없는말"])
def test_a_search_decodes_only_the_documents_that_hold_its_first_word(tmp_path, monkeypatch, query):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    warm = load(docs, cache)
    assert list(cache.rglob("*" + term_index.TERMS_SUFFIX))  # written with the shard
    rows, decoded = decoded_during(monkeypatch, lambda: hit_rows(warm, query))
    assert rows == hit_rows(cold, query)
    holding = [d.id for d in cold if query[:2] in d.cleaned.text]
    assert decoded == holding  # a.txt holds 서울시 and 도시외교, b.txt 북한 and 대북제재, neither 없는말


def test_a_shard_without_a_term_index_gets_one_at_the_first_search(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    (terms,) = cache.rglob("*" + term_index.TERMS_SUFFIX)
    terms.unlink()  # a shard of an older kcorpus
    warm = load(docs, cache)
    rows, decoded = decoded_during(monkeypatch, lambda: hit_rows(warm, "북한"))
    assert rows == hit_rows(cold, "북한") and terms.is_file()
    terms.write_bytes(b"KCTERMS1\n" + b"\xff" * 40)  # damaged: rebuilt, never trusted
    warm = load(docs, cache)
    assert hit_rows(warm, "북한") == hit_rows(cold, "북한")
    assert term_index.read_terms(terms.with_name(terms.name.removesuffix(term_index.TERMS_SUFFIX))).holding({"북한"})


def small_runs(tmp_path, monkeypatch) -> Path:
    """Four runs of one document each into a cache that merges past two shards; the cache folder."""
    from kcorpus.pipeline import cache as cache_module

    monkeypatch.setattr(cache_module, "MAX_SHARDS", 2)
    cache = tmp_path / "cache"
    for i, word in enumerate(["도시외교", "대북제재", "인간안보", "기후변화"]):
        folder = tmp_path / f"drop{i}"
        folder.mkdir()
        (folder / f"{i}.txt").write_text(f"{i}번째 보고서는 {word}를 다룬다.\n", encoding="utf-8")
        load(folder, cache)
    return cache


def test_merged_shards_keep_their_term_index_and_clear_removes_it(tmp_path, monkeypatch):
    cache = small_runs(tmp_path, monkeypatch)
    assert len(shards(cache)) <= 2 and len(list(cache.rglob("*" + term_index.TERMS_SUFFIX))) == len(shards(cache))
    warm = load(tmp_path, cache)
    rows, decoded = decoded_during(monkeypatch, lambda: hit_rows(warm, "인간안보"))
    assert decoded == ["drop2/2.txt"] and len(rows) == 1
    TokenCache(cache).clear()
    assert not list(cache.rglob("*" + term_index.TERMS_SUFFIX))


def old_format_terms(keys: list[bytes], postings: dict[str, list[int]]) -> bytes:
    """A term index as kcorpus wrote it before blocks: every string in one compressed text."""
    strings = sorted(postings)
    text = zlib.compress("\0".join(strings).encode("utf-8"), 6)
    sizes = [len(postings[t]) for t in strings]
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype("<u4")
    numbers = np.array([n for t in strings for n in postings[t]], dtype="<u4")
    head = struct.pack("<I", len(keys)) + b"".join(keys) + struct.pack("<II", len(strings), len(text))
    return term_index.OLD_TERMS_MAGIC + head + text + offsets.tobytes() + numbers.tobytes()


def test_a_term_index_of_the_first_format_is_rewritten_without_decoding_entries(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    cold = load(docs, cache)
    (shard,) = shards(cache)
    index = term_index.read_terms(shard)
    by_key = index.terms_of()
    postings: dict[str, list[int]] = {}
    for number, key in enumerate(index.keys):
        for term in by_key[key]:
            postings.setdefault(term, []).append(number)
    Path(str(shard) + term_index.TERMS_SUFFIX).write_bytes(
        old_format_terms([bytes.fromhex(k) for k in index.keys], postings)
    )
    warm = load(docs, cache)
    monkeypatch.setattr(store, "entry_strings", lambda *a: pytest.fail("entries decoded to rebuild the index"))
    rows, decoded = decoded_during(monkeypatch, lambda: hit_rows(warm, "북한"))
    assert rows == hit_rows(cold, "북한") and decoded == ["b.txt"]
    assert Path(str(shard) + term_index.TERMS_SUFFIX).read_bytes().startswith(term_index.TERMS_MAGIC)


@given(st.binary(max_size=300))
def test_a_damaged_term_index_or_bags_file_is_an_error_never_a_hang(tmp_path_factory, data):
    from kcorpus.pipeline import bags

    shard = tmp_path_factory.mktemp("shard") / "x.kcs"
    for magic, suffix in (
        (term_index.TERMS_MAGIC, term_index.TERMS_SUFFIX),
        (term_index.OLD_TERMS_MAGIC, term_index.TERMS_SUFFIX),
    ):
        Path(str(shard) + suffix).write_bytes(magic + data)
        try:
            term_index.read_terms(shard).holding(
                {"가", "북한"}
            ) if magic == term_index.TERMS_MAGIC else term_index.old_terms(shard)
        except (ValueError, OSError, struct.error, zlib.error, UnicodeDecodeError):
            pass
    bags.bags_path(shard).write_bytes(bags.BAGS_MAGIC + data)
    try:
        bags.read_bags(shard)
    except (ValueError, OSError, struct.error, zlib.error, UnicodeDecodeError):
        pass


@pytest.mark.parametrize("encode", [term_index.encode_terms, old_formats.third_format_terms], ids=["now", "third"])
@given(st.integers(0, 9_000), st.integers(1, 40), st.randoms(use_true_random=False))
def test_a_term_index_of_many_blocks_answers_as_its_postings(tmp_path_factory, encode, n_strings, n_entries, rng):
    """In the current format and in the third (still read as it is)."""
    postings = {f"{i:05d}어": sorted(rng.sample(range(n_entries), rng.randint(1, n_entries))) for i in range(n_strings)}
    keys = [bytes([n]) * 32 for n in range(n_entries)]
    shard = tmp_path_factory.mktemp("terms") / "x.kcs"
    Path(str(shard) + term_index.TERMS_SUFFIX).write_bytes(encode(keys, postings))
    index = term_index.read_terms(shard)
    asked = rng.sample(sorted(postings), min(5, n_strings)) + ["없음", "00000", "99999어"]
    expected = {keys[n].hex() for text in asked for n in postings.get(text, [])}
    assert index.holding(asked) == expected
    by_key = index.terms_of()
    assert all(
        sorted(by_key[keys[n].hex()]) == sorted(t for t, ns in postings.items() if n in ns) for n in range(n_entries)
    )


def test_a_store_written_with_zlib_reads_as_one_written_with_zstd(tmp_path, monkeypatch):
    """Shards, term indexes and bags written before zstd (zlib in the same places) are read as they are:
    the same tokens, the same search candidates and the same counts."""
    from kcorpus.analyses.counts import count_matrix
    from kcorpus.nlp.terms import TermFilter
    from kcorpus.nlp.units import UnitSpec
    from kcorpus.pipeline import bags

    docs = make_docs(tmp_path / "docs")
    fresh = load(docs, tmp_path / "zstd")
    for module in (entry_layout, bags, term_index):
        monkeypatch.setattr(module, "pack", lambda data: zlib.compress(data, 6))
    load(docs, tmp_path / "zlib")
    monkeypatch.undo()
    for path in (tmp_path / "zlib").rglob("*.kcs*"):
        assert not path.read_bytes().__contains__(compression.ZSTD_FRAME)
    old = load(docs, tmp_path / "zlib")
    assert token_rows(old) == token_rows(fresh) and all(d.from_cache for d in old)
    cache = TokenCache(tmp_path / "zlib")
    assert cache.holding([d.content.key for d in old], {"협력"}) == [False, True]
    flt, spec = TermFilter.from_options("nouns", 1, (), "none"), UnitSpec("document")
    a, b = count_matrix(old, flt, spec), count_matrix(fresh, flt, spec)
    assert a.terms == b.terms and (a.matrix != b.matrix).nnz == 0


@given(st.lists(st.sets(st.sampled_from(["북한", "협력", "가", "a b", "인간안보", "NNG"])), max_size=6))
def test_a_shard_indexes_each_entry_under_its_terms(tmp_path_factory, entries):
    folder = tmp_path_factory.mktemp("store")
    writer = store.ShardWriter(folder)
    keys = [bytes([n]) * 32 for n in range(len(entries))]
    for key, terms in zip(keys, entries):
        writer.add(key.hex(), b"entry", terms)
    index = term_index.read_terms(writer.commit())
    assert {key: sorted(terms) for key, terms in index.terms_of().items()} == {
        key.hex(): sorted(terms) for key, terms in zip(keys, entries)
    }
    assert index.holding({"협력"}) == {key.hex() for key, terms in zip(keys, entries) if "협력" in terms}
