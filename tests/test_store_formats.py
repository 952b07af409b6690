"""The token store's file formats: each current encoding reads back exactly, files of the formats before it
are read as they are (no rebuild), and a damaged file is a ValueError, never a hang or another error."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

import old_formats
from kcorpus.analyses.counts import count_matrix
from kcorpus.nlp.terms import TermFilter
from kcorpus.nlp.tokens import ARRAY_FIELDS, DocTokens
from kcorpus.pipeline import bags, entry_layout, store, term_index
from kcorpus.pipeline.cache import TokenCache
from test_bags import same_counts
from test_cache import load, make_docs, shards, token_rows

KEY = "ab" * 32
TAGS = ["NNG", "JKS", "SF", ""]


@st.composite
def documents(draw):
    """A cleaned text and tokens over it: spans anywhere (overlapping, out of order, past the end), each
    with its own text as form or another string (NUL, empty, any script)."""
    text = draw(st.text(max_size=120))
    spans = draw(st.lists(st.tuples(st.integers(-2, len(text) + 2), st.integers(0, 6), st.booleans()), max_size=60))
    others = draw(st.lists(st.text(max_size=4), max_size=4))
    forms = [text[max(a, 0) : a + n] if own else others[a % len(others)] if others else "" for a, n, own in spans]
    strings = list(dict.fromkeys([*forms, *TAGS]))
    tag = draw(st.lists(st.sampled_from(TAGS), min_size=len(spans), max_size=len(spans)))
    lemma = draw(st.lists(st.integers(-1, len(strings) - 1), min_size=len(spans), max_size=len(spans)))
    steps = draw(st.lists(st.integers(0, 3), min_size=len(spans), max_size=len(spans)))
    arrays = {
        "form": [strings.index(f) for f in forms],
        "tag": [strings.index(t) for t in tag],
        "lemma": lemma,
        "start": [a for a, _, _ in spans],
        "end": [a + n for a, n, _ in spans],
        "paragraph": np.cumsum(steps),
        "sentence": np.cumsum(steps) * 2,
    }
    numbers = st.one_of(
        st.lists(st.integers(-(2**40), 2**40)),
        st.lists(st.lists(st.integers(-5, 10**6), min_size=2, max_size=2)),
        st.lists(st.one_of(st.booleans(), st.floats(allow_nan=False), st.integers(0, 9))),
        st.lists(st.lists(st.integers(0, 9), max_size=3)),
        st.none(),
        st.text(max_size=3),
    )
    cleaned = {"text": text, "clean_version": "8"}
    for name in draw(st.permutations(entry_layout.NUMBER_FIELDS)):
        if draw(st.booleans()):
            cleaned[name] = draw(numbers)
    cleaned["warnings"] = draw(st.lists(st.text(max_size=5), max_size=2))
    return cleaned, DocTokens.from_arrays(strings, arrays)


@given(documents())
def test_any_document_reads_back_exactly_from_an_entry_of_the_fourth_layout(document):
    """Text, every cleaned field (numbers keep their types, the fields their order), strings and columns."""
    cleaned, tokens = document
    blob = store.encode_entry(KEY, cleaned, tokens)
    assert blob.startswith(entry_layout.ENTRY4)
    back_cleaned, back = store.decode_entry(KEY, blob)
    assert json.dumps(back_cleaned) == json.dumps(cleaned)
    assert back.strings == tokens.strings and store.entry_strings(KEY, blob) == tokens.strings
    assert all(np.array_equal(back.arrays()[name], tokens.arrays()[name]) for name in ARRAY_FIELDS)
    assert all(back.arrays()[name].dtype == np.int32 for name in ARRAY_FIELDS)


def words_document(n_words: int, seed: int) -> tuple[dict, DocTokens]:
    """A text of Korean words from a small vocabulary, one token per word, like a tokenised news article."""
    rng = np.random.default_rng(seed)
    vocabulary = ["".join(map(chr, rng.integers(0xAC00, 0xD7A3, rng.integers(1, 4)))) for _ in range(300)]
    words = [vocabulary[i] for i in rng.zipf(1.3, n_words) % len(vocabulary)]
    text = " ".join(words)
    strings = list(dict.fromkeys(words)) + ["NNG"]
    end = np.cumsum([len(w) + 1 for w in words]) - 1
    zeros = [0] * n_words
    arrays = {"form": [strings.index(w) for w in words], "tag": [len(strings) - 1] * n_words, "lemma": [-1] * n_words}
    arrays |= {"start": end - [len(w) for w in words], "end": end, "paragraph": zeros, "sentence": zeros}
    cleaned = {"text": text, "paragraphs": [[0, len(text)]], "line_offsets": [0], "line_numbers": [1]}
    return cleaned, DocTokens.from_arrays(strings, arrays)


def test_a_document_of_words_takes_a_third_less_room_than_in_the_third_layout():
    for seed in range(3):
        cleaned, tokens = words_document(800, seed)
        fourth, third = store.encode_entry(KEY, cleaned, tokens), old_formats.third_layout_entry(KEY, cleaned, tokens)
        assert len(fourth) < 0.67 * len(third)
        assert store.decode_entry(KEY, third)[0] == store.decode_entry(KEY, fourth)[0] == cleaned


@given(st.data())
def test_a_damaged_entry_is_a_value_error(data):
    """Any byte changed, bytes cut off or added, in an entry of any layout: a ValueError or the entry (when the
    change is in a part that does not matter), never another error."""
    cleaned, tokens = words_document(data.draw(st.integers(0, 60)), data.draw(st.integers(0, 3)))
    write = data.draw(st.sampled_from([store.encode_entry, old_formats.third_layout_entry]))
    blob = bytearray(write(KEY, cleaned, tokens))
    if data.draw(st.booleans()):
        for _ in range(data.draw(st.integers(1, 4))):
            blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    else:
        blob = blob[: data.draw(st.integers(0, len(blob)))] + data.draw(st.binary(max_size=8))
    for read in (store.decode_entry, store.entry_strings):
        try:
            read(KEY, bytes(blob))
        except ValueError:
            pass


def bags_of(shard_bags: bags.ShardBags) -> list[tuple]:
    """Each entry's (text ids, tag ids, counts, facts) from read bags."""
    out = []
    for n in range(len(shard_bags.keys)):
        at = slice(int(shard_bags.offsets[n]), int(shard_bags.offsets[n + 1]))
        parts = (shard_bags.text[at], shard_bags.tag[at], shard_bags.count[at])
        out.append((*(p.astype(np.int64).tolist() for p in parts), shard_bags.facts[n].tolist()))
    return out


