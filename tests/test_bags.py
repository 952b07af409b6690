"""Term bags beside each shard: whole-document counts of a warm corpus come from them, and equal what
counting the documents' tokens gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcorpus.analyses.counts import count_matrix
from kcorpus.clean import passthrough
from kcorpus.io.documents import Document
from kcorpus.nlp.terms import TermFilter
from kcorpus.nlp.tokens import DocTokens
from kcorpus.nlp.units import UnitSpec
from kcorpus.pipeline import bags, term_index
from kcorpus.pipeline.cache import TokenCache
from kcorpus.pipeline.corpus import AnalysedDocument, HeldContent, StoredContent, StoreReader
from test_cache import decoded_during, load, make_docs, shards, small_runs

from conftest import KIEP, SEOUL


def same_counts(a, b) -> None:
    """Two count matrices are the same table: cells, column order, terms, tags and rows."""
    assert a.matrix.shape == b.matrix.shape
    assert (a.matrix != b.matrix).nnz == 0
    assert a.terms == b.terms and a.tags == b.tags
    assert a.row_table.names == b.row_table.names
    for name in a.row_table.names:
        assert a.row_table.values(name) == b.row_table.values(name), name


def bag_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*" + bags.BAGS_SUFFIX) if not p.name.startswith(".tmp-"))


@pytest.mark.parametrize("pos", ["nouns", "all", "NNG,VV", "content"])
def test_warm_counts_come_from_the_bags_without_decoding_a_document(tmp_path, monkeypatch, pos):
    cache = tmp_path / "cache"
    flt = TermFilter.from_options(pos, min_length=2)
    cold = load(SEOUL.parent, cache)  # held in memory: counted from the tokens
    warm = load(SEOUL.parent, cache)
    assert len(bag_files(cache)) == len(shards(cache)) == 1
    counted, decoded = decoded_during(monkeypatch, lambda: count_matrix(warm, flt))
    same_counts(counted, count_matrix(cold, flt))
    assert decoded == ([] if pos != "content" else [d.id for d in warm])  # content joins 하다 verbs: tokens


def test_paragraph_units_and_ngrams_still_count_tokens(tmp_path):
    cache = tmp_path / "cache"
    flt = TermFilter.from_options("nouns")
    cold, warm = load(KIEP.parent, cache), load(KIEP.parent, cache)
    same_counts(count_matrix(warm, flt, UnitSpec("paragraph", 5)), count_matrix(cold, flt, UnitSpec("paragraph", 5)))
    same_counts(count_matrix(warm, flt, ngram=2), count_matrix(cold, flt, ngram=2))


def test_missing_or_damaged_bags_are_rebuilt_and_never_trusted(tmp_path, monkeypatch):
    docs, cache = make_docs(tmp_path / "docs"), tmp_path / "cache"
    flt = TermFilter.from_options("nouns")
    expected = count_matrix(load(docs, cache), flt)
    (path,) = bag_files(cache)
    path.unlink()  # a shard of an older kcorpus
    same_counts(count_matrix(load(docs, cache), flt), expected)
    assert path.is_file()
    path.write_bytes(bags.BAGS_MAGIC + b"\x02\x00\x00\x00" + b"\xff" * 40)  # damaged
    same_counts(count_matrix(load(docs, cache), flt), expected)
    assert bags.read_bags(path.with_name(path.name.removesuffix(bags.BAGS_SUFFIX))).keys
    TokenCache(cache).clear()
    assert not bag_files(cache) and not list(cache.rglob(".tmp-*"))


def test_merged_shards_keep_their_bags(tmp_path, monkeypatch):
    cache = small_runs(tmp_path, monkeypatch)
    assert len(shards(cache)) <= 2 and len(bag_files(cache)) == len(shards(cache))
    warm = load(tmp_path, cache)
    counted, decoded = decoded_during(monkeypatch, lambda: count_matrix(warm, TermFilter.from_options("nouns")))
    assert decoded == [] and {"외교", "제재", "안보", "변화"} <= set(counted.terms)


def test_the_store_with_its_indexes_stays_under_two_bytes_per_input_byte(tmp_path):
    cache = tmp_path / "cache"
    load(KIEP, cache)
    files = [*shards(cache), *bag_files(cache), *cache.rglob("*" + term_index.TERMS_SUFFIX)]
    assert len(files) == 3
    assert sum(p.stat().st_size for p in files) <= 2 * KIEP.stat().st_size
    assert TokenCache(cache).info()["bytes"] == sum(p.stat().st_size for p in files)


# --- any token table: the bags give exactly the counts of the tokens -----------------------------------

STRINGS = [
    "협력",
    "협력하",
    "하",
    "되",
    "북한",
    "北韓",
    "가",
    "이",
    "NNG",
    "NNP",
    "VV",
    "XSV",
    "JKS",
    "NNB",
    "VV-I",
    "XR",
]
TAGS = [i for i, s in enumerate(STRINGS) if s.isupper() or "-" in s]
TEXTS = [i for i in range(len(STRINGS)) if i not in TAGS]
documents = st.lists(
    st.lists(st.tuples(st.sampled_from(TEXTS), st.sampled_from(TAGS), st.sampled_from([-1, *TEXTS])), max_size=30),
    min_size=1,
    max_size=6,
)


def by_hand(documents, flt):
    """Terms in order of first appearance and each document's counts, with plain dictionaries."""
    from kcorpus.nlp.terms import select_terms

    columns: dict[tuple[str, str], int] = {}
    rows = []
    for document in documents:
        terms = select_terms(document.tokens, flt)
        row: dict[int, int] = {}
        for pair in zip(terms.term, terms.tag):
            column = columns.setdefault(pair, len(columns))
            row[column] = row.get(column, 0) + 1
        rows.append(row)
    return [t for t, _ in columns], [t for _, t in columns], [[r.get(c, 0) for c in range(len(columns))] for r in rows]