def write_old_formats(cache: Path) -> None:
    """Rewrite every shard of a store, its term index and its bags in the formats kcorpus wrote before
    these: entries of the third layout, term indexes of the third format, bags of the first."""
    for shard in shards(cache):
        index, found = term_index.read_terms(shard), bags.read_bags(shard)
        entries, terms = store.read_index(shard), index.terms_of()
        writer = store.ShardWriter(shard.parent)
        with open(shard, "rb") as file:
            for key, where in entries.items():
                cleaned, tokens = store.decode_entry(key, store.read_blob(file, where))
                writer.add(key, old_formats.third_layout_entry(key, cleaned, tokens))
        old = writer.commit()
        keys = [bytes.fromhex(key) for key in entries]
        postings: dict[str, list[int]] = {}
        for number, key in enumerate(entries):
            for text in terms[key]:
                postings.setdefault(text, []).append(number)
        Path(str(old) + term_index.TERMS_SUFFIX).write_bytes(old_formats.third_format_terms(keys, postings))
        assert found.keys == list(entries)
        bags.bags_path(old).write_bytes(old_formats.first_format_bags(keys, found.strings, bags_of(found)))
        for path in (shard, Path(str(shard) + term_index.TERMS_SUFFIX), bags.bags_path(shard)):
            path.unlink()


def test_a_store_of_the_formats_before_is_read_as_it_is(tmp_path):
    """Shards of third-layout entries with third-format term indexes and first-format bags give the same
    tokens, search candidates and counts as a store written now, and no file of theirs is rewritten."""
    docs, flt = make_docs(tmp_path / "docs"), TermFilter.from_options("nouns")
    new = load(docs, tmp_path / "new")
    load(docs, tmp_path / "old")
    write_old_formats(tmp_path / "old")
    files = {p: p.read_bytes() for p in (tmp_path / "old").rglob("*.kcs*")}
    assert {p.read_bytes()[:9] for p in files if p.suffix == term_index.TERMS_SUFFIX} == {b"KCTERMS3\n"}
    assert {p.read_bytes()[:8] for p in files if p.suffix == bags.BAGS_SUFFIX} == {b"KCBAGS1\n"}
    old = load(docs, tmp_path / "old")
    assert all(d.from_cache for d in old) and token_rows(old) == token_rows(new)
    keys = [d.content.key for d in old]
    for words in ({"협력"}, {"북한", "서울시"}, {"없는말"}):
        assert TokenCache(tmp_path / "old").holding(keys, words) == TokenCache(tmp_path / "new").holding(keys, words)
    same_counts(count_matrix(old, flt), count_matrix(load(docs, tmp_path / "new"), flt))
    assert {p: p.read_bytes() for p in (tmp_path / "old").rglob("*.kcs*")} == files


def test_bags_of_the_first_format_read_as_those_of_the_second(tmp_path):
    docs = make_docs(tmp_path / "docs")
    load(docs, tmp_path / "cache")
    (shard,) = shards(tmp_path / "cache")
    new = bags.read_bags(shard)
    assert bags.bags_path(shard).read_bytes().startswith(bags.BAGS_MAGIC)
    keys = [bytes.fromhex(k) for k in new.keys]
    bags.bags_path(shard).write_bytes(old_formats.first_format_bags(keys, new.strings, bags_of(new)))
    old = bags.read_bags(shard)
    assert (old.keys, old.strings, bags_of(old)) == (new.keys, new.strings, bags_of(new))


@given(st.binary(max_size=300), st.sampled_from([term_index.TERMS_MAGIC, old_formats.THIRD_TERMS]))
def test_a_damaged_term_index_of_either_format_is_a_value_error(tmp_path_factory, data, magic):
    shard = tmp_path_factory.mktemp("shard") / "x.kcs"
    Path(str(shard) + term_index.TERMS_SUFFIX).write_bytes(magic + data)
    try:
        term_index.read_terms(shard).holding({"가", "북한"})
    except ValueError:
        pass


@given(st.binary(max_size=300), st.sampled_from([bags.BAGS_MAGIC, b"KCBAGS1\n"]))
def test_a_damaged_bags_file_of_either_format_is_a_value_error(tmp_path_factory, data, magic):
    shard = tmp_path_factory.mktemp("shard") / "x.kcs"
    bags.bags_path(shard).write_bytes(magic + data)
    try:
        bags.read_bags(shard)
    except ValueError:
        pass