def analysed_pair(number: int, tokens: DocTokens, reader: StoreReader, key: str):
    text = "가" * (int(tokens.end.max()) if len(tokens) else 0)
    cleaned = passthrough(text)
    doc = Document(f"d{number}.txt", "", "utf-8", f"d{number}.txt")
    reader.cache.put(key, cleaned.to_dict(), tokens)
    held = AnalysedDocument(doc, HeldContent(cleaned, tokens), False, len(text))
    return held, AnalysedDocument(doc, StoredContent(reader, key, doc.id), True, len(text))


@settings(max_examples=60)
@given(documents, st.sampled_from(["nouns", "all", "NNG,XR"]), st.integers(1, 2), st.lists(st.booleans()))
def test_bag_counts_equal_token_counts_for_any_tokens(docs, pos, min_length, held_at):
    flt = TermFilter(pos, min_length, frozenset({"이"}))
    with tempfile.TemporaryDirectory() as folder:
        reader = StoreReader(TokenCache(Path(folder)))
        pairs = []
        for number, rows in enumerate(docs):
            form, tag, lemma = (np.array([row[i] for row in rows], dtype=np.int64) for i in range(3))
            start = np.arange(len(rows)) * 2
            arrays = {"form": form, "tag": tag, "lemma": lemma, "start": start, "end": start + 1}
            arrays |= {"paragraph": np.zeros(len(rows)), "sentence": np.zeros(len(rows))}
            tokens = DocTokens.from_arrays(STRINGS, arrays)
            pairs.append(analysed_pair(number, tokens, reader, f"{number:064x}"))
        reader.cache.flush()
        held = [pair[0] for pair in pairs]
        # stored documents mixed with held ones: columns still come in order of first appearance
        mixed = [pair[0] if held_at[i % len(held_at)] else pair[1] for i, pair in enumerate(pairs)] if held_at else []
        expected = count_matrix(held, flt)
        assert by_hand(held, flt) == (expected.terms, expected.tags, expected.matrix.toarray().tolist())
        same_counts(count_matrix([pair[1] for pair in pairs], flt), expected)
        if mixed:
            same_counts(count_matrix(mixed, flt), expected)


@given(st.lists(st.text(max_size=3), max_size=30))
def test_factorize_numbers_values_in_order_of_first_appearance(values):
    from kcorpus.analyses.counts import _factorize

    codes, distinct = _factorize(values)
    assert distinct == list(dict.fromkeys(values))
    assert [distinct[c] for c in codes.tolist()] == values and codes.dtype == np.int64


@given(st.lists(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=5), max_size=40), st.integers(1, 6))
def test_pieces_joined_as_they_come_give_the_arrays_joined_at_the_end(parts, every):
    from kcorpus.analyses import counts

    pieces = counts._Pieces()
    pieces.JOIN_EVERY = every
    arrays = [np.array(part, dtype=np.int32 if i % 2 else np.int64) for i, part in enumerate(parts)]
    for array in arrays:
        pieces.append(array)
    assert len(pieces) <= len(arrays) // every + every  # joined as they came
    if arrays:
        joined = np.concatenate(pieces)
        np.testing.assert_array_equal(joined, np.concatenate(arrays))
        assert joined.dtype == np.concatenate(arrays).dtype
